import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { accept, monitorBook, SETTINGS } from "../cmo/unit/monitor-fixtures.js";
import { TablePlatform } from "../cmo/unit/table-platform.js";
import { redisForFile } from "../helpers/redis-world.js";

const redis = redisForFile();
const START = Date.UTC(2026, 4, 5, 10);

describe("monitors shared by replicas", () => {
  it("shows a read through one replica what another replica's poll, caught in flight, finds", async () => {
    const platform = new TablePlatform();
    const prefix = redis.world("replica-monitors");
    const polling = { clock: new VirtualClock(START) };
    const reading = { clock: new VirtualClock(START) };
    const first = monitorBook(await redis.store(prefix), polling.clock, platform);
    const second = monitorBook(await redis.store(prefix), reading.clock, platform);
    const record = await accept(first, platform, polling.clock);

    let release = () => {};
    platform.pollHold = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first replica's background poll starts, takes the entry's lease and waits on the platform.
    await polling.clock.advance(SETTINGS.pollFirstMs);
    await reading.clock.advance(SETTINGS.pollFirstMs);
    while (platform.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    platform.tickets.set("t-1", "DONE");

    let answered = false;
    const read = second.get("eos", record.id).finally(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered, "the read waits for the poll in flight elsewhere").toBe(false);
    release();
    expect((await read)?.entries[0]?.state).toBe("DONE");
    expect(platform.calls, "the entry was polled once, by the replica holding its lease").toEqual([
      "poll a1 t-1",
    ]);
    await first.reset();
  });
});
