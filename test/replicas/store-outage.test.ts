import { beforeAll, describe, expect, it, vi } from "vitest";
import { calmPlatforms } from "../../src/config/calm.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator, type Simulator } from "../../src/server/simulator.js";
import { guardedConnection } from "../../src/store/guarded-connection.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { CmoTestClient, deviceIn } from "../helpers/cmo.js";
import { redisForFile } from "../helpers/redis-world.js";

const redis = redisForFile();
let sim: Simulator;

beforeAll(async () => {
  // As a served replica connects: commands fail at once while Redis is away instead of queueing.
  const commands = guardedConnection(await redis.connection({ disableOfflineQueue: true }));
  const store = new RedisStore(commands, "store-outage", await redis.connection());
  sim = redis.keep(
    createSimulator(
      { seed: 5, platforms: calmPlatforms() },
      { clock: new VirtualClock(Date.UTC(2026, 4, 3, 9)), store, applyLatency: false },
    ),
  );
  await sim.resume();
});

describe("a replica while its Redis is away", () => {
  it("answers 503 problems (CMO) and the platform's own 503 (native), never 500, and serves again once Redis is back", async () => {
    const cmo = new CmoTestClient((path, init) =>
      Promise.resolve(sim.fetch(new Request(`http://replica${path}`, init))),
    );
    const device = await deviceIn(sim, "1NCE", "ACTIVE");
    expect((await cmo.get(`/product/${device.productId}`)).status).toBe(200);
    const bearer = await cmo.token();

    await redis.server().kill();
    const during = await cmo.call("GET", `/product/${device.productId}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(during.status).toBe(503);
    expect(during.headers.get("content-type")).toContain("json");
    expect(during.headers.get("retry-after")).toBe("1");
    expect(during.body).toMatchObject({ status: 503 });
    const change = await cmo.call("PATCH", `/product/${device.productId}-simCard`, {
      body: [{ op: "replace", path: "/status", value: "SUSPENDED" }],
      type: "application/json-patch+json",
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(change.status).toBe(503);
    const admin = await sim.fetch(new Request("http://replica/_sim/monitors"));
    expect(admin.status).toBe(503);
    const native = await sim.fetch(
      new Request(`http://replica/platforms/1nce/management-api/v1/sims/${device.nativeId}/status`, {
        headers: { authorization: "Bearer any" },
      }),
    );
    expect(native.status).toBe(503);
    expect(await native.json()).toMatchObject({ error_token: "ServiceUnavailable" });

    await redis.server().restart();
    // Redis came back empty (no persistence in tests): the world starts again from its seed.
    await vi.waitFor(async () => expect((await cmo.get(`/product/${device.productId}`)).status).toBe(200), {
      timeout: 10_000,
      interval: 100,
    });
  });
});
