import { describe, expect, it } from "vitest";
import { failed, ok } from "../../simulators/shared/adapter.js";
import { CursorIndex, cursorWindow } from "../../simulators/shared/cursor-window.js";

const EXCHANGE = { status: 200, headers: [], body: "" };

/** A cursor-paged list of `size` numbers whose cursor is the position it continues from. */
function pagedList(size: number, answer: { fail?: boolean; emptyAt?: number } = {}) {
  const asked: Array<[string | undefined, number]> = [];
  const fetchPage = async (cursor: string | undefined, limit: number) => {
    asked.push([cursor, limit]);
    if (answer.fail) return failed<never>({ kind: "unavailable", status: 503, message: "down" });
    const from = Number(cursor ?? 0);
    const to = from === answer.emptyAt ? from : Math.min(size, from + limit);
    const items = Array.from({ length: to - from }, (_, i) => from + i);
    return ok({ items, next: to < size ? String(to) : undefined, total: size }, EXCHANGE);
  };
  return { asked, fetchPage };
}

const readWindow = (index: CursorIndex, list: ReturnType<typeof pagedList>, offset: number, limit: number) =>
  cursorWindow(index, "acct", offset, limit, 100, list.fetchPage);

describe("cursor window", () => {
  it("reads up to the window's end, letting the page that crosses the offset skip and collect", async () => {
    const index = new CursorIndex();
    const list = pagedList(250);
    const first = await readWindow(index, list, 220, 20);
    expect(first).toMatchObject({ ok: true, value: { total: 250 } });
    expect(first.ok && first.value.items).toEqual(Array.from({ length: 20 }, (_, i) => 220 + i));
    expect(list.asked).toEqual([
      [undefined, 100],
      ["100", 100],
      ["200", 40],
    ]);
    list.asked.length = 0;
    await readWindow(index, list, 230, 5);
    await readWindow(index, list, 240, 20);
    expect(list.asked).toEqual([
      ["200", 35],
      ["240", 20],
    ]);
  });

  it("forgets its cursors when a page fails, and stops at an empty page that still offers a cursor", async () => {
    const index = new CursorIndex();
    await readWindow(index, pagedList(250), 150, 10);
    const down = pagedList(250, { fail: true });
    expect(await readWindow(index, down, 150, 10)).toMatchObject({ ok: false, failure: { status: 503 } });
    expect(down.asked).toEqual([["100", 60]]);
    const afterwards = pagedList(250);
    await readWindow(index, afterwards, 150, 10);
    expect(afterwards.asked[0]).toEqual([undefined, 100]);

    const stuck = pagedList(250, { emptyAt: 100 });
    expect(await readWindow(new CursorIndex(), stuck, 120, 10)).toMatchObject({
      ok: true,
      value: { items: [], total: 250 },
    });
    expect(stuck.asked).toHaveLength(2);
  });
});
