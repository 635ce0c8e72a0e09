import type { AccountInventory } from "../../src/inventory/generate.js";
import type { Device } from "../shared/runtime.js";

/**
 * An account's generated devices sorted by their generated modification time, the index breaking
 * ties (ICCIDs of one range sort as their indexes do). Generated records never change, so the order
 * is worked out once per account and kept: 12 bytes a device.
 */
export interface GeneratedOrder {
  /** Device indexes, earliest modification first. */
  indexes: Uint32Array;
  /** Their modification times, in the same order, for binary search. */
  times: Float64Array;
}

/** Generated records worked out between two pauses, so a large account does not stall other requests. */
const SLICE = 5_000;

const orders = new WeakMap<AccountInventory, Promise<GeneratedOrder>>();

export function generatedOrder(inventory: AccountInventory): Promise<GeneratedOrder> {
  let order = orders.get(inventory);
  if (!order) {
    order = buildOrder(inventory);
    orders.set(inventory, order);
  }
  return order;
}

async function buildOrder(inventory: AccountInventory): Promise<GeneratedOrder> {
  const byIndex = new Float64Array(inventory.size);
  for (let index = 0; index < inventory.size; index++) {
    if (index > 0 && index % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    byIndex[index] = inventory.updatedAtOf(index);
  }
  const indexes = new Uint32Array(inventory.size);
  for (let index = 0; index < indexes.length; index++) indexes[index] = index;
  indexes.sort((a, b) => (byIndex[a] as number) - (byIndex[b] as number) || a - b);
  const times = new Float64Array(indexes.length);
  for (let at = 0; at < indexes.length; at++) times[at] = byIndex[indexes[at] as number] as number;
  return { indexes, times };
}

/** First position whose time is at or after `since`. */
export function firstAtOrAfter(times: Float64Array, since: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) < since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Search Devices' order for devices a platform changed: last modification, then ICCID. */
export function byModification(a: Device, b: Device): number {
  const x = a.record.nativeId;
  const y = b.record.nativeId;
  return a.updatedAt - b.updatedAt || (x < y ? -1 : x > y ? 1 : 0);
}
