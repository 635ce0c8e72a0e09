import { beforeEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { controlCenterServer, byModification as ordered, queryDate } from "./cisco-support.js";

/**
 * Search Devices as Cisco documents it (developer.cisco.com/docs/control-center/search-devices):
 * results sorted by modification date, oldest first; `modifiedSince` mandatory, `modifiedTill`
 * and the account, operator and customer custom fields as filters; pages of at most 50.
 */
const { clock, server, account, cc, devices } = await controlCenterServer("TMUS");
const SINCE_EVER = "modifiedSince=2000-01-01T00:00:00%2B00:00";

const search = async (...query: string[]) =>
  (await cc("GET", `/devices?${[SINCE_EVER, ...query].filter(Boolean).join("&")}`)).body;
/** Every page of a search, ICCIDs in the order served. */
async function searchAll(query = ""): Promise<string[]> {
  const found: string[] = [];
  for (let page = 1; ; page++) {
    const body = await search(query, "pageSize=50", `pageNumber=${page}`);
    found.push(...body.devices.map((d: { iccid: string }) => d.iccid));
    if (body.lastPage) return found;
  }
}

describe("TMUS Search Devices", () => {
  beforeEach(() => server.sim.reset());

  it("lists every device once, oldest modification first, and a change moves a device to the end", async () => {
    const before = await searchAll();
    expect(before).toEqual(ordered(await devices()));
    expect(new Set(before).size).toBe(100);

    const [oldest, second] = before as [string, string];
    await clock.advance(1000);
    expect((await cc("PUT", `/devices/${oldest}`, { deviceID: "moved-to-the-end" })).status).toBe(200);
    const after = await searchAll();
    expect(after[0]).toBe(second);
    expect(after.at(-1)).toBe(oldest);
  });

  it("narrows by modifiedSince and modifiedTill, both inclusive", async () => {
    const all = await devices();
    const times = all.map((d) => d.updatedAt).sort((a, b) => a - b);
    const [from, till] = [times[20] as number, times[60] as number];
    const window = async (since: number, till: number) =>
      (
        await cc("GET", `/devices?modifiedSince=${queryDate(since)}&modifiedTill=${queryDate(till)}`)
      ).body.devices.map((d: { iccid: string }) => d.iccid);
    // Documented requests name whole seconds: widen the window to the seconds that hold both ends.
    const fromSecond = Math.floor(from / 1000) * 1000;
    const tillSecond = Math.ceil(till / 1000) * 1000;
    expect(await window(fromSecond, tillSecond)).toEqual(
      ordered(all.filter((d) => d.updatedAt >= fromSecond && d.updatedAt <= tillSecond)),
    );
    // To the millisecond, the devices modified at either end are in: both ends are inclusive.
    expect(await window(from, till)).toEqual(
      ordered(all.filter((d) => d.updatedAt >= from && d.updatedAt <= till)),
    );
    // A changed device modified exactly at both ends, too.
    const [edited] = ordered(all) as [string];
    await cc("PUT", `/devices/${edited}`, { accountCustom1: "now" });
    expect(await window(clock.now(), clock.now())).toEqual([edited]);
    const bad = await cc("GET", `/devices?${SINCE_EVER}&modifiedTill=yesterday`);
    expect(bad.status).toBe(400);
  });

  it("filters on current custom-field values, exactly or with * wildcards, all filters together", async () => {
    const [a, b, c] = (await devices()).map((d) => d.record.iccid) as [string, string, string];
    await cc("PUT", `/devices/${a}`, { accountCustom1: "pump-north", customerCustom5: "gold" });
    await cc("PUT", `/devices/${b}`, { accountCustom1: "pump-south" });
    await cc("PUT", `/devices/${c}`, { accountCustom1: "Pump-east", accountCustom10: "x*y" });

    expect(await searchAll("accountCustom1=pump-north")).toEqual([a]);
    expect(await searchAll("accountCustom1=pump-*")).toEqual([a, b]);
    expect(await searchAll("accountCustom1=*-*")).toEqual([a, b, c]);
    // Case matters, and * inside a stored value is just a character.
    expect(await searchAll("accountCustom1=pump-EAST")).toEqual([]);
    expect(await searchAll("accountCustom10=x*y")).toEqual([c]);
    expect(await searchAll("accountCustom1=pump*&customerCustom5=gold")).toEqual([a]);
    // Operator fields are "" on every device an enterprise account holds; an empty filter filters nothing.
    expect(await searchAll("operatorCustom1=*x")).toEqual([]);
    expect(await searchAll("accountCustom1=")).toHaveLength(100);
    // A lone * matches the empty value too, so untouched devices pass it.
    expect(await searchAll("accountCustom2=*")).toHaveLength(100);

    // Edited away: the filter follows the device's current value.
    await cc("PUT", `/devices/${a}`, { accountCustom1: "retired" });
    expect(await searchAll("accountCustom1=pump-*")).toEqual([b]);
  });

  it("keeps the order of a full sort when changed devices interleave with untouched ones", async () => {
    // A clock set inside the generated history, so changes land before, among and after the
    // generated modification times and both runs of the merge matter.
    const early = new VirtualClock(Date.UTC(2025, 5, 1));
    const other = await controlCenterServer("TMUS", { clock: early });
    const all = await other.devices();
    for (const [i, d] of all.entries()) {
      if (i % 7 !== 0) continue;
      const edit =
        i % 2 && d.nativeStatus === "ACTIVATED" ? { status: "DEACTIVATED" } : { accountCustom2: "x" };
      const res = await other.cc("PUT", `/devices/${d.record.iccid}`, edit);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await early.advance(20 * 24 * 3_600_000);
    }
    const now = await other.devices();
    expect(now.some((d) => d.updatedAt > early.now() - 1e10 && d.updatedAt < Date.UTC(2026, 0, 1))).toBe(
      true,
    );
    for (const status of ["", "DEACTIVATED", "ACTIVATED"]) {
      const found: string[] = [];
      for (let page = 1; ; page++) {
        const query = `${SINCE_EVER}&pageSize=9&pageNumber=${page}${status ? `&status=${status}` : ""}`;
        const { body } = await other.cc("GET", `/devices?${query}`);
        found.push(...body.devices.map((d: { iccid: string }) => d.iccid));
        if (body.lastPage) break;
      }
      expect(found).toEqual(ordered(now.filter((d) => !status || d.nativeStatus === status)));
    }
  });

  it("pages a filtered search with lastPage and no total", async () => {
    const active = (await devices()).filter((d) => d.nativeStatus === "ACTIVATED");
    const page = await search("status=ACTIVATED", "pageSize=7", "pageNumber=2");
    expect(page).toEqual({
      pageNumber: 2,
      devices: ordered(active)
        .slice(7, 14)
        .map((iccid) => expect.objectContaining({ iccid, status: "ACTIVATED" })),
      lastPage: active.length <= 14,
    });
    expect(Object.keys(page)).toEqual(["pageNumber", "devices", "lastPage"]);
  });

  it("refuses unknown parameters with 10000028 and another account with 10000006", async () => {
    expect(await cc("GET", `/devices?${SINCE_EVER}&iccid=1&sort=asc`)).toEqual({
      status: 400,
      body: {
        errorMessage:
          "Invalid request. The request contained one or more unrecognized parameters: iccid, sort.",
        errorCode: "10000028",
      },
    });
    expect(await cc("GET", `/devices?${SINCE_EVER}&accountId=1`)).toMatchObject({
      status: 400,
      body: { errorCode: "10000006" },
    });
    expect((await cc("GET", `/devices?${SINCE_EVER}&accountId=${account.id}`)).status).toBe(200);
  });
});
