import type { Context } from "hono";
import { INVENTORY_EPOCH } from "../../src/inventory/generate.js";
import { intParam } from "../shared/http.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import { badParameter, CODES, type ControlCenterError, ccError } from "./errors.js";
import { type SearchPage, searchItem } from "./model.js";

const PAGE_SIZE_MAX = 50;
/** Generated inventories reach at most three years behind their epoch: older dates filter nothing. */
const BEFORE_ANY_DEVICE = INVENTORY_EPOCH - 5 * 365 * 86_400_000;
const QUERY_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `yyyy-MM-ddTHH:mm:ssZ` as the Search Devices docs spell it (`2016-04-18T17:31:34+00:00`). A `+`
 * left unencoded in the query arrives as a space; it is read back as the offset sign it was.
 */
function queryDate(raw: string): number {
  const text = raw.replace(/ (\d{2}:?\d{2})$/, "+$1");
  return QUERY_DATE.test(text) ? Date.parse(text) : Number.NaN;
}

/** Search Devices: `modifiedSince` is mandatory, pages of at most 50, `lastPage` instead of a total. */
export async function searchDevices(
  c: Context,
  runtime: PlatformRuntime,
  account: NativeAccount,
): Promise<SearchPage | ControlCenterError> {
  const since = c.req.query("modifiedSince");
  if (!since) return ccError("bad-request", 400, CODES.missingParameter, "ModifiedSince is required.");
  const sinceMs = queryDate(since);
  if (Number.isNaN(sinceMs))
    return badParameter("ModifiedSince is invalid. Expected format yyyy-MM-ddTHH:mm:ssZ.");
  const till = c.req.query("modifiedTill");
  const tillMs = till === undefined ? undefined : queryDate(till);
  if (tillMs !== undefined && Number.isNaN(tillMs))
    return badParameter("ModifiedTill is invalid. Expected format yyyy-MM-ddTHH:mm:ssZ.");
  const status = c.req.query("status") || undefined;
  if (status !== undefined && !(status in runtime.definition.vocabulary.toCmo))
    return badParameter(`Status ${status} is invalid.`);
  const accountId = c.req.query("accountId");
  if (accountId !== undefined && accountId !== account.id)
    return ccError("bad-request", 400, CODES.invalidAccount, "Invalid accountId.");
  const pageSize = intParam(c, "pageSize", PAGE_SIZE_MAX);
  if (!(pageSize >= 1 && pageSize <= PAGE_SIZE_MAX))
    return badParameter(`PageSize is invalid. Maximum of ${PAGE_SIZE_MAX}.`);
  const pageNumber = intParam(c, "pageNumber", 1);
  if (!(pageNumber >= 1)) return badParameter("PageNumber is invalid.");

  const filtered = status !== undefined || tillMs !== undefined || sinceMs > BEFORE_ANY_DEVICE;
  const filter = (d: Device) =>
    d.updatedAt >= sinceMs &&
    (tillMs === undefined || d.updatedAt <= tillMs) &&
    (status === undefined || d.nativeStatus === status);
  // One extra device tells whether this page is the last without counting the whole account.
  const offset = (pageNumber - 1) * pageSize;
  const found = filtered
    ? (await runtime.scanDevices(account.id, filter, offset, pageSize + 1, false)).devices
    : runtime.listDevices(account.id, offset, pageSize + 1);
  return {
    pageNumber,
    devices: found.slice(0, pageSize).map(searchItem),
    lastPage: found.length <= pageSize,
  };
}
