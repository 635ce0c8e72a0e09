import type { Context } from "hono";
import { intParam } from "../shared/http.js";
import type { NativeAccount } from "../shared/runtime.js";
import { parseDateTime } from "./dates.js";
import {
  badParameter,
  type ControlCenterError,
  capitalised,
  invalidAccount,
  unrecognised,
} from "./errors.js";

/**
 * Query-string rules every Control Center function shares: a parameter it does not know is an
 * error (10000028), pages hold at most 50 and count from 1, and single-object reads take
 * `fields=a,b` for a partial answer.
 */

/** The first query parameters outside `allowed`, refused as Control Center refuses them. */
export function refuseUnknown(c: Context, allowed: ReadonlySet<string>): ControlCenterError | undefined {
  const unknown = Object.keys(c.req.queries()).filter((name) => !allowed.has(name));
  return unknown.length > 0 ? unrecognised(unknown) : undefined;
}

export const NO_PARAMS: ReadonlySet<string> = new Set();

const PAGE_SIZE_MAX = 50;
export const PAGING_PARAMS = ["pageSize", "pageNumber"] as const;

export interface Paging {
  pageSize: number;
  pageNumber: number;
}

export function readPaging(c: Context): Paging | ControlCenterError {
  const pageSize = intParam(c, "pageSize", PAGE_SIZE_MAX);
  if (!(pageSize >= 1 && pageSize <= PAGE_SIZE_MAX))
    return badParameter(`PageSize is invalid. Maximum of ${PAGE_SIZE_MAX}.`);
  const pageNumber = intParam(c, "pageNumber", 1);
  if (!(pageNumber >= 1)) return badParameter("PageNumber is invalid.");
  return { pageSize, pageNumber };
}

export const offsetOf = ({ pageSize, pageNumber }: Paging) => (pageNumber - 1) * pageSize;

/** One page of an already ordered list; `lastPage` because Control Center never tells a total. */
export function pageOf<T>(items: readonly T[], paging: Paging): { items: T[]; lastPage: boolean } {
  const offset = offsetOf(paging);
  return {
    items: items.slice(offset, offset + paging.pageSize),
    lastPage: items.length <= offset + paging.pageSize,
  };
}

/**
 * A `yyyy-MM-ddTHH:mm:ssZ` parameter in epoch ms, or why it is refused; undefined when it is not
 * sent or empty (an empty value filters nothing, as with every other parameter).
 */
export function dateTimeParam(c: Context, name: string): number | undefined | ControlCenterError {
  const raw = c.req.query(name);
  if (!raw) return undefined;
  const ms = parseDateTime(raw);
  return Number.isNaN(ms)
    ? badParameter(`${capitalised(name)} is invalid. Expected format yyyy-MM-ddTHH:mm:ssZ.`)
    : ms;
}

/** Searches take the caller's own `accountId` and refuse any other. */
export function refuseOtherAccount(c: Context, account: NativeAccount): ControlCenterError | undefined {
  const accountId = c.req.query("accountId");
  return accountId !== undefined && accountId !== account.id ? invalidAccount() : undefined;
}

export const PARTIAL = "fields";

/** Narrows a single-object answer to `fields=a,b`; names the object does not have are left out. */
export function partial(c: Context, body: Record<string, unknown>): Record<string, unknown> {
  const fields = c.req.query(PARTIAL)?.split(",").filter(Boolean);
  return fields?.length ? Object.fromEntries(fields.filter((f) => f in body).map((f) => [f, body[f]])) : body;
}
