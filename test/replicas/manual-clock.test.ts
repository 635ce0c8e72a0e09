import { describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../src/server/simulator.js";
import { redisForFile } from "../helpers/redis-world.js";

const redis = redisForFile();
const START = Date.UTC(2026, 4, 3, 9);
const HOUR = 3_600_000;

/** A replica started with `--clock manual` on the world `prefix`, as the CLI starts one. */
async function replica(prefix: string): Promise<Simulator> {
  const sim = createSimulator(
    { seed: 3, clock: "manual" },
    { store: await redis.store(prefix), signingSecret: "one-key", startedAt: START },
  );
  await sim.resume();
  return redis.keep(sim);
}

async function advance(sim: Simulator, body: unknown): Promise<{ now: number }> {
  const res = await sim.fetch(
    new Request("http://localhost/_sim/clock/advance", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { now: number };
}

describe("a manual clock shared by replicas", () => {
  it("is one time: moved through one replica, every replica is there when the call answers", async () => {
    const prefix = redis.world("clock");
    const [a, b] = [await replica(prefix), await replica(prefix)];
    let fired = 0;
    a.clock.schedule(HOUR / 2, () => fired++);
    expect((await advance(b, { ms: HOUR })).now).toBe(START + HOUR);
    expect(a.clock.now()).toBe(START + HOUR);
    // What fell due on the other replica has fired by then too.
    expect(fired).toBe(1);
    await advance(a, { to: new Date(START + 2 * HOUR).toISOString() });
    expect(b.clock.now()).toBe(START + 2 * HOUR);
  });

  it("is where the world is for a replica that joins later", async () => {
    const prefix = redis.world("clock");
    const a = await replica(prefix);
    await advance(a, { ms: 3 * HOUR });
    const late = await replica(prefix);
    expect(late.clock.now()).toBe(START + 3 * HOUR);
  });

  it("moves only forward when two replicas move it at once", async () => {
    const prefix = redis.world("clock");
    const [a, b] = [await replica(prefix), await replica(prefix)];
    await Promise.all([advance(a, { ms: 2 * HOUR }), advance(b, { ms: HOUR })]);
    expect(a.clock.now()).toBe(START + 2 * HOUR);
    expect(b.clock.now()).toBe(START + 2 * HOUR);
  });
});
