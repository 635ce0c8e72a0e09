import { type Outcome, ok } from "./adapter.js";

/** A window of a native list and the list's size. */
export type Window<T> = Outcome<{ items: T[]; total: number }>;

/**
 * Items [offset, offset + limit) of a page-numbered native list, fetching as few pages of
 * `pageSize` as cover the window. `firstPage` is 1 for APIs that count pages from one.
 */
export async function pagedWindow<T>(
  offset: number,
  limit: number,
  pageSize: number,
  firstPage: 0 | 1,
  fetchPage: (page: number, size: number) => Promise<Window<T>>,
): Promise<Window<T>> {
  const items: T[] = [];
  let page = Math.floor(offset / pageSize);
  let skip = offset - page * pageSize;
  let total = 0;
  let last: Window<T> | undefined;
  while (items.length < limit) {
    last = await fetchPage(page + firstPage, pageSize);
    if (!last.ok) return last;
    total = last.value.total;
    items.push(...last.value.items.slice(skip, skip + limit - items.length));
    if (last.value.items.length < pageSize || (page + 1) * pageSize >= total) break;
    skip = 0;
    page++;
  }
  return last?.ok
    ? ok({ items, total }, last.exchange)
    : ok({ items, total }, { status: 200, headers: [], body: "" });
}

/** Items [offset, offset + limit) of an offset/limit native list, in as few calls as its maximum allows. */
export async function offsetWindow<T>(
  offset: number,
  limit: number,
  maxLimit: number,
  fetch: (offset: number, limit: number) => Promise<Window<T>>,
): Promise<Window<T>> {
  const items: T[] = [];
  for (;;) {
    const page = await fetch(offset + items.length, Math.max(1, Math.min(maxLimit, limit - items.length)));
    if (!page.ok) return page;
    items.push(...page.value.items.slice(0, limit - items.length));
    const exhausted = page.value.items.length === 0 || offset + items.length >= page.value.total;
    if (items.length >= limit || exhausted) return ok({ items, total: page.value.total }, page.exchange);
  }
}
