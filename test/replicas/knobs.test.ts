import { describe, expect, it } from "vitest";
import type { Simulator } from "../../src/server/simulator.js";
import { redisForFile } from "../helpers/redis-world.js";
import { basic, QUIET } from "../helpers/server.js";

const redis = redisForFile();
const START = Date.UTC(2026, 4, 3, 9);
const API = "http://localhost/platforms/1nce/management-api";

/** A replica of the world `prefix`: connections and a clock of its own, the shared configuration and key. */
async function replica(prefix: string): Promise<Simulator> {
  const config = { seed: 11, platforms: { "1NCE": { profile: { ...QUIET, outages: [] } } } };
  return (await redis.replica(config, prefix, START)).sim;
}

function admin(sim: Simulator, method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body) };
  if (body !== undefined) init.headers = { "content-type": "application/json" };
  return Promise.resolve(sim.fetch(new Request(`http://localhost/_sim${path}`, init)));
}

/** A 1NCE read on `sim`, signed in there: its status. */
async function nativeRead(sim: Simulator): Promise<number> {
  const account = [...sim.world.platform("1NCE")!.runtime.accounts.values()][0]!;
  const signIn = await sim.fetch(
    new Request(`${API}/oauth/token`, {
      method: "POST",
      headers: { authorization: basic(account.username, account.secret), "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    }),
  );
  if (signIn.status !== 200) return signIn.status;
  const { access_token } = (await signIn.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${access_token}` };
  return (await sim.fetch(new Request(`${API}/v1/sims?pageSize=1`, { headers }))).status;
}

const runtimeOf = (sim: Simulator) => sim.world.platform("1NCE")!.runtime;

describe("knobs set through one replica's admin API", () => {
  // The admin call answers once every replica has applied the change: no waiting after it.
  it("are in force on the other replica when the call answers: a profile override, its faults and its rate limits", async () => {
    const prefix = redis.world("knobs");
    const [a, b] = [await replica(prefix), await replica(prefix)];
    expect(
      (await admin(a, "PUT", "/platforms/1nce/faults", { faults: { errorRate: 1, errorStatus: 500 } }))
        .status,
    ).toBe(200);
    expect(runtimeOf(b).profile.faults.errorRate).toBe(1);
    expect(await nativeRead(b)).toBe(500);

    const limited = {
      rateLimits: [{ name: "minute", limit: 3, windowMs: 60_000, algorithm: "fixed-window" }],
    };
    expect((await admin(b, "PUT", "/platforms/1nce/profile", limited)).status).toBe(200);
    expect(runtimeOf(a).profile.faults.errorRate).toBe(0);
    expect(runtimeOf(a).profile.rateLimits).toEqual(limited.rateLimits);
    const view = (await (await admin(a, "GET", "/platforms/1nce")).json()) as { override: unknown };
    expect(view.override).toEqual(limited);

    expect((await admin(a, "DELETE", "/platforms/1nce/profile")).status).toBe(200);
    expect(runtimeOf(b).profileOverride).toBeUndefined();
    expect(runtimeOf(b).profile.rateLimits).toEqual([]);
  });

  it("are in force on the other replica when the call answers: an outage started on one is stopped through the other", async () => {
    const prefix = redis.world("knobs");
    const [a, b] = [await replica(prefix), await replica(prefix)];
    const started = await admin(a, "POST", "/platforms/1nce/outage", { status: 502, reason: "maintenance" });
    expect(started.status).toBe(201);
    expect(runtimeOf(b).outages.activeAt(START)?.reason).toBe("maintenance");
    expect(await nativeRead(b)).toBe(502);

    expect((await admin(b, "DELETE", "/platforms/1nce/outage")).status).toBe(200);
    expect(runtimeOf(a).outages.activeAt(START)).toBeUndefined();
    expect(await nativeRead(a)).toBe(200);
    expect((await admin(a, "DELETE", "/platforms/1nce/outage")).status).toBe(409);
  });

  it("are taken on by a replica that joins later, and carried by its snapshot", async () => {
    const prefix = redis.world("knobs");
    const a = await replica(prefix);
    await admin(a, "PUT", "/platforms/1nce/latency", { latency: 250 });
    await admin(a, "POST", "/platforms/1nce/outage", { durationMs: 60_000 });
    const late = await replica(prefix);
    expect(runtimeOf(late).profile.latency).toBe(250);
    expect(runtimeOf(late).outages.list()).toEqual([
      { start: START, end: START + 60_000, status: 503, reason: "outage started through the admin API" },
    ]);
    const snapshot = await runtimeOf(late).snapshot();
    expect(snapshot.profileOverride).toEqual({ latency: 250 });
    expect(snapshot.outages).toHaveLength(1);
  });
});
