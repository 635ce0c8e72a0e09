import { DeviceBook } from "../../../simulators/shared/device-book.js";
import { DeviceLogs } from "../../../simulators/shared/device-log.js";
import type { NativeOperation } from "../../../simulators/shared/operation-book.js";
import { OperationBook } from "../../../simulators/shared/operation-book.js";
import type { PlatformSpec } from "../../../simulators/shared/platform-spec.js";
import { tmsp } from "../../../simulators/tmsp/index.js";
import { VirtualClock } from "../../../src/engine/clock.js";
import type { TimelinePlan } from "../../../src/engine/timeline.js";
import { MemoryStore, type StateStore } from "../../../src/store/store.js";

/** The books of one small TMSP platform (INACTIVE → ACTIVE → SUSPENDED…), on a virtual clock. */

export const SPEC: PlatformSpec = tmsp;
export const START = Date.UTC(2026, 5, 1);

export const ACCOUNTS = [
  { platform: "TMSP" as const, id: "100001", name: "First", tenant: "eos", size: 40 },
  { platform: "TMSP" as const, id: "100002", name: "Second", tenant: "eos", size: 40 },
  { platform: "TMSP" as const, id: "100003", name: "Third", tenant: "eos", size: 10 },
];
export const [FIRST, SECOND, THIRD] = ACCOUNTS.map((a) => a.id) as [string, string, string];

export interface Books {
  clock: VirtualClock;
  store: StateStore;
  logs: DeviceLogs;
  devices: DeviceBook;
  operations: OperationBook;
}

/**
 * A device book and the operation book over it, wired as the runtime wires them, over `store`
 * (a fresh one unless another process's books share it).
 */
export function books(clock = new VirtualClock(START), store: StateStore = new MemoryStore()): Books {
  const logs = new DeviceLogs(store, SPEC.code);
  const devices: DeviceBook = new DeviceBook(SPEC, 7, ACCOUNTS, clock, store, (id) => operations.settle(id));
  const operations = new OperationBook(devices, logs, clock, store);
  return { clock, store, logs, devices, operations };
}

/** The first device of `accountId` in `nativeStatus`. */
export async function deviceIn(
  devices: DeviceBook,
  accountId: string,
  nativeStatus: string,
): Promise<string> {
  const found = (await devices.listDevices(accountId, 0, 40)).find((d) => d.nativeStatus === nativeStatus);
  if (!found) throw new Error(`no ${nativeStatus} device in ${accountId}`);
  return found.record.nativeId;
}

/** A plan drawn by hand: one stage `ms` long from now, with the given outcome. */
export function planOf(
  clock: VirtualClock,
  ms: number,
  outcome: TimelinePlan["outcome"] = "succeeded",
): TimelinePlan {
  const startedAt = clock.now();
  return {
    startedAt,
    stages: [{ state: "IN_PROGRESS", endsAt: startedAt + ms }],
    outcome,
    endsAt: startedAt + ms,
  };
}

/** Starts operation `id`: `nativeId` of the first account from INACTIVE to ACTIVE, `ms` long. */
export function activate(books: Books, id: string, nativeId: string, ms: number): Promise<NativeOperation> {
  return books.operations.start(
    { id, accountId: FIRST, kind: "status", items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }] },
    planOf(books.clock, ms),
  );
}
