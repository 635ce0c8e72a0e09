import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { type Admission, PACING_MARGIN_MS, Pacer, type PacingLimits } from "../../src/engine/pacing.js";
import type { RateLimitRule } from "../../src/engine/rate-limit.js";

const T0 = Date.UTC(2026, 0, 1);
const perSecond = (limit: number, algorithm: RateLimitRule["algorithm"] = "fixed-window"): RateLimitRule => ({
  name: "second",
  limit,
  windowMs: 1000,
  algorithm,
});

function pacerWith(overrides: Partial<PacingLimits> = {}) {
  const clock = new VirtualClock(T0);
  const limits: PacingLimits = {
    rules: [perSecond(5)],
    maxConcurrent: null,
    maxWaitMs: 1000,
    gateWaitMs: 30_000,
    typicalCallMs: 0,
    passThrough: false,
    mayWait: true,
    ...overrides,
  };
  const pacer = new Pacer(clock, () => limits);
  /** When each call went (ms after T0), or how it was refused, in the order the calls were made. */
  const outcomes: string[] = [];
  const order: number[] = [];
  const call = (n: number, operation = "read", hold = false) =>
    Promise.resolve(pacer.admit("acct", operation)).then((a: Admission) => {
      order.push(n);
      if (!a.admitted) {
        outcomes[n] = a.reason === "rate" ? `429 after ${a.retryAfterMs}` : `gate after ${a.waitedMs}`;
        return a;
      }
      outcomes[n] = `sent at ${clock.now() - T0}`;
      if (!hold) a.release();
      return a;
    });
  return { clock, limits, pacer, outcomes, order, call };
}

describe("Pacer", () => {
  it("sends at once while every rule has room", async () => {
    const { clock, call, outcomes } = pacerWith();
    for (let n = 0; n < 5; n++) expect(await call(n)).toMatchObject({ admitted: true, waitedMs: 0 });
    await clock.runUntilIdle();
    expect(outcomes).toEqual(Array(5).fill("sent at 0"));
  });

  it("queues a burst in arrival order, and refuses at once what would wait past the bound", async () => {
    const { clock, call, outcomes, order } = pacerWith();
    const all = Array.from({ length: 12 }, (_, n) => call(n));
    await clock.settle();
    // The two that would have waited two seconds are refused straight away, with when a slot frees.
    expect(order.slice(0, 7).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 10, 11]);
    await clock.runUntilIdle();
    await Promise.all(all);
    const next = 1000 + PACING_MARGIN_MS;
    expect(outcomes).toEqual([
      ...Array(5).fill("sent at 0"),
      ...Array(5).fill(`sent at ${next}`),
      "429 after 2000",
      "429 after 2000",
    ]);
    expect(order).toEqual([0, 1, 2, 3, 4, 10, 11, 5, 6, 7, 8, 9]);
  });

  it("never refuses a caller that waits for each answer before its next call", async () => {
    const { clock, pacer } = pacerWith();
    const sequential = (async () => {
      const waits: number[] = [];
      for (let n = 0; n < 23; n++) {
        const admission = await pacer.admit("acct", "read");
        if (!admission.admitted) throw new Error(`call ${n} refused`);
        waits.push(admission.waitedMs);
        admission.release();
      }
      return waits;
    })();
    await clock.runUntilIdle();
    const waits = await sequential;
    // Five per second: every sixth call waits for the window, never longer than the bound.
    expect(waits.filter((w) => w > 0)).toHaveLength(4);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1000 + PACING_MARGIN_MS);
    expect(clock.now() - T0).toBe(4 * (1000 + PACING_MARGIN_MS));
  });

  it("keeps a sliding window of the last calls, so no fixed window anywhere sees more than the limit", async () => {
    const { clock, pacer } = pacerWith();
    const sent: number[] = [];
    const sender = (async () => {
      for (let n = 0; n < 40; n++) {
        const a = await pacer.admit("acct", "read");
        if (!a.admitted) continue;
        sent.push(clock.now());
        a.release();
        await clock.sleep(37);
      }
    })();
    await clock.runUntilIdle();
    await sender;
    for (const start of sent)
      expect(sent.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(5);
  });

  it("mirrors a token bucket: after the burst, one call per refill", async () => {
    const { clock, call, outcomes } = pacerWith({ rules: [perSecond(5, "token-bucket")] });
    const all = Array.from({ length: 8 }, (_, n) => call(n));
    await clock.runUntilIdle();
    await Promise.all(all);
    expect(outcomes).toEqual([
      ...Array(5).fill("sent at 0"),
      // The bucket refills while a call waits out the margin, so the margins do not add up.
      `sent at ${200 + PACING_MARGIN_MS}`,
      `sent at ${400 + PACING_MARGIN_MS}`,
      `sent at ${600 + PACING_MARGIN_MS}`,
    ]);
  });

  it("counts a call only against the rules of its operation", async () => {
    const { clock, call, outcomes } = pacerWith({
      rules: [{ ...perSecond(1), operations: ["changeStatus"] }, perSecond(10)],
    });
    const all = [call(0, "changeStatus"), call(1, "changeStatus"), call(2, "read"), call(3, "read")];
    await clock.runUntilIdle();
    await Promise.all(all);
    // The read behind the queued change waits its turn (first come, first served), then goes with it.
    expect(outcomes).toEqual([
      "sent at 0",
      `sent at ${1000 + PACING_MARGIN_MS}`,
      `sent at ${1000 + PACING_MARGIN_MS}`,
      `sent at ${1000 + PACING_MARGIN_MS}`,
    ]);
  });

  it("lets one call at a time through a gate, in order, waiting as long as the call timeout", async () => {
    const { clock, call, outcomes, pacer } = pacerWith({ rules: [], maxConcurrent: 1, gateWaitMs: 5000 });
    const first = (await call(0, "read", true)) as Admission & { admitted: true };
    const second = call(1, "read", true);
    const third = call(2, "read", true);
    expect(pacer.inspect("acct")).toEqual({ queued: 2, inFlight: 1, heldForMs: 0 });
    await clock.advance(300);
    first.release();
    const admitted = (await second) as Admission & { admitted: true };
    expect(admitted.waitedMs).toBe(300);
    // The third waits past the call timeout while the second holds the gate.
    await clock.advance(10_000);
    await third;
    expect(outcomes).toEqual(["sent at 0", "sent at 300", expect.stringMatching(/^gate after \d+$/)]);
    admitted.release();
    expect(pacer.inspect("acct")).toEqual({ queued: 0, inFlight: 0, heldForMs: 0 });
  });

  it("does not blame the rate for a wait the gate causes: a slow gate spaces a burst under the limit", async () => {
    const burst = async (callMs: number) => {
      // Five a second and one at a time: with calls of 300 ms the gate lets fewer than four a second through.
      const { clock, pacer } = pacerWith({ maxConcurrent: 1, typicalCallMs: callMs });
      const calls = Array.from({ length: 12 }, () =>
        Promise.resolve(pacer.admit("acct", "read")).then(async (a) => {
          if (!a.admitted) return a.reason;
          await clock.sleep(callMs);
          a.release();
          return clock.now() - T0 - callMs;
        }),
      );
      await clock.runUntilIdle();
      return Promise.all(calls);
    };
    expect(await burst(300)).toEqual(Array.from({ length: 12 }, (_, n) => n * 300));
    // Quick calls are held to the rate, and what would wait past the bound is refused at once.
    const quick = await burst(2);
    expect(quick.slice(10)).toEqual(["rate", "rate"]);
    expect(
      quick.slice(0, 10).every((sent) => typeof sent === "number" && sent <= 1000 + 5 * PACING_MARGIN_MS),
    ).toBe(true);
  });

  it("applies rule changes at once", async () => {
    const { clock, call, limits, outcomes } = pacerWith({ rules: [perSecond(1)] });
    await call(0);
    limits.rules = [perSecond(3)];
    await call(1);
    await call(2);
    await clock.runUntilIdle();
    expect(outcomes).toEqual(["sent at 0", "sent at 0", "sent at 0"]);
  });

  it("refuses instead of waiting where time moves only by hand", async () => {
    const { call, outcomes } = pacerWith({ rules: [perSecond(2)], mayWait: false });
    for (let n = 0; n < 3; n++) await call(n);
    expect(outcomes).toEqual(["sent at 0", "sent at 0", "429 after 1000"]);
  });

  it("holds the queue for a platform's own Retry-After; a retried call goes first", async () => {
    const { clock, call, pacer, outcomes } = pacerWith();
    await call(0);
    pacer.holdUntil("acct", T0 + 1000);
    expect(pacer.inspect("acct").heldForMs).toBe(1000);
    const queued = call(1);
    const retried = Promise.resolve(pacer.admit("acct", "read", true)).then((a) => {
      outcomes[9] = `retry sent at ${clock.now() - T0}`;
      if (a.admitted) a.release();
    });
    await clock.runUntilIdle();
    await Promise.all([queued, retried]);
    expect(outcomes[9]).toBe(`retry sent at ${1000 + PACING_MARGIN_MS}`);
    expect(outcomes[1]).toBe(`sent at ${1000 + PACING_MARGIN_MS}`);
  });

  it("paces nothing in pass-through mode but the gate", async () => {
    const { call, outcomes } = pacerWith({ passThrough: true });
    for (let n = 0; n < 8; n++) await call(n);
    expect(outcomes).toEqual(Array(8).fill("sent at 0"));
  });
});
