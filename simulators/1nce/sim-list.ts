import { badRequest } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeError } from "../shared/types.js";
import { ipAddressOf } from "./model.js";
import { compareValues, type SortKey } from "./sort.js";

/** The only fields 1NCE documents for `q` and `sort` on the SIM list. */
export const SIM_FIELDS = ["imei", "ip_address"] as const;
type SimField = (typeof SIM_FIELDS)[number];

export interface Criterion {
  field: SimField;
  value: string;
}

/**
 * `q=ip_address:127.0.0.1,imei:4711`: comma-separated `{filter}:{value}` pairs, all of which must
 * hold. 1NCE documents no operators, so a value matches exactly. The split is at the first colon.
 */
export function parseFilter(raw: string | undefined): Criterion[] | NativeError {
  if (raw === undefined) return [];
  const criteria: Criterion[] = [];
  for (const pair of raw.split(",")) {
    const colon = pair.indexOf(":");
    const field = pair.slice(0, colon).trim() as SimField;
    const value = pair.slice(colon + 1).trim();
    if (colon < 0 || value === "")
      return badRequest(`Cannot parse filter '${pair}': expected {filter}:{value}`);
    if (!SIM_FIELDS.includes(field))
      return badRequest(`Cannot filter by '${field}': filterable fields are ${SIM_FIELDS.join(", ")}`);
    criteria.push({ field, value });
  }
  return criteria;
}

const fieldOf = (device: Device, field: SimField): string =>
  field === "imei" ? device.record.imei : ipAddressOf(device.record);

/** IPs compare as numbers (10.0.0.9 before 10.0.0.10); IMEIs are equal-length digit strings. */
function sortValue(device: Device, field: SimField): string | number {
  if (field === "imei") return device.record.imei;
  return ipAddressOf(device.record)
    .split(".")
    .reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Where the list's order of one account is cached: sorting 100,000 SIMs is a full scan. */
interface CachedOrder {
  count: number;
  positions: Promise<Int32Array>;
}
const ORDERS = new WeakMap<PlatformRuntime, Map<string, CachedOrder>>();
/** Orders kept per platform (each 4 bytes a SIM: 400 KB for 100,000). */
const ORDERS_KEPT = 4;

/**
 * Positions (in the account's natural order) of the SIMs that pass `criteria`, sorted by `keys`.
 * One pass over the account that keeps only the sort values, then a sort of those. IMEIs and IPs
 * are never edited, so without a filter the order depends on the account's SIMs alone and is kept
 * until their number changes: the first sorted page pays the scan, the pages after it do not.
 */
async function sortedPositions(
  runtime: PlatformRuntime,
  accountId: string,
  criteria: Criterion[],
  keys: Array<SortKey<SimField>>,
): Promise<Int32Array> {
  const scan = async () => {
    const positions: number[] = [];
    const values: Array<Array<string | number>> = keys.map(() => []);
    let position = 0;
    // A visitor, not a filter: it keeps what it needs and passes nothing, so the scan holds no devices.
    await runtime.scanDevices(
      accountId,
      (device) => {
        if (criteria.every((c) => fieldOf(device, c.field) === c.value)) {
          positions.push(position);
          for (const [k, key] of keys.entries()) values[k]?.push(sortValue(device, key.field));
        }
        position++;
        return false;
      },
      0,
      0,
      false,
    );
    const order = positions.map((_, i) => i);
    order.sort((a, b) => {
      for (const [k, key] of keys.entries()) {
        const column = values[k] as Array<string | number>;
        const compared = compareValues(
          column[a] as string | number,
          column[b] as string | number,
          key.descending,
        );
        if (compared !== 0) return compared;
      }
      return a - b;
    });
    return Int32Array.from(order, (i) => positions[i] as number);
  };
  if (criteria.length > 0) return scan();
  const cache = ORDERS.get(runtime) ?? new Map<string, CachedOrder>();
  ORDERS.set(runtime, cache);
  const cacheKey = `${accountId}\u0000${keys.map((k) => (k.descending ? "-" : "") + k.field).join(",")}`;
  const count = await runtime.countDevices(accountId);
  const cached = cache.get(cacheKey);
  if (cached && cached.count === count) return cached.positions;
  const positions = scan();
  cache.delete(cacheKey);
  cache.set(cacheKey, { count, positions });
  if (cache.size > ORDERS_KEPT) cache.delete(cache.keys().next().value as string);
  positions.catch(() => cache.delete(cacheKey));
  return positions;
}

/** A page of an account's SIMs under `q` and `sort`, and how many pass the filter. */
export async function findSims(
  runtime: PlatformRuntime,
  accountId: string,
  query: { criteria: Criterion[]; keys: Array<SortKey<SimField>>; offset: number; limit: number },
): Promise<{ total: number; devices: Device[] }> {
  const { criteria, keys, offset, limit } = query;
  if (keys.length === 0 && criteria.length === 0)
    return {
      total: await runtime.countDevices(accountId),
      devices: await runtime.listDevices(accountId, offset, limit),
    };
  if (keys.length === 0) {
    const matches = (d: Device) => criteria.every((c) => fieldOf(d, c.field) === c.value);
    return runtime.scanDevices(accountId, matches, offset, limit);
  }
  const positions = await sortedPositions(runtime, accountId, criteria, keys);
  const devices: Device[] = [];
  for (const p of positions.subarray(offset, offset + limit))
    devices.push(...(await runtime.listDevices(accountId, p, 1)));
  return { total: positions.length, devices };
}
