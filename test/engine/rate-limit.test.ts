import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { ConcurrencyGate, RateLimiter } from "../../src/engine/rate-limit.js";

describe("RateLimiter", () => {
  it("admits exactly its limit per fixed window on a virtual clock", async () => {
    const clock = new VirtualClock(10_000);
    const limiter = new RateLimiter(clock, [
      { name: "second", limit: 10, windowMs: 1000, algorithm: "fixed-window" },
    ]);
    for (let window = 0; window < 5; window++) {
      const admitted = Array.from({ length: 25 }, () => limiter.take("acct")).filter((d) => d.allowed).length;
      expect(admitted).toBe(10);
      await clock.advance(1000);
    }
    expect(limiter.take("other").allowed).toBe(true);
  });

  it("tells how long to wait and does not count refused requests", async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock, [
      { name: "minute", limit: 2, windowMs: 60_000, algorithm: "fixed-window" },
    ]);
    await clock.advance(15_000);
    limiter.take("k");
    limiter.take("k");
    const refused = limiter.take("k");
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 45_000, refusedBy: { name: "minute" } });
    expect(limiter.inspect("k")[0]).toMatchObject({ remaining: 0, resetMs: 45_000 });
    await clock.advance(45_000);
    expect(limiter.take("k").allowed).toBe(true);
  });

  it("refills a token bucket continuously", async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock, [
      { name: "second", limit: 5, windowMs: 1000, algorithm: "token-bucket" },
    ]);
    expect(Array.from({ length: 8 }, () => limiter.take("k").allowed).filter(Boolean)).toHaveLength(5);
    expect(limiter.take("k").retryAfterMs).toBe(200);
    await clock.advance(200);
    expect(limiter.take("k").allowed).toBe(true);
    expect(limiter.take("k").allowed).toBe(false);
    await clock.advance(10_000);
    expect(Array.from({ length: 8 }, () => limiter.take("k").allowed).filter(Boolean)).toHaveLength(5);
  });

  it("applies several rules together and refuses without consuming any of them", async () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock, [
      { name: "second", limit: 10, windowMs: 1000, algorithm: "fixed-window" },
      { name: "minute", limit: 15, windowMs: 60_000, algorithm: "fixed-window" },
    ]);
    expect(Array.from({ length: 12 }, () => limiter.take("k").allowed).filter(Boolean)).toHaveLength(10);
    await clock.advance(1000);
    const next = Array.from({ length: 12 }, () => limiter.take("k"));
    expect(next.filter((d) => d.allowed)).toHaveLength(5);
    expect(next.at(-1)?.refusedBy?.name).toBe("minute");
  });

  it("scopes rules to the operations they name", () => {
    const clock = new VirtualClock(0);
    const limiter = new RateLimiter(clock, [
      { name: "second", limit: 1, windowMs: 1000, algorithm: "fixed-window", operations: ["auth"] },
    ]);
    expect(limiter.take("k", "auth").allowed).toBe(true);
    expect(limiter.take("k", "auth").allowed).toBe(false);
    expect(limiter.take("k", "read").allowed).toBe(true);
    expect(limiter.take("k", "read").allowed).toBe(true);
  });
});

describe("ConcurrencyGate", () => {
  it("admits one call at a time per key", () => {
    const gate = new ConcurrencyGate(1);
    const release = gate.tryAcquire("a");
    expect(release).toBeTypeOf("function");
    expect(gate.tryAcquire("a")).toBeUndefined();
    expect(gate.tryAcquire("b")).toBeTypeOf("function");
    release?.();
    release?.();
    expect(gate.inFlight("a")).toBe(0);
    expect(gate.tryAcquire("a")).toBeTypeOf("function");
  });
});
