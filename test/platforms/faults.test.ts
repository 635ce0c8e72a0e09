import { describe, expect, it } from "vitest";
import type { PlatformProfileInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { listen } from "../../src/server/listen.js";
import { createSimulator } from "../../src/server/simulator.js";
import { InProcessTransport } from "../../src/transport/in-process.js";
import { NetworkError } from "../../src/transport/types.js";
import { basic } from "../helpers/server.js";

const START = Date.UTC(2026, 3, 1);
const API = "/platforms/1nce/management-api";

/** A simulator whose 1NCE behaves as `profile` says, on a virtual clock that only the test moves. */
function world(profile: PlatformProfileInput) {
  const clock = new VirtualClock(START);
  const sim = createSimulator(
    { platforms: { "1NCE": { profile: { rateLimits: [], ...profile } } } },
    { clock, applyLatency: true },
  );
  const runtime = sim.world.platform("1NCE")!.runtime;
  const account = [...runtime.accounts.values()][0]!;
  const send = async (path: string, init: RequestInit = {}) =>
    sim.fetch(new Request(`http://sim${API}${path}`, init));
  const token = async () => {
    const res = await send("/oauth/token", {
      method: "POST",
      headers: { authorization: basic(account.username, account.secret), "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return { sim, clock, runtime, account, send, token };
}

/** Resolves when `promise` settles, reporting whether it did so before the clock moved. */
async function settledWithoutTime<T>(promise: Promise<T>, clock: VirtualClock): Promise<boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await clock.settle();
  return settled;
}

describe("platform latency and faults from the profile", () => {
  it("holds an answer for its seeded latency on the clock", async () => {
    const w = world({ latency: { type: "fixed", milliseconds: 700 }, operations: { auth: { latency: 0 } } });
    const bearer = { authorization: `Bearer ${await w.token()}` };
    const pending = w.send("/v1/sims?pageSize=1", { headers: bearer });
    expect(await settledWithoutTime(pending, w.clock)).toBe(false);
    await w.clock.advance(699);
    expect(await settledWithoutTime(pending, w.clock)).toBe(false);
    await w.clock.advance(1);
    expect((await pending).status).toBe(200);
  });

  it("answers an injected error with the platform's envelope and status", async () => {
    const w = world({
      latency: 0,
      faults: { errorRate: 1, errorStatus: 502 },
      operations: { auth: { faults: { errorRate: 0 } } },
    });
    const res = await w.send("/v1/sims", { headers: { authorization: `Bearer ${await w.token()}` } });
    expect(res.status).toBe(502);
    expect(res.headers.get("x-cmo-sim-fault")).toBe("error");
    expect(await res.json()).toMatchObject({ error_token: "InternalServerError" });
  });

  it("hangs a timed-out request until its limit, then fails as a gateway would", async () => {
    const w = world({
      latency: 0,
      faults: { timeoutRate: 1, timeoutMs: 30_000 },
      operations: { auth: { faults: { timeoutRate: 0 } } },
    });
    const pending = w.send("/v1/sims", { headers: { authorization: `Bearer ${await w.token()}` } });
    await w.clock.advance(29_999);
    expect(await settledWithoutTime(pending, w.clock)).toBe(false);
    await w.clock.advance(1);
    const res = await pending;
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error_token: "GatewayTimeout" });
  });

  it("applies a ghost success and loses its answer: 504, or a reset connection in-process and over HTTP", async () => {
    const w = world({
      latency: 0,
      operations: { changeStatus: { faults: { ghostRate: 1, ghostMode: "gateway-timeout" } } },
    });
    const bearer = { authorization: `Bearer ${await w.token()}`, "content-type": "application/json" };
    const sim = (await w.runtime.listDevices(w.account.id, 0, 100)).find(
      (d) => d.nativeStatus === "Enabled",
    )!;
    const res = await w.send(`/v1/sims/${sim.record.iccid}`, {
      method: "PUT",
      headers: bearer,
      body: JSON.stringify({ status: "Disabled" }),
    });
    expect(res.status).toBe(504);
    expect((await w.runtime.findDevice(w.account.id, sim.record.nativeId))?.nativeStatus).toBe("Disabled");

    await w.runtime.setProfileOverride({
      latency: 0,
      rateLimits: [],
      operations: { changeStatus: { faults: { ghostRate: 1, ghostMode: "connection-reset" } } },
    });
    const transport = new InProcessTransport(w.sim.world.platform("1NCE")!.app.fetch);
    await expect(
      transport.send({
        method: "PUT",
        path: `/management-api/v1/sims/${sim.record.iccid}`,
        headers: bearer,
        body: JSON.stringify({ status: "Enabled" }),
      }),
    ).rejects.toBeInstanceOf(NetworkError);
    expect((await w.runtime.findDevice(w.account.id, sim.record.nativeId))?.nativeStatus).toBe("Enabled");

    const server = await listen(w.sim, 0, "127.0.0.1");
    try {
      await expect(
        fetch(`${server.url}${API}/v1/sims/${sim.record.iccid}`, {
          method: "PUT",
          headers: bearer,
          body: JSON.stringify({ status: "Disabled" }),
        }),
      ).rejects.toThrow();
      expect((await w.runtime.findDevice(w.account.id, sim.record.nativeId))?.nativeStatus).toBe("Disabled");
    } finally {
      await server.close(100);
    }
  });

  it("is down during a planned outage window and back after it", async () => {
    const w = world({
      latency: 0,
      outages: [{ start: 60_000, durationMs: 120_000, status: 503, reason: "maintenance window" }],
    });
    const bearer = { authorization: `Bearer ${await w.token()}` };
    expect((await w.send("/v1/sims", { headers: bearer })).status).toBe(200);
    await w.clock.advance(60_000);
    const down = await w.send("/v1/sims", { headers: bearer });
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ message: "Service unavailable: maintenance window" });
    await w.clock.advance(120_000);
    expect((await w.send("/v1/sims", { headers: bearer })).status).toBe(200);
  });

  it("draws the same faults for the same seed whatever other traffic interleaves", async () => {
    const outcome = async (noise: boolean) => {
      const w = world({
        latency: 0,
        faults: { errorRate: 0.5 },
        operations: { auth: { faults: { errorRate: 0 } } },
      });
      const bearer = { authorization: `Bearer ${await w.token()}` };
      const ids = (await w.runtime.listDevices(w.account.id, 0, 20)).map((d) => d.record.iccid);
      const statuses: number[] = [];
      for (const iccid of ids) {
        if (noise) await w.send("/v1/sims?pageSize=3", { headers: bearer });
        statuses.push((await w.send(`/v1/sims/${iccid}`, { headers: bearer })).status);
      }
      return statuses;
    };
    const quiet = await outcome(false);
    expect(new Set(quiet)).toEqual(new Set([200, 500]));
    expect(await outcome(true)).toEqual(quiet);
  });
});
