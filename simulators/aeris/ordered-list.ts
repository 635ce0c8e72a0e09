import type { Device, PlatformRuntime } from "../shared/runtime.js";
import { type IdentifierType, identifierOf } from "./identifiers.js";

/**
 * An organisation's subscriptions in the order of one identifier, resuming after a cursor (the
 * identifier of the last one a caller saw), as Aeris' Search API pages. Keys compare as strings.
 */

export interface OrderedPage {
  devices: Device[];
  /** Whether more subscriptions follow the page. */
  more: boolean;
}

/**
 * The unfiltered list, without a full scan. An organisation's own SIMs come from numbered ranges,
 * so their ICC, IMSI and MSISDN all rise with their index: a binary search finds the cursor, and
 * SIMs moved in from other organisations (few) are merged in by key.
 */
export async function orderedPage(
  runtime: PlatformRuntime,
  accountId: string,
  order: Exclude<IdentifierType, "IMEI">,
  cursor: string | undefined,
  limit: number,
): Promise<OrderedPage> {
  const inventory = runtime.accounts.get(accountId)?.inventory;
  if (!inventory) return { devices: [], more: false };
  const keyOf = (device: Device) => identifierOf(device.record, order);
  let index =
    cursor === undefined
      ? 0
      : firstWhere(inventory.size, (i) => identifierOf(inventory.recordAt(i), order) > cursor);
  // Own SIMs that moved away are no longer found in this organisation: skipped.
  const nextOwn = async (): Promise<Device | undefined> => {
    while (index < inventory.size) {
      const device = await runtime.findDevice(accountId, inventory.nativeIdAt(index++));
      if (device) return device;
    }
    return undefined;
  };
  const arrivals = (await arrivalsOf(runtime, accountId))
    .map((device) => ({ device, key: keyOf(device) }))
    .filter(({ key }) => cursor === undefined || key > cursor)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let next = 0;
  let own = await nextOwn();
  const devices: Device[] = [];
  // One more than asked for tells whether a next page exists.
  while (devices.length <= limit && (own !== undefined || next < arrivals.length)) {
    const arrival = arrivals[next];
    if (own && (!arrival || keyOf(own) < arrival.key)) {
      devices.push(own);
      own = await nextOwn();
    } else if (arrival) {
      devices.push(arrival.device);
      next++;
    }
  }
  return { devices: devices.slice(0, limit), more: devices.length > limit };
}

/**
 * A filtered list: one scan of the organisation (in slices, so other requests go on), counting
 * every match and keeping the `limit` + 1 smallest keys after the cursor.
 */
export async function filteredPage(
  runtime: PlatformRuntime,
  accountId: string,
  order: IdentifierType,
  cursor: string | undefined,
  limit: number,
  matches: (device: Device) => boolean,
): Promise<OrderedPage & { total: number }> {
  const kept: Array<{ device: Device; key: string }> = [];
  const { total } = await runtime.scanDevices(
    accountId,
    (device) => {
      if (!matches(device)) return false;
      const key = identifierOf(device.record, order);
      if (cursor === undefined || key > cursor) keepSmallest(kept, { device, key }, limit + 1);
      return true;
    },
    0,
    0,
  );
  return { devices: kept.slice(0, limit).map((k) => k.device), more: kept.length > limit, total };
}

/** Inserts into a list sorted by key, dropping the largest beyond `capacity`. */
function keepSmallest<T extends { key: string }>(list: T[], item: T, capacity: number): void {
  const last = list.at(-1);
  if (list.length >= capacity && last && item.key >= last.key) return;
  const at = firstWhere(list.length, (i) => (list[i] as T).key > item.key);
  list.splice(at, 0, item);
  if (list.length > capacity) list.pop();
}

/** The smallest index in [0, size) where `test` holds, `test` being false up to it and true from it on. */
function firstWhere(size: number, test: (index: number) => boolean): number {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * SIMs the organisation received from others. The runtime lists an account's own SIMs first and
 * its arrivals after them, so a binary search over that list finds where arrivals begin.
 */
async function arrivalsOf(runtime: PlatformRuntime, accountId: string): Promise<Device[]> {
  const inventory = runtime.accounts.get(accountId)?.inventory;
  const total = await runtime.countDevices(accountId);
  const isArrival = async (position: number) => {
    const device = (await runtime.listDevices(accountId, position, 1))[0];
    return device !== undefined && inventory?.indexOf(device.record.nativeId) === undefined;
  };
  // firstWhere's search, with a test that reads the store.
  let first = 0;
  let hi = total;
  while (first < hi) {
    const mid = (first + hi) >> 1;
    if (await isArrival(mid)) hi = mid;
    else first = mid + 1;
  }
  return runtime.listDevices(accountId, first, total - first);
}
