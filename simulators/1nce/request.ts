import type { Context } from "hono";
import { luhnCheckDigit } from "../../src/inventory/identifiers.js";
import { badRequest, intParam, notFound, readJson } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { isError } from "./errors.js";
import { parseSort, type SortKey } from "./sort.js";

/** Where 1NCE serves its Management API; v1 and v2 sit side by side below it. */
export const BASE = "/management-api";
export const VERSIONS = ["v1", "v2"] as const;
export type ApiVersion = (typeof VERSIONS)[number];

/** 1NCE addresses SIMs by the ICCID without its Luhn digit; the full one is accepted as well. */
export async function findSim(
  runtime: PlatformRuntime,
  accountId: string,
  iccid: string,
): Promise<Device | undefined> {
  for (const candidate of /^\d{19}$/.test(iccid) ? [iccid + luhnCheckDigit(iccid), iccid] : [iccid]) {
    const device = await runtime.findDevice(accountId, candidate);
    if (device) return device;
  }
  return undefined;
}

/** A query parameter given at most once: a repeated one would otherwise be half ignored. */
export function singleQuery(c: Context, name: string): string | undefined | NativeError {
  const values = c.req.queries(name) ?? [];
  if (values.length > 1) return badRequest(`${name} may be given only once`);
  const value = values[0];
  if (value === "") return badRequest(`${name} must not be empty`);
  return value;
}

export interface PageRequest {
  page: number;
  size: number;
  offset: number;
}

/** A page size under the name and bounds an endpoint documents. */
export interface PageSize {
  param: string;
  fallback: number;
  max: number;
}

/** `page` (from 1) and a page size under the name and bounds each endpoint documents. */
export function readPage(c: Context, size: PageSize): PageRequest | NativeError {
  const page = intParam(c, "page", 1);
  if (!(page >= 1)) return badRequest(`Cannot parse parameter page: expected an integer of at least 1`);
  const pageSize = intParam(c, size.param, size.fallback);
  if (!(pageSize >= 1 && pageSize <= size.max))
    return badRequest(`Cannot parse parameter ${size.param}: expected an integer from 1 to ${size.max}`);
  return { page, size: pageSize, offset: (page - 1) * pageSize };
}

/** The paging headers 1NCE documents on its lists. */
export function pagingHeaders(total: number, { page, size }: PageRequest): Record<string, string> {
  return {
    "X-Total-Count": String(total),
    "X-Total-Pages": String(Math.ceil(total / size)),
    "X-Current-Page": String(page),
    "X-Count-Per-Page": String(size),
  };
}

/**
 * A JSON body that may be absent (v2's PUT marks none required): nothing sent, whatever the content
 * type says, reads as undefined; anything else must be JSON.
 */
export async function readOptionalJson(
  c: Context,
): Promise<{ ok: true; value: unknown } | { ok: false; error: NativeError }> {
  if ((await c.req.text()).trim() === "") return { ok: true, value: undefined };
  return readJson(c);
}

/** `sort` read against the fields an endpoint sorts by. */
export function sortParam<F extends string>(
  c: Context,
  fields: readonly F[],
): Array<SortKey<F>> | NativeError {
  const raw = singleQuery(c, "sort");
  return isError(raw) ? raw : parseSort(raw, fields);
}

/** A refused parameter that belongs to the other API version, named so the client can fix it. */
export function foreignParam(c: Context, name: string, hint: string): NativeError | undefined {
  return c.req.query(name) === undefined ? undefined : badRequest(`${name} is not a parameter here; ${hint}`);
}

/**
 * The page and sort keys of a list of a SIM's log (events, SMS): sorted by one of `sorting`'s
 * fields, or, where a version keeps the log oldest first, refusing `sort` with `sorting.refused`
 * as the hint.
 */
export function readLogQuery<F extends string>(
  c: Context,
  size: PageSize,
  sorting: readonly F[] | { refused: string },
): { page: PageRequest; keys: Array<SortKey<F>> } | NativeError {
  const page = readPage(c, size);
  if (isError(page)) return page;
  const keys =
    "refused" in sorting ? (foreignParam(c, "sort", sorting.refused) ?? []) : sortParam(c, sorting);
  return isError(keys) ? keys : { page, keys };
}

type Outcome = Response | NativeError;

/** A route handler that may answer with an error, which is then rendered in 1NCE's envelope. */
export function handle(
  fail: NativeApiKit["fail"],
  handler: (c: Context<NativeEnv>) => Outcome | Promise<Outcome>,
): (c: Context<NativeEnv>) => Promise<Response> {
  return async (c) => {
    const outcome = await handler(c);
    return isError(outcome) ? fail(c, outcome) : outcome;
  };
}

/** A route about the SIM the path names: one the caller does not hold is 1NCE's 404, before `handler` runs. */
export function simRoute(
  { runtime, fail }: NativeApiKit,
  handler: (c: Context<NativeEnv>, device: Device) => Outcome | Promise<Outcome>,
): (c: Context<NativeEnv>) => Promise<Response> {
  return handle(fail, async (c) => {
    const iccid = c.req.param("iccid") ?? "";
    const device = await findSim(runtime, c.get("account").id, iccid);
    return device ? handler(c, device) : notFound(`SIM ${iccid} not found`);
  });
}
