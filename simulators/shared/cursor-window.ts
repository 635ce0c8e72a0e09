import { type Outcome, ok } from "./adapter.js";

export interface CursorPage<T> {
  items: T[];
  /** The cursor that continues after this page, absent on the last page. */
  next: string | undefined;
  /** The list's size, when the platform tells. */
  total: number | undefined;
}

const MAX_REMEMBERED = 10_000;

/**
 * Where pages of a cursor-paged list start, per account: a client paging forward (as the CMO does)
 * then costs one native call per page, and only a jump walks from the nearest known start.
 */
export class CursorIndex {
  readonly #starts = new Map<string, Map<number, string>>();

  nearest(accountId: string, offset: number): { at: number; cursor: string | undefined } {
    let best: { at: number; cursor: string | undefined } = { at: 0, cursor: undefined };
    for (const [at, cursor] of this.#starts.get(accountId) ?? []) {
      if (at <= offset && at > best.at) best = { at, cursor };
    }
    return best;
  }

  remember(accountId: string, offset: number, cursor: string): void {
    const starts = this.#starts.get(accountId) ?? new Map<number, string>();
    if (starts.size >= MAX_REMEMBERED) starts.clear();
    starts.set(offset, cursor);
    this.#starts.set(accountId, starts);
  }

  /** After the list changed shape (a transfer) or a cursor stopped working. */
  forget(accountId: string): void {
    this.#starts.delete(accountId);
  }
}

/**
 * Items [offset, offset + limit) of a cursor-paged list: reads on from the nearest known start in
 * pages of up to `maxPage`, each asking for no more than reaches the window's end, so the page that
 * crosses `offset` both skips and collects. Without a native total, the total is a lower bound.
 */
export async function cursorWindow<T>(
  index: CursorIndex,
  accountId: string,
  offset: number,
  limit: number,
  maxPage: number,
  fetchPage: (cursor: string | undefined, size: number) => Promise<Outcome<CursorPage<T>>>,
): Promise<Outcome<{ items: T[]; total: number }>> {
  let { at, cursor } = index.nearest(accountId, offset);
  const end = offset + limit;
  const items: T[] = [];
  for (;;) {
    const page = await fetchPage(cursor, Math.min(maxPage, Math.max(1, end - at)));
    if (!page.ok) {
      index.forget(accountId);
      return page;
    }
    const { next, total } = page.value;
    const skip = Math.max(0, offset - at);
    items.push(...page.value.items.slice(skip, skip + limit - items.length));
    at += page.value.items.length;
    if (next !== undefined) index.remember(accountId, at, next);
    cursor = next;
    // An empty page that still offers a cursor would otherwise be followed for ever.
    if (next === undefined || at >= end || page.value.items.length === 0) {
      return ok({ items, total: total ?? at + (next === undefined ? 0 : 1) }, page.exchange);
    }
  }
}
