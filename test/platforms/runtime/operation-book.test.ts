import { describe, expect, it } from "vitest";
import { OPERATION_RETENTION_MS } from "../../../simulators/shared/operation-book.js";
import { VirtualClock } from "../../../src/engine/clock.js";
import { activate, books, deviceIn, FIRST, planOf, SECOND, START } from "./books.js";

describe("the operation book", () => {
  it("marks the device in flight and applies the outcome when the plan ends, on the clock", async () => {
    const { clock, devices, operations } = books();
    const nativeId = await deviceIn(devices, FIRST, "INACTIVE");
    const operation = await operations.start(
      {
        id: "req-1",
        accountId: FIRST,
        kind: "status",
        items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }],
      },
      planOf(clock, 10_000),
    );
    expect(operation).toMatchObject({ createdAt: START, applied: false });
    expect(await devices.findDevice(FIRST, nativeId)).toMatchObject({
      nativeStatus: "INACTIVE",
      pendingOperation: "req-1",
    });
    expect(operations.inFlight).toBe(1);

    await clock.advance(9_999);
    expect(await operations.state(operation)).toEqual({
      stage: "IN_PROGRESS",
      done: false,
      outcome: undefined,
    });
    expect((await devices.findDevice(FIRST, nativeId))?.pendingOperation).toBe("req-1");

    await clock.advance(1);
    expect((await operations.get("req-1"))?.applied).toBe(true);
    expect(operations.inFlight).toBe(0);
    expect(await devices.findDevice(FIRST, nativeId)).toMatchObject({
      nativeStatus: "ACTIVE",
      pendingOperation: undefined,
      updatedAt: START + 10_000,
    });
  });

  it("puts a device back where it was when the operation fails, and moves one only when a transfer succeeds", async () => {
    const { clock, devices, operations } = books();
    const failing = await deviceIn(devices, FIRST, "INACTIVE");
    const moving = (await devices.listDevices(FIRST, 0, 2)).find((d) => d.record.nativeId !== failing)!.record
      .nativeId;
    const from = "INACTIVE";
    await operations.start(
      {
        id: "f",
        accountId: FIRST,
        kind: "status",
        items: [{ nativeId: failing, from, to: "TERMINATED" }],
      },
      planOf(clock, 1_000, "failed"),
    );
    const status = (await devices.findDevice(FIRST, moving))!.nativeStatus;
    await operations.start(
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
    expect((await devices.findDevice(FIRST, failing))?.nativeStatus).toBe(from);
    expect(await devices.findDevice(FIRST, moving)).toBeUndefined();
    expect((await devices.findDevice(SECOND, moving))?.nativeStatus).toBe(status);
  });

  it("keeps a finished operation readable for its retention, then forgets it", async () => {
    const { clock, devices, operations } = books();
    const nativeId = await deviceIn(devices, FIRST, "INACTIVE");
    const { plan } = await operations.start(
      { id: "r", accountId: FIRST, kind: "status", items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }] },
      planOf(clock, 1_000),
    );
    await clock.advanceTo(plan.endsAt + OPERATION_RETENTION_MS - 1);
    expect((await operations.get("r"))?.applied).toBe(true);
    await clock.advance(1);
    expect(await operations.get("r")).toBeUndefined();
    expect((await operations.snapshot()).operations).toEqual([]);
    expect((await devices.findDevice(FIRST, nativeId))?.nativeStatus).toBe("ACTIVE");
  });

  it("re-arms a pending completion from the restored record alone", async () => {
    const first = books();
    const nativeId = await deviceIn(first.devices, FIRST, "INACTIVE");
    await first.operations.start(
      { id: "p", accountId: FIRST, kind: "status", items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }] },
      planOf(first.clock, 30_000),
    );
    await first.clock.advance(10_000);
    const saved = JSON.parse(
      JSON.stringify({ ...(await first.devices.snapshot()), ...(await first.operations.snapshot()) }),
    );

    // Another process, whose clock has moved on 5 s: nothing of the first one's timers comes along.
    const second = books(new VirtualClock(START + 15_000));
    await second.devices.restore(saved);
    await second.operations.restore(saved);
    expect(second.operations.inFlight).toBe(1);
    expect((await second.devices.findDevice(FIRST, nativeId))?.pendingOperation).toBe("p");
    await second.clock.advanceTo(START + 29_999);
    expect((await second.operations.get("p"))?.applied).toBe(false);
    await second.clock.advance(1);
    expect((await second.operations.get("p"))?.applied).toBe(true);
    expect(await second.devices.findDevice(FIRST, nativeId)).toMatchObject({
      nativeStatus: "ACTIVE",
      pendingOperation: undefined,
    });

    // One whose time passed while it was saved completes at once.
    const late = books(new VirtualClock(START + 60_000));
    await late.devices.restore(saved);
    await late.operations.restore(saved);
    await late.clock.advance(0);
    expect((await late.operations.get("p"))?.applied).toBe(true);
    expect((await late.devices.findDevice(FIRST, nativeId))?.nativeStatus).toBe("ACTIVE");
  });

  it("resumes the work a store holds: a process taking it over arms its completions and edits", async () => {
    const first = books();
    const [pending, edited] = (await first.devices.listDevices(FIRST, 0, 40))
      .filter((d) => d.nativeStatus === "INACTIVE")
      .map((d) => d.record.nativeId) as [string, string];
    await activate(first, "p", pending, 30_000);
    const at = START + 20_000;
    await first.operations.scheduleEdit({
      id: "e",
      accountId: FIRST,
      nativeId: edited,
      at,
      status: "ACTIVE",
    });

    // The first process is gone (its clock never moves again); the next one shares only the store.
    const next = books(new VirtualClock(START + 10_000), first.store);
    expect(next.clock.pending).toBe(0);
    await next.operations.resume();
    expect(next.operations.inFlight).toBe(1);
    expect(next.clock.pending).toBe(2);
    await next.clock.advanceTo(START + 30_000);
    // Read through the operation book, which (unlike a device read) does not apply a due operation.
    expect((await next.operations.get("p"))?.applied).toBe(true);
    expect(await next.operations.scheduledEdits()).toEqual([]);
    expect((await next.devices.findDevice(FIRST, pending))?.nativeStatus).toBe("ACTIVE");
    expect(await next.devices.findDevice(FIRST, edited)).toMatchObject({
      nativeStatus: "ACTIVE",
      updatedAt: at,
    });
  });

  it("applies a scheduled edit at its time, kept through a restore, and drops one the device can no longer take", async () => {
    const first = books();
    const { devices, operations } = first;
    const [kept, dropped] = (await devices.listDevices(FIRST, 0, 40))
      .filter((d) => d.nativeStatus === "INACTIVE")
      .map((d) => d.record.nativeId) as [string, string];
    const at = START + 3_600_000;
    const log = { kind: "audit", data: { change: "activated" } };
    await operations.scheduleEdit({
      id: "e1",
      accountId: FIRST,
      nativeId: kept,
      at,
      status: "ACTIVE",
      fields: { label: "x" },
      log,
    });
    await operations.scheduleEdit({
      id: "e2",
      accountId: FIRST,
      nativeId: dropped,
      at,
      status: "ACTIVE",
      log,
    });
    await devices.setStatus(dropped, "TERMINATED");
    expect((await operations.scheduledEdits(kept)).map((e) => e.id)).toEqual(["e1"]);
    const saved = JSON.parse(
      JSON.stringify({ ...(await devices.snapshot()), ...(await operations.snapshot()) }),
    );

    const second = books();
    await second.devices.restore(saved);
    await second.operations.restore(saved);
    await second.clock.advanceTo(at);
    expect(await second.operations.scheduledEdits()).toEqual([]);
    expect(await second.devices.findDevice(FIRST, kept)).toMatchObject({
      nativeStatus: "ACTIVE",
      fields: { label: "x" },
    });
    expect((await second.devices.findDevice(FIRST, dropped))?.nativeStatus).toBe("TERMINATED");
    expect((await second.logs.find("audit")).map((e) => [e.nativeId, e.at])).toEqual([[kept, at]]);
    // The first book's own timers were never handed over, and still fire there.
    await first.clock.advanceTo(at);
    expect((await first.devices.findDevice(FIRST, kept))?.nativeStatus).toBe("ACTIVE");
  });

  it("cancels its triggers on reset", async () => {
    const { clock, devices, operations } = books();
    const nativeId = await deviceIn(devices, FIRST, "INACTIVE");
    await operations.start(
      { id: "x", accountId: FIRST, kind: "status", items: [{ nativeId, from: "INACTIVE", to: "ACTIVE" }] },
      planOf(clock, 1_000),
    );
    await operations.scheduleEdit({
      id: "e",
      accountId: FIRST,
      nativeId,
      at: START + 500,
      fields: { a: "b" },
    });
    await devices.reset();
    await operations.reset();
    expect(clock.pending).toBe(0);
    await clock.advance(2_000);
    expect(await devices.snapshot()).toEqual({ overlays: {}, owners: {} });
    expect(await operations.snapshot()).toEqual({ operations: [], scheduledEdits: [] });
  });
});
