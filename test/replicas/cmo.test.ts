import { describe, expect, it, vi } from "vitest";
import { calmPlatforms } from "../../src/config/calm.js";
import type { VirtualClock } from "../../src/engine/clock.js";
import type { Simulator } from "../../src/server/simulator.js";
import { CmoTestClient, deviceIn } from "../helpers/cmo.js";
import { redisForFile } from "../helpers/redis-world.js";

const redis = redisForFile();
const START = Date.UTC(2026, 4, 3, 9);

/** Two replicas of one world: same configuration, seed and signing key, one Redis, a clock each. */
async function replicas(): Promise<Array<{ sim: Simulator; clock: VirtualClock; cmo: CmoTestClient }>> {
  const prefix = redis.world("replica-cmo");
  const open = async () => {
    const { sim, clock } = await redis.replica({ seed: 11, platforms: calmPlatforms() }, prefix, START);
    const cmo = new CmoTestClient((path, init) =>
      Promise.resolve(sim.fetch(new Request(`http://replica${path}`, init))),
    );
    return { sim, clock, cmo };
  };
  return [await open(), await open()];
}

describe("the CMO across replicas on one Redis", () => {
  it("accepts one replica's token on the other, and reads there a change made through the first", async () => {
    const [a, b] = await replicas();
    const bearer = await a!.cmo.token();
    const device = await deviceIn(a!.sim, "1NCE", "ACTIVE");
    const changed = await a!.cmo.setStatus(`${device.productId}-simCard`, "SUSPENDED");
    expect(changed.status).toBe(200);
    const read = await b!.cmo.call("GET", `/product/${device.productId}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).toContain('"SUSPENDED"');
  });

  it("refuses on every replica the tokens revoked through one of them", async () => {
    const [a, b] = await replicas();
    const bearer = { authorization: `Bearer ${await a!.cmo.token()}` };
    const device = await deviceIn(a!.sim, "1NCE", "ACTIVE");
    expect((await b!.cmo.call("GET", `/product/${device.productId}`, { headers: bearer })).status).toBe(200);
    const revoked = await a!.sim.fetch(
      new Request("http://replica/_sim/tokens/revoke", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(revoked.status).toBe(200);
    await vi.waitFor(
      async () =>
        expect((await b!.cmo.call("GET", `/product/${device.productId}`, { headers: bearer })).status).toBe(
          401,
        ),
      { timeout: 5_000, interval: 20 },
    );
    // A token issued afterwards, by either replica, works on both.
    b!.cmo.forgetToken();
    expect(
      (
        await a!.cmo.call("GET", `/product/${device.productId}`, {
          headers: { authorization: `Bearer ${await b!.cmo.token()}` },
        })
      ).status,
    ).toBe(200);
  });

  it("refuses to re-seed through one replica a world that every replica built from its seed", async () => {
    const [a] = await replicas();
    const res = await a!.sim.fetch(
      new Request("http://replica/_sim/inventory", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ seed: 99 }),
      }),
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toContain("stop every replica");
    expect(a!.sim.config.seed).toBe(11);
  });

  it("refuses on one replica (409) a change in flight on the other, and when the first dies the second completes its monitor", async () => {
    const [a, b] = await replicas();
    const device = await deviceIn(a!.sim, "TMSP", "ACTIVE");
    const accepted = await a!.cmo.setStatus(`${device.productId}-simCard`, "SUSPENDED");
    expect(accepted.status).toBe(202);
    const clash = await b!.cmo.setStatus(`${device.productId}-simCard`, "TERMINATED");
    expect(clash.status).toBe(409);
    expect(JSON.stringify(clash.body)).toContain(accepted.body.id);

    // a stops for good: no trigger of its own will ever fire. Only b's sweeper can finish the work.
    await a!.sim.close();
    await b!.clock.advance(3_600_000);
    await vi.waitFor(
      async () => {
        const monitors = await b!.sim.cmo.monitors.all();
        expect(monitors.find((m) => m.id === accepted.body.id)?.entries[0]?.state).toBe("DONE");
        // The entry is written before the monitor is counted finished and its claim released.
        expect(await b!.sim.cmo.monitors.outcomes()).toEqual({ DONE: 1, FAILED: 0 });
        expect(await b!.sim.cmo.monitors.inFlightCount()).toBe(0);
      },
      { timeout: 10_000, interval: 100 },
    );
    const runtime = b!.sim.world.platform("TMSP")!.runtime;
    expect((await runtime.findDevice(device.accountId, device.nativeId))?.cmoStatus).toBe("SUSPENDED");
  });
});
