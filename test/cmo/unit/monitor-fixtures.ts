import { expect } from "vitest";
import { ProductDirectory } from "../../../src/cmo/directory.js";
import type { MonitorRecord } from "../../../src/cmo/monitor-model.js";
import { MonitorBook } from "../../../src/cmo/monitors.js";
import type { Clock } from "../../../src/engine/clock.js";
import type { StateStore } from "../../../src/store/store.js";
import { type TablePlatform, tableGateway } from "./table-platform.js";

export const NATIVE = "89490200001234567890";
export const PRODUCT = `TMSP-${NATIVE}`;
export const SETTINGS = {
  retentionMs: 60_000,
  pollFirstMs: 1_000,
  pollMaxMs: 8_000,
  giveUpAfterMs: 3_600_000,
};

/** A monitor book over one TMSP table platform with one account, `a1`, of the tenant `eos`. */
export function monitorBook(store: StateStore, clock: Clock, platform: TablePlatform): MonitorBook {
  const gateway = tableGateway({ TMSP: platform }, [{ platform: "TMSP", id: "a1", name: "One", size: 1 }]);
  return new MonitorBook(
    store,
    clock,
    () => gateway,
    new ProductDirectory(store, () => gateway),
    () => SETTINGS,
  );
}

/** A monitor over one status change to ACTIVE, waiting on `ticket`. */
export function statusMonitor(id: string, ticket: string, createdAt: number): MonitorRecord {
  return {
    id,
    tenant: "eos",
    kind: "status",
    source: `product/${PRODUCT}-simCard`,
    request: { method: "PATCH", body: [], headers: [] },
    entries: [
      {
        platform: "TMSP",
        productId: PRODUCT,
        accountId: "a1",
        nativeId: NATIVE,
        state: "IN_PROGRESS",
        message: "",
        native: { status: 202, headers: [], body: "" },
        action: { kind: "status", target: "ACTIVE" },
        ticket,
      },
    ],
    correlationId: "c-1",
    createdAt,
  };
}

/** Claims the product, then hands it to a new monitor, as the CMO service does. */
export async function accept(
  book: MonitorBook,
  platform: TablePlatform,
  clock: Clock,
  ticket = "t-1",
): Promise<MonitorRecord> {
  platform.tickets.set(ticket, "IN_PROGRESS");
  expect(await book.claim("eos", PRODUCT, { monitorId: "", target: "ACTIVE" })).toBe(true);
  const record = statusMonitor(await book.newId("eos", NATIVE), ticket, clock.now());
  await book.add(record);
  return record;
}
