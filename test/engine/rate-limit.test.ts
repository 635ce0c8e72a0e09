import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { MemoryRateBudgets } from "../../src/engine/rate-budgets.js";
import { ConcurrencyGate, RateLimiter } from "../../src/engine/rate-limit.js";

/** How many of `count` requests, taken one after another, are admitted. */
async function admitted(limiter: RateLimiter, key: string, count: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < count; i++) if ((await limiter.take(key)).allowed) allowed++;
  return allowed;
}

describe("RateLimiter", () => {
  it("admits exactly its limit per fixed window on a virtual clock", async () => {
    const clock = new VirtualClock(10_000);
    const limiter = new RateLimiter(clock, [
      { name: "second", limit: 10, windowMs: 1000, algorithm: "fixed-window" },
    ]);
    for (let window = 0; window < 5; window++) {
      expect(await admitted(limiter, "acct", 25)).toBe(10);
      await clock.advance(1000);
    }
    expect((await limiter.take("other")).allowed).toBe(true);
  });

  it("tells how long to wait and does not count refused requests", async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock, [
      { name: "minute", limit: 2, windowMs: 60_000, algorithm: "fixed-window" },
    ]);
    await clock.advance(15_000);
    await limiter.take("k");
    await limiter.take("k");
    const refused = await limiter.take("k");
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 45_000, refusedBy: { name: "minute" } });
    expect((await limiter.inspect("k"))[0]).toMatchObject({ remaining: 0, resetMs: 45_000 });
    await clock.advance(45_000);
    expect((await limiter.take("k")).allowed).toBe(true);
  });

  it("refills a token bucket continuously", async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock, [
      { name: "second", limit: 5, windowMs: 1000, algorithm: "token-bucket" },
    ]);
    expect(await admitted(limiter, "k", 8)).toBe(5);
    expect((await limiter.take("k")).retryAfterMs).toBe(200);
    await clock.advance(200);
    expect((await limiter.take("k")).allowed).toBe(true);
    expect((await limiter.take("k")).allowed).toBe(false);
    await clock.advance(10_000);
    expect(await admitted(limiter, "k", 8)).toBe(5);
  });

  it("applies several rules together and refuses without consuming any of them", async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock, [
      { name: "second", limit: 10, windowMs: 1000, algorithm: "fixed-window" },
      { name: "minute", limit: 15, windowMs: 60_000, algorithm: "fixed-window" },
    ]);
    expect(await admitted(limiter, "k", 12)).toBe(10);
    await clock.advance(1000);
    const next = [];
    for (let i = 0; i < 12; i++) next.push(await limiter.take("k"));
    expect(next.filter((d) => d.allowed)).toHaveLength(5);
    expect(next.at(-1)?.refusedBy?.name).toBe("minute");
  });

  it("scopes rules to the operations they name", async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock, [
      { name: "second", limit: 1, windowMs: 1000, algorithm: "fixed-window", operations: ["auth"] },
    ]);
    expect((await limiter.take("k", "auth")).allowed).toBe(true);
    expect((await limiter.take("k", "auth")).allowed).toBe(false);
    expect((await limiter.take("k", "read")).allowed).toBe(true);
    expect((await limiter.take("k", "read")).allowed).toBe(true);
  });
});

describe("RateLimiter over shared budgets", () => {
  const perMinute = (limit: number) => [
    { name: "minute", limit, windowMs: 60_000, algorithm: "fixed-window" as const },
  ];

  it("spends one budget from every limiter over it, and starts it afresh only on reset", async () => {
    const clock = new VirtualClock(0);
    const budgets = new MemoryRateBudgets();
    const [one, two] = [
      new RateLimiter(clock, perMinute(4), budgets),
      new RateLimiter(clock, perMinute(4), budgets),
    ];
    expect(await admitted(one, "k", 3)).toBe(3);
    expect(await admitted(two, "k", 3)).toBe(1);
    // New rules see the counts already spent: forgetting them is the caller's decision.
    one.setRules(perMinute(6));
    expect(await admitted(one, "k", 5)).toBe(2);
    await two.reset();
    expect((await one.inspect("k"))[0]?.remaining).toBe(6);
  });
});

describe("ConcurrencyGate", () => {
  it("admits one call at a time per key", async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.tryAcquire("a");
    expect(release).toBeTypeOf("function");
    expect(await gate.tryAcquire("a")).toBeUndefined();
    expect(await gate.tryAcquire("b")).toBeTypeOf("function");
    expect(await gate.inFlight("a")).toBe(1);
    await release?.();
    await release?.();
    expect(await gate.inFlight("a")).toBe(0);
    expect(await gate.tryAcquire("a")).toBeTypeOf("function");
  });

  it("counts nothing without a limit, and starts counting when one is set", async () => {
    const gate = new ConcurrencyGate(Number.POSITIVE_INFINITY);
    expect(gate.tryAcquire("a")).not.toBeInstanceOf(Promise);
    expect(await gate.inFlight("a")).toBe(0);
    gate.setMax(1);
    expect(await gate.tryAcquire("a")).toBeTypeOf("function");
    expect(await gate.tryAcquire("a")).toBeUndefined();
  });
});
