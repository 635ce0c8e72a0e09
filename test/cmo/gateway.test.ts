import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import type { PlatformCode } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import type { JournalEntry } from "../../src/observability/journal.js";
import { createSimulator, type Simulator } from "../../src/server/simulator.js";
import { type Answer, CmoTestClient, deviceSuffix } from "../helpers/cmo.js";
import { startServer } from "../helpers/server.js";
import { driveUntilSettled } from "../helpers/virtual-time.js";

/**
 * The CMO as a gateway (spec: cmo-api.md §3): it paces its own calls to each platform so that a
 * client calling at a steady pace below a platform's limit never sees a 429, and a burst above it
 * does, quickly, with a Retry-After.
 */

const START = Date.UTC(2026, 5, 1, 8);
const PER_MINUTE = new Set<PlatformCode>(["AIRLINQ", "GALAXY1"]);

/** Native ids of the first `n` products of the tenant's first account on a platform (arranging only). */
async function products(sim: Simulator, code: PlatformCode, n: number): Promise<string[]> {
  const runtime = sim.world.platform(code)!.runtime;
  const account = sim.world.accountsOf("eos", code)[0]!;
  return (await runtime.listDevices(account.id, 0, n)).map((d) => d.record.nativeId);
}

const nativeEntries = (sim: Simulator, code: PlatformCode): Promise<JournalEntry[]> =>
  sim.journal.find({ face: "platform", platform: code });

describe("a sequential client at --time-scale 0.01, on a virtual clock with the default profiles", () => {
  // Latency is applied on a virtual clock that moves whenever everything waits: the same course as
  // real time at 0.01, without the wall-clock minutes the per-minute platforms would take.
  const clock = new VirtualClock(START);
  const sim = createSimulator(
    { timeScale: 0.01, journal: { maxEntries: 100_000 } },
    { clock, applyLatency: true },
  );
  const client = new CmoTestClient((path, init) => Promise.resolve(sim.app.request(path, init)));

  /**
   * Reads 100 composites and their device sub-products, then finds them two at a time, one request
   * after another. A 429 is honoured: the client waits its Retry-After and asks again, once.
   */
  async function readAll(code: PlatformCode) {
    const statuses: number[] = [];
    const refusals: Array<{ retryAfter: string | null; retried: number }> = [];
    const ask = async (request: () => Promise<Answer>) => {
      const first = await request();
      statuses.push(first.status);
      if (first.status !== 429) return;
      const retryAfter = first.headers.get("retry-after");
      await clock.sleep(Number(retryAfter) * 1000);
      const again = await request();
      refusals.push({ retryAfter, retried: again.status });
    };
    const ids = await products(sim, code, 100);
    const sub = deviceSuffix(sim, code);
    for (const id of ids) {
      await ask(() => client.get(`/product/${code}-${id}`));
      await ask(() => client.get(`/product/${code}-${id}-${sub}`));
    }
    const list = sub === "terminal" ? "terminalSNList" : "iccidList";
    for (let i = 0; i < ids.length; i += 2) {
      await ask(async () => {
        const found = await client.call("POST", "/product/find", { body: { [list]: ids.slice(i, i + 2) } });
        // A find answers 200 with a problem per identifier it could not look up: a 429 there counts
        // too, and its detail says when to retry.
        const limited = found.body?.errors?.find((e: { status: number }) => e.status === 429);
        if (!limited) return found;
        const seconds = /retry after (\d+) s/.exec(limited.detail)?.[1] ?? null;
        return { ...found, status: 429, headers: new Headers(seconds ? { "retry-after": seconds } : {}) };
      });
    }
    return { statuses, refusals };
  }

  it.each(PLATFORMS.map((p) => p.code).filter((code) => !PER_MINUTE.has(code)))(
    "%s: only 200s, and the carrier never refuses the CMO",
    async (code) => {
      const { statuses } = await driveUntilSettled(clock, readAll(code));
      expect(statuses).toHaveLength(250);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect((await nativeEntries(sim, code)).filter((e) => e.status === 429)).toEqual([]);
    },
  );

  it.each([...PER_MINUTE])(
    "%s: 200s up to the minute's budget, then 429s whose Retry-After leads back to 200s; the carrier never refuses",
    async (code) => {
      const { statuses, refusals } = await driveUntilSettled(clock, readAll(code));
      expect(statuses).toHaveLength(250);
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
      for (const refusal of refusals) {
        expect(Number(refusal.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(refusal.retried).toBe(200);
      }
      // AIRLINQ's fixed window of 20 a minute runs out; GALAXY1's bucket refills one a second, in time.
      if (code === "AIRLINQ") expect(refusals.length).toBeGreaterThan(0);
      expect((await nativeEntries(sim, code)).filter((e) => e.status === 429)).toEqual([]);
    },
  );

  it("shows the queueing in the journal, on the native calls that waited", async () => {
    const paced = (await nativeEntries(sim, "JASPER")).filter((e) => (e.pacedMs ?? 0) > 0);
    expect(paced.length).toBeGreaterThan(0);
    expect(Math.max(...paced.map((e) => e.pacedMs ?? 0))).toBeLessThanOrEqual(1000 + 10);
  });
});

describe("pacing in real time", () => {
  it("at --time-scale 0.01, a client reading JASPER composites one after another gets only 200s", {
    timeout: 30_000,
  }, async () => {
    const server = await startServer({ timeScale: 0.01 }, { applyLatency: true });
    const client = new CmoTestClient(server.request);
    const statuses: number[] = [];
    // Two native calls a composite, five a second: the third read used to meet the carrier's 429.
    for (const id of await products(server.sim, "JASPER", 8))
      statuses.push((await client.get(`/product/JASPER-${id}`)).status);
    expect(statuses).toEqual(Array(8).fill(200));
    const native = await nativeEntries(server.sim, "JASPER");
    expect(native.filter((e) => e.status === 429)).toEqual([]);
    expect(native.some((e) => (e.pacedMs ?? 0) > 0)).toBe(true);
  });

  it("at time scale 1, five concurrent clients queue behind a Cisco platform's one-at-a-time gate and all get 200s", {
    timeout: 30_000,
  }, async () => {
    const server = await startServer({}, { applyLatency: true });
    const ids = await products(server.sim, "TMUS", 5);
    const answers = await Promise.all(
      ids.map((id) => new CmoTestClient(server.request).get(`/product/TMUS-${id}`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
    // The carrier saw one call at a time, never a refusal.
    const calls = (await nativeEntries(server.sim, "TMUS")).sort((a, b) => a.at - b.at);
    expect(calls).toHaveLength(10);
    expect(calls.filter((e) => e.status !== 200)).toEqual([]);
    for (let i = 1; i < calls.length; i++) {
      const before = calls[i - 1]!;
      expect(calls[i]!.at).toBeGreaterThanOrEqual(before.at + before.latencyMs);
    }
  });

  it("answers a burst of 40 concurrent 1NCE reads with 429s and Retry-After for what exceeds the bound", {
    timeout: 30_000,
  }, async () => {
    const server = await startServer({ timeScale: 0.01 }, { applyLatency: true });
    const client = new CmoTestClient(server.request);
    await client.token();
    const ids = await products(server.sim, "1NCE", 40);
    const answers = await Promise.all(ids.map((id) => client.get(`/product/1NCE-${id}-simCard`)));
    const limited = answers.filter((a) => a.status === 429);
    // Ten a second: ten at once, ten within the second the CMO waits, the rest refused.
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(10);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
    for (const answer of limited) {
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(answer.body).toMatchObject({ status: 429, "@type": "problem" });
      expect(answer.body.externalErrors[0]).toMatchObject({ platform: "1NCE", code: "rate-limited" });
    }
    expect((await nativeEntries(server.sim, "1NCE")).filter((e) => e.status === 429)).toEqual([]);
  });
});

describe("pacing settings", () => {
  it("are live: maxWaitMs and passThrough set through the admin API apply to the next call", async () => {
    const clock = new VirtualClock(START);
    const server = await startServer(
      {
        platforms: {
          STC: {
            profile: {
              latency: 0,
              rateLimits: [{ name: "second", limit: 2, windowMs: 1000, algorithm: "fixed-window" }],
            },
          },
        },
      },
      { clock },
    );
    const client = new CmoTestClient(server.request);
    const id = (await products(server.sim, "STC", 1))[0]!;
    const read = () => client.get(`/product/STC-${id}-simCard`);
    // A manual clock: nothing can wait, so the third call in the second is refused by the CMO itself.
    expect([(await read()).status, (await read()).status]).toEqual([200, 200]);
    const refused = await read();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.body.externalErrors[0].message).toMatch(
      /rate limit \(2 per second\) reached; on a manual clock the CMO queues nothing, and the next slot is \d+ ms away/,
    );
    expect(refused.body.externalErrors[0].body).toBeUndefined();

    const patch = (profile: unknown) =>
      server.request("/_sim/platforms/STC/profile", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(profile),
      });
    const view = await (await patch({ pacing: { passThrough: true } })).json();
    expect(view.profile.pacing).toEqual({ maxWaitMs: 1000, passThrough: true });
    // Now the carrier's own 429 comes back, in its own envelope (its windows start afresh with the change).
    expect([(await read()).status, (await read()).status]).toEqual([200, 200]);
    const raw = await read();
    expect(raw.status).toBe(429);
    expect(raw.body.externalErrors[0].body).toBeDefined();
    expect((await patch({ pacing: { passThrough: false, maxWaitMs: 5 } })).status).toBe(200);
    expect((await patch({ pacing: { maxWaitMs: -1 } })).status).toBe(400);
  });
});

describe("callTimeoutMs", () => {
  it("ends a native call the platform is too slow to answer with the CMO's 504, and only that one", async () => {
    const clock = new VirtualClock(START);
    const sim = createSimulator(
      {
        platforms: {
          STC: { profile: { latency: 5_000, rateLimits: [], callTimeoutMs: 1_000 } },
          TURKCELL: { profile: { latency: 5_000, rateLimits: [] } },
        },
      },
      { clock, applyLatency: true },
    );
    const client = new CmoTestClient((path, init) => Promise.resolve(sim.app.request(path, init)));
    const read = async (code: PlatformCode) => {
      const id = (await products(sim, code, 1))[0]!;
      const startedAt = clock.now();
      const answer = await driveUntilSettled(clock, client.get(`/product/${code}-${id}-simCard`));
      return { answer, tookMs: clock.now() - startedAt };
    };

    const slow = await read("STC");
    expect(slow.answer.status).toBe(504);
    expect(slow.answer.body.externalErrors[0]).toMatchObject({ platform: "STC", code: "gateway-timeout" });
    expect(slow.answer.body.externalErrors[0].message).toMatch(/no answer within 1000 ms \(callTimeoutMs\)/);
    expect(slow.tookMs).toBe(1_000);
    // The default (60 s) lets a 5 s platform answer.
    const patient = await read("TURKCELL");
    expect(patient.answer.status).toBe(200);
    expect(patient.tookMs).toBe(5_000);
  });
});
