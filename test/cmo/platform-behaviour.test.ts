import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { CmoTestClient, deviceIn } from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

describe("platform behaviour seen through the CMO", () => {
  it("in pass-through mode, hands a 1NCE rate limit on as a CMO 429 with Retry-After and the native error", async () => {
    const server = await startServer(
      {
        platforms: {
          ...quietPlatforms(),
          "1NCE": {
            profile: {
              latency: 0,
              rateLimits: [{ name: "second", limit: 10, windowMs: 1000, algorithm: "fixed-window" }],
              pacing: { passThrough: true },
            },
          },
        },
      },
      { clock: new VirtualClock(Date.UTC(2026, 4, 6)) },
    );
    const client = new CmoTestClient(server.request);
    const device = await deviceIn(server.sim, "1NCE", "ACTIVE");
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await client.get(`/product/${device.productId}-simCard`));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    const first = limited[0]!;
    expect(first.headers.get("retry-after")).toBe("1");
    expect(first.body).toMatchObject({ status: 429, title: "Too Many Requests", "@type": "problem" });
    expect(first.body.externalErrors[0]).toMatchObject({
      platform: "1NCE",
      statusCode: 429,
      code: "rate-limited",
      body: { error_token: "TooManyRequests" },
    });
  });

  it("turns an outage into a 503 problem with the native error, and recovers", async () => {
    const server = await startServer(
      { platforms: quietPlatforms() },
      { clock: new VirtualClock(Date.UTC(2026, 4, 6)) },
    );
    const client = new CmoTestClient(server.request);
    const device = await deviceIn(server.sim, "TMSP", "ACTIVE");
    await server.request("/_sim/platforms/TMSP/outage", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "carrier maintenance" }),
    });
    const down = await client.get(`/product/${device.productId}`);
    expect(down.status).toBe(503);
    expect(down.body.detail).toMatch(/TMSP is unavailable/);
    expect(down.body.externalErrors[0]).toMatchObject({ platform: "TMSP", statusCode: 503 });
    const change = await client.setStatus(`${device.productId}-simCard`, "SUSPENDED");
    expect(change.status).toBe(503);
    await server.request("/_sim/platforms/TMSP/outage", { method: "DELETE" });
    expect((await client.get(`/product/${device.productId}`)).status).toBe(200);
    expect((await client.setStatus(`${device.productId}-simCard`, "SUSPENDED")).status).toBe(202);
  });

  it("makes the client feel the platform's latency, on the clock", async () => {
    const clock = new VirtualClock(Date.UTC(2026, 4, 6));
    const sim = createSimulator(
      {
        platforms: {
          ...quietPlatforms(),
          JASPER: {
            profile: {
              latency: { type: "fixed", milliseconds: 450 },
              rateLimits: [],
              maxConcurrent: null,
              operations: { auth: { latency: 0 } },
            },
          },
        },
      },
      { clock, applyLatency: true },
    );
    const client = new CmoTestClient((path, init) =>
      Promise.resolve(sim.fetch(new Request(`http://sim${path}`, init))),
    );
    await client.token();
    const device = await deviceIn(sim, "JASPER", "ACTIVE");
    let answered = false;
    const pending = client.get(`/product/${device.productId}-simCard`).then((a) => {
      answered = true;
      return a;
    });
    await clock.advance(449);
    expect(answered).toBe(false);
    await clock.advance(1);
    expect((await pending).status).toBe(200);
  });
});
