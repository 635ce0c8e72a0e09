import type { Context } from "hono";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import { CUSTOM_FIELDS, customOf } from "./attributes.js";
import { parseDateTime } from "./dates.js";
import { badParameter, CODES, type ControlCenterError, ccError, missingParameter } from "./errors.js";
import { type SearchPage, searchItem } from "./model.js";
import { byModification, firstAtOrAfter, generatedOrder } from "./modification-order.js";
import { offsetOf, PAGING_PARAMS, readPaging, refuseUnknown } from "./query.js";

const PARAMS = new Set<string>([
  "modifiedSince",
  "modifiedTill",
  "status",
  "accountId",
  ...PAGING_PARAMS,
  ...CUSTOM_FIELDS,
]);

/**
 * Glob match with `*` standing for any run of characters, everything else literal and
 * case-sensitive. Greedy with one backtrack point, so a pattern of many stars stays linear in
 * practice instead of exploding as a regular expression would.
 */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** What a search keeps, split so generated devices are judged without building them. */
interface Filter {
  since: number;
  till: number;
  status: string | undefined;
  customs: Array<{ name: string; pattern: string }>;
}

/** The filters a search asked for, or why it is refused. */
function readFilter(
  c: Context,
  runtime: PlatformRuntime,
  account: NativeAccount,
): Filter | ControlCenterError {
  const since = c.req.query("modifiedSince");
  if (!since) return missingParameter("ModifiedSince is required.");
  const sinceMs = parseDateTime(since);
  if (Number.isNaN(sinceMs))
    return badParameter("ModifiedSince is invalid. Expected format yyyy-MM-ddTHH:mm:ssZ.");
  const till = c.req.query("modifiedTill");
  const tillMs = till === undefined ? Number.POSITIVE_INFINITY : parseDateTime(till);
  if (Number.isNaN(tillMs))
    return badParameter("ModifiedTill is invalid. Expected format yyyy-MM-ddTHH:mm:ssZ.");
  const status = c.req.query("status") || undefined;
  if (status !== undefined && !(status in runtime.definition.vocabulary.toCmo))
    return badParameter(`Status ${status} is invalid.`);
  const accountId = c.req.query("accountId");
  if (accountId !== undefined && accountId !== account.id)
    return ccError("bad-request", 400, CODES.invalidAccount, "Invalid accountId.");
  // An empty custom-field value filters nothing, as an empty status does.
  const customs = CUSTOM_FIELDS.flatMap((name) => {
    const pattern = c.req.query(name);
    return pattern ? [{ name, pattern }] : [];
  });
  return { since: sinceMs, till: tillMs, status, customs };
}

const keeps = (filter: Filter, d: Device): boolean =>
  d.updatedAt >= filter.since &&
  d.updatedAt <= filter.till &&
  (filter.status === undefined || d.nativeStatus === filter.status) &&
  filter.customs.every(({ name, pattern }) => globMatches(pattern, customOf(d, name)));

/**
 * Search Devices: `modifiedSince` is mandatory, results run from the oldest modification to the
 * newest (ICCID breaks ties), pages of at most 50 and `lastPage` instead of a total.
 *
 * Two sorted runs are merged: the account's generated devices in their generated order (worked
 * out once per account, see modification-order.ts), skipping those the platform changed, and the
 * changed devices sorted on the spot. A page costs a walk to its offset over plain arrays; no
 * device is built except those on the page.
 */
export async function searchDevices(
  c: Context,
  runtime: PlatformRuntime,
  account: NativeAccount,
): Promise<SearchPage | ControlCenterError> {
  const refused = refuseUnknown(c, PARAMS);
  if (refused) return refused;
  const filter = readFilter(c, runtime, account);
  if ("kind" in filter) return filter;
  const paging = readPaging(c);
  if ("kind" in paging) return paging;

  const { inventory } = account;
  const { indexes, times } = await generatedOrder(inventory);
  const changed = runtime
    .changedDevices(account.id)
    .filter((d) => keeps(filter, d))
    .sort(byModification);
  // Generated devices carry no custom fields: one look at the empty value decides them all.
  const generatedKept = filter.customs.every(({ pattern }) => globMatches(pattern, ""));
  const initial = runtime.definition.vocabulary.initial;
  const changedHere = new Set<number>();
  for (const nativeId of runtime.changedIds()) {
    const index = inventory.indexOf(nativeId);
    if (index !== undefined) changedHere.add(index);
  }
  const keptGenerated = (index: number): boolean =>
    !changedHere.has(index) &&
    (filter.status === undefined || initial[inventory.statusAt(index)] === filter.status);

  const offset = offsetOf(paging);
  const wanted = offset + paging.pageSize;
  const within = (position: number) => position < times.length && (times[position] as number) <= filter.till;
  // A page entry is a generated index or a changed device; ids are made only for the page.
  const page: Array<number | Device> = [];
  let g = generatedKept ? firstAtOrAfter(times, filter.since) : times.length;
  let m = 0;
  let matches = 0;
  // One match past the page tells whether it is the last.
  while (matches <= wanted) {
    while (within(g) && !keptGenerated(indexes[g] as number)) g++;
    const nextChanged = changed[m];
    let entry: number | Device;
    if (within(g) && (nextChanged === undefined || generatedFirst(g, nextChanged)))
      entry = indexes[g++] as number;
    else if (nextChanged !== undefined) entry = changed[m++] as Device;
    else break;
    if (matches >= offset && matches < wanted) page.push(entry);
    matches++;
  }
  const devices = page.flatMap((entry) => {
    const device =
      typeof entry === "number" ? runtime.findDevice(account.id, inventory.nativeIdAt(entry)) : entry;
    return device ? [searchItem(device)] : [];
  });
  return { pageNumber: paging.pageNumber, devices, lastPage: matches <= wanted };

  function generatedFirst(position: number, other: Device): boolean {
    const at = times[position] as number;
    if (at !== other.updatedAt) return at < other.updatedAt;
    return inventory.nativeIdAt(indexes[position] as number) < other.record.nativeId;
  }
}
