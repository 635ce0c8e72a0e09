import { describe, expect, it } from "vitest";
import { OPERATION_RETENTION_MS } from "../../../simulators/shared/operation-book.js";
import { VirtualClock } from "../../../src/engine/clock.js";
import { books, deviceIn, FIRST, planOf, SECOND, START } from "./books.js";

describe("the operation book", () => {
  it("marks the device in flight and applies the outcome when the plan ends, on the clock", async () => {
    const { clock, devices, operations } = books();
    const nativeId = deviceIn(devices, FIRST, "INACTIVE");
    const operation = operations.start(
      {
        id: "req-1",
        accountId: FIRST,
        kind: "status",
        items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }],
      },
      planOf(clock, 10_000),
    );
    expect(operation).toMatchObject({ createdAt: START, applied: false });
    expect(devices.findDevice(FIRST, nativeId)).toMatchObject({
      nativeStatus: "INACTIVE",
      pendingOperation: "req-1",
    });
    expect(operations.inFlight).toBe(1);

    await clock.advance(9_999);
    expect(operations.state(operation)).toEqual({ stage: "IN_PROGRESS", done: false, outcome: undefined });
    expect(devices.findDevice(FIRST, nativeId)?.pendingOperation).toBe("req-1");

    await clock.advance(1);
    expect(operations.get("req-1")?.applied).toBe(true);
    expect(operations.inFlight).toBe(0);
    expect(devices.findDevice(FIRST, nativeId)).toMatchObject({
      nativeStatus: "ACTIVE",
      pendingOperation: undefined,
      updatedAt: START + 10_000,
    });
  });

  it("puts a device back where it was when the operation fails, and moves one only when a transfer succeeds", async () => {
    const { clock, devices, operations } = books();
    const failing = deviceIn(devices, FIRST, "INACTIVE");
    const moving = devices.listDevices(FIRST, 0, 2).find((d) => d.record.nativeId !== failing)!
      .record.nativeId;
    const from = "INACTIVE";
    operations.start(
      {
        id: "f",
        accountId: FIRST,
        kind: "status",
        items: [{ nativeId: failing, from, to: "TERMINATED" }],
      },
      planOf(clock, 1_000, "failed"),
    );
    const status = devices.findDevice(FIRST, moving)!.nativeStatus;
    operations.start(
      {
        id: "t",
        accountId: FIRST,
        kind: "transfer",
        targetAccountId: SECOND,
        items: [{ nativeId: moving, from: status, to: status }],
      },
      planOf(clock, 2_000),
    );
    await clock.advance(2_000);
    expect(devices.findDevice(FIRST, failing)?.nativeStatus).toBe(from);
    expect(devices.findDevice(FIRST, moving)).toBeUndefined();
    expect(devices.findDevice(SECOND, moving)?.nativeStatus).toBe(status);
  });

  it("keeps a finished operation readable for its retention, then forgets it", async () => {
    const { clock, devices, operations } = books();
    const nativeId = deviceIn(devices, FIRST, "INACTIVE");
    const { plan } = operations.start(
      { id: "r", accountId: FIRST, kind: "status", items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }] },
      planOf(clock, 1_000),
    );
    await clock.advanceTo(plan.endsAt + OPERATION_RETENTION_MS - 1);
    expect(operations.get("r")?.applied).toBe(true);
    await clock.advance(1);
    expect(operations.get("r")).toBeUndefined();
    expect(operations.snapshot().operations).toEqual([]);
    expect(devices.findDevice(FIRST, nativeId)?.nativeStatus).toBe("ACTIVE");
  });

  it("re-arms a pending completion from the restored record alone", async () => {
    const first = books();
    const nativeId = deviceIn(first.devices, FIRST, "INACTIVE");
    first.operations.start(
      { id: "p", accountId: FIRST, kind: "status", items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }] },
      planOf(first.clock, 30_000),
    );
    await first.clock.advance(10_000);
    const saved = JSON.parse(JSON.stringify({ ...first.devices.snapshot(), ...first.operations.snapshot() }));

    // Another process, whose clock has moved on 5 s: nothing of the first one's timers comes along.
    const second = books(new VirtualClock(START + 15_000));
    second.devices.restore(saved);
    second.operations.restore(saved);
    expect(second.operations.inFlight).toBe(1);
    expect(second.devices.findDevice(FIRST, nativeId)?.pendingOperation).toBe("p");
    await second.clock.advanceTo(START + 29_999);
    expect(second.operations.get("p")?.applied).toBe(false);
    await second.clock.advance(1);
    expect(second.operations.get("p")?.applied).toBe(true);
    expect(second.devices.findDevice(FIRST, nativeId)).toMatchObject({
      nativeStatus: "ACTIVE",
      pendingOperation: undefined,
    });

    // One whose time passed while it was saved completes at once.
    const late = books(new VirtualClock(START + 60_000));
    late.devices.restore(saved);
    late.operations.restore(saved);
    await late.clock.advance(0);
    expect(late.operations.get("p")?.applied).toBe(true);
    expect(late.devices.findDevice(FIRST, nativeId)?.nativeStatus).toBe("ACTIVE");
  });

  it("applies a scheduled edit at its time, kept through a restore, and drops one the device can no longer take", async () => {
    const first = books();
    const { devices, operations } = first;
    const [kept, dropped] = devices
      .listDevices(FIRST, 0, 40)
      .filter((d) => d.nativeStatus === "INACTIVE")
      .map((d) => d.record.nativeId) as [string, string];
    const at = START + 3_600_000;
    const log = { kind: "audit", data: { change: "activated" } };
    operations.scheduleEdit({
      id: "e1",
      accountId: FIRST,
      nativeId: kept,
      at,
      status: "ACTIVE",
      fields: { label: "x" },
      log,
    });
    operations.scheduleEdit({ id: "e2", accountId: FIRST, nativeId: dropped, at, status: "ACTIVE", log });
    devices.setStatus(dropped, "TERMINATED");
    expect(operations.scheduledEdits(kept).map((e) => e.id)).toEqual(["e1"]);
    const saved = JSON.parse(JSON.stringify({ ...devices.snapshot(), ...operations.snapshot() }));

    const second = books();
    second.devices.restore(saved);
    second.operations.restore(saved);
    await second.clock.advanceTo(at);
    expect(second.operations.scheduledEdits()).toEqual([]);
    expect(second.devices.findDevice(FIRST, kept)).toMatchObject({
      nativeStatus: "ACTIVE",
      fields: { label: "x" },
    });
    expect(second.devices.findDevice(FIRST, dropped)?.nativeStatus).toBe("TERMINATED");
    expect(second.logs.find("audit").map((e) => [e.nativeId, e.at])).toEqual([[kept, at]]);
    // The first book's own timers were never handed over, and still fire there.
    await first.clock.advanceTo(at);
    expect(first.devices.findDevice(FIRST, kept)?.nativeStatus).toBe("ACTIVE");
  });

  it("cancels its triggers on reset", async () => {
    const { clock, devices, operations } = books();
    const nativeId = deviceIn(devices, FIRST, "INACTIVE");
    operations.start(
      { id: "x", accountId: FIRST, kind: "status", items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }] },
      planOf(clock, 1_000),
    );
    operations.scheduleEdit({ id: "e", accountId: FIRST, nativeId, at: START + 500, fields: { a: "b" } });
    devices.reset();
    operations.reset();
    expect(clock.pending).toBe(0);
    await clock.advance(2_000);
    expect(devices.snapshot()).toEqual({ overlays: {}, owners: {} });
    expect(operations.snapshot()).toEqual({ operations: [], scheduledEdits: [] });
  });
});
