import type { Context } from "hono";
import type { AccountInventory } from "../../src/inventory/generate.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import { CUSTOM_FIELDS, customOf } from "./attributes.js";
import { badParameter, type ControlCenterError, missingParameter } from "./errors.js";
import { type SearchItem, type SearchPage, searchItem } from "./model.js";
import { byModification, firstAtOrAfter, type GeneratedOrder, generatedOrder } from "./modification-order.js";
import {
  dateTimeParam,
  offsetOf,
  PAGING_PARAMS,
  readPaging,
  refuseOtherAccount,
  refuseUnknown,
} from "./query.js";

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
function globMatches(pattern: string, text: string): boolean {
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
  const since = dateTimeParam(c, "modifiedSince");
  if (since === undefined) return missingParameter("ModifiedSince is required.");
  if (typeof since === "object") return since;
  const till = dateTimeParam(c, "modifiedTill") ?? Number.POSITIVE_INFINITY;
  if (typeof till === "object") return till;
  const status = c.req.query("status") || undefined;
  if (status !== undefined && !(status in runtime.definition.vocabulary.toCmo))
    return badParameter(`Status ${status} is invalid.`);
  const otherAccount = refuseOtherAccount(c, account);
  if (otherAccount) return otherAccount;
  // An empty custom-field value filters nothing, as an empty status does.
  const customs = CUSTOM_FIELDS.flatMap((name) => {
    const pattern = c.req.query(name);
    return pattern ? [{ name, pattern }] : [];
  });
  return { since, till, status, customs };
}

const keeps = (filter: Filter, d: Device): boolean =>
  d.updatedAt >= filter.since &&
  d.updatedAt <= filter.till &&
  (filter.status === undefined || d.nativeStatus === filter.status) &&
  filter.customs.every(({ name, pattern }) => globMatches(pattern, customOf(d, name)));

/**
 * The platform's changed devices as a search of one account sees them, in one pass: the
 * account's that the filter keeps, in Search Devices' order, and the generated indexes of the
 * account whose record no longer tells (edited here, or moved away), which the generated run skips.
 */
async function changedRun(runtime: PlatformRuntime, account: NativeAccount, filter: Filter) {
  const kept: Device[] = [];
  const displaced = new Set<number>();
  for (const nativeId of await runtime.changedIds()) {
    const index = account.inventory.indexOf(nativeId);
    if (index !== undefined) displaced.add(index);
    const device = await runtime.findDevice(account.id, nativeId);
    if (device && keeps(filter, device)) kept.push(device);
  }
  return { kept: kept.sort(byModification), displaced };
}

/** The account's untouched generated devices a search keeps, as positions of its generated order. */
interface GeneratedRun {
  order: GeneratedOrder;
  inventory: AccountInventory;
  /** The first position that may be listed. */
  start: number;
  /** The latest modification listed. */
  till: number;
  /** Whether the device at a generated index is listed. */
  listed: (index: number) => boolean;
}

function generatedRun(
  runtime: PlatformRuntime,
  account: NativeAccount,
  order: GeneratedOrder,
  filter: Filter,
  displaced: ReadonlySet<number>,
): GeneratedRun {
  const { inventory } = account;
  const initial = runtime.definition.vocabulary.initial;
  // Generated devices carry no custom fields: one look at the empty value decides them all.
  const customsPass = filter.customs.every(({ pattern }) => globMatches(pattern, ""));
  return {
    order,
    inventory,
    start: customsPass ? firstAtOrAfter(order.times, filter.since) : order.times.length,
    till: filter.till,
    listed: (index) =>
      !displaced.has(index) &&
      (filter.status === undefined || initial[inventory.statusAt(index)] === filter.status),
  };
}

/** Whether the generated device at `position` comes before `other` in Search Devices' order. */
function generatedFirst({ order, inventory }: GeneratedRun, position: number, other: Device): boolean {
  const at = order.times[position] as number;
  if (at !== other.updatedAt) return at < other.updatedAt;
  return inventory.nativeIdAt(order.indexes[position] as number) < other.record.nativeId;
}

/**
 * Entries [offset, end) of the generated run merged with the changed devices (each already in
 * order): a generated index or a changed device. One entry past the page tells whether it is the last.
 */
function mergedPage(run: GeneratedRun, changed: readonly Device[], offset: number, end: number) {
  const { indexes, times } = run.order;
  const within = (position: number) => position < times.length && (times[position] as number) <= run.till;
  const entries: Array<number | Device> = [];
  let g = run.start;
  let m = 0;
  let matches = 0;
  while (matches <= end) {
    while (within(g) && !run.listed(indexes[g] as number)) g++;
    const next = changed[m];
    let entry: number | Device;
    if (within(g) && (next === undefined || generatedFirst(run, g, next))) entry = indexes[g++] as number;
    else if (next !== undefined) {
      entry = next;
      m++;
    } else break;
    if (matches >= offset && matches < end) entries.push(entry);
    matches++;
  }
  return { entries, lastPage: matches <= end };
}

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

  const order = await generatedOrder(account.inventory);
  const changed = await changedRun(runtime, account, filter);
  const run = generatedRun(runtime, account, order, filter, changed.displaced);
  const offset = offsetOf(paging);
  const { entries, lastPage } = mergedPage(run, changed.kept, offset, offset + paging.pageSize);
  const devices: SearchItem[] = [];
  for (const entry of entries) {
    const device =
      typeof entry === "number"
        ? await runtime.findDevice(account.id, account.inventory.nativeIdAt(entry))
        : entry;
    if (device) devices.push(searchItem(device));
  }
  return { pageNumber: paging.pageNumber, devices, lastPage };
}
