import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { redisForFile } from "../helpers/redis-world.js";
import { activate, books, deviceIn, FIRST, planOf, SECOND, START } from "../platforms/runtime/books.js";

const redis = redisForFile();

/** Three processes' books over one Redis world, each with its connections and a clock of its own. */
async function replicas() {
  const prefix = redis.world("replica-operations");
  const open = async () => books(new VirtualClock(START), await redis.store(prefix));
  return [await open(), await open(), await open()] as const;
}

describe("native operations shared by replicas", () => {
  it("lets a survivor complete, once, the operations a replica accepted before it died", async () => {
    const [dying, survivor] = await replicas();
    const activating = await deviceIn(dying.devices, FIRST, "INACTIVE");
    await activate(dying, "req-1", activating, 5_000);
    const moving = (await dying.devices.listDevices(FIRST, 0, 40)).find(
      (d) => d.record.nativeId !== activating,
    )!;
    await dying.operations.start(
      {
        id: "req-2",
        accountId: FIRST,
        kind: "transfer",
        targetAccountId: SECOND,
        items: [{ nativeId: moving.record.nativeId, from: moving.nativeStatus, to: moving.nativeStatus }],
      },
      planOf(dying.clock, 8_000),
    );
    // The dying replica's clock never moves again: its triggers never fire.
    expect(await survivor.devices.findDevice(FIRST, activating)).toMatchObject({ pendingOperation: "req-1" });

    await survivor.clock.advance(5_000);
    await survivor.operations.sweep();
    expect(await survivor.devices.findDevice(FIRST, activating)).toMatchObject({
      nativeStatus: "ACTIVE",
      pendingOperation: undefined,
    });
    expect(await survivor.devices.findDevice(SECOND, moving.record.nativeId)).toBeUndefined();

    await survivor.clock.advance(3_000);
    await survivor.operations.sweep();
    expect(await survivor.devices.findDevice(SECOND, moving.record.nativeId)).toMatchObject({
      accountId: SECOND,
    });
    expect((await survivor.operations.get("req-2"))?.applied).toBe(true);
    // Applied once: the dead replica's late trigger (or another sweep) changes nothing more.
    const before = await survivor.devices.snapshot();
    await dying.clock.advance(10_000);
    await survivor.operations.sweep();
    expect(await survivor.devices.snapshot()).toEqual(before);
  });

  it("applies an operation due on two replicas at once exactly once, whichever gets there first", async () => {
    const [a, b, c] = await replicas();
    const nativeId = await deviceIn(a.devices, FIRST, "INACTIVE");
    await activate(a, "req-3", nativeId, 1_000);
    // b and c armed no trigger: both find it due at the same moment and race to apply it.
    await Promise.all([b.clock.advance(1_000), c.clock.advance(1_000)]);
    const applied = await Promise.all([b.operations.settle("req-3"), c.operations.settle("req-3")]);
    expect(applied.filter(Boolean)).toHaveLength(1);
    expect((await a.operations.get("req-3"))?.applied).toBe(true);
    expect(await a.devices.findDevice(FIRST, nativeId)).toMatchObject({ nativeStatus: "ACTIVE" });
  });

  it("applies a scheduled edit that a replica took and died applying, once its lease is over", async () => {
    const [dying, survivor] = await replicas();
    const nativeId = await deviceIn(dying.devices, FIRST, "INACTIVE");
    await dying.operations.scheduleEdit({
      id: "e",
      accountId: FIRST,
      nativeId,
      at: START + 1_000,
      status: "ACTIVE",
    });
    // As the dying replica leaves it: taken under its lease, never applied.
    await dying.store
      .collection<{ takenUntil?: number }>("platform:TMSP:edits")
      .update("e", (edit) => edit && { ...edit, takenUntil: START + 61_000 });
    await survivor.clock.advance(2_000);
    await survivor.operations.sweep();
    expect(await survivor.devices.findDevice(FIRST, nativeId)).toMatchObject({ nativeStatus: "INACTIVE" });
    expect(await survivor.operations.scheduledEdits()).toHaveLength(1);

    await survivor.clock.advance(60_000);
    await survivor.operations.sweep();
    expect(await survivor.devices.findDevice(FIRST, nativeId)).toMatchObject({ nativeStatus: "ACTIVE" });
    expect(await survivor.operations.scheduledEdits()).toEqual([]);
  });
});
