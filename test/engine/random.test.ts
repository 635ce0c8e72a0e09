import { describe, expect, it } from "vitest";
import { inverseNormalCdf, Random, sigmaFromPercentiles } from "../../src/engine/random.js";

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

describe("Random", () => {
  it("gives a key the same values whatever other keys drew in between", () => {
    const a = new Random(42);
    const b = new Random(42);
    const fromA = Array.from({ length: 5 }, () => a.stream("TMSP", "latency", "89490").next());
    for (let i = 0; i < 1000; i++) b.next("JASPER", "other", i).next();
    const fromB = Array.from({ length: 5 }, () => b.stream("TMSP", "latency", "89490").next());
    expect(fromB).toEqual(fromA);
  });

  it("hands out a key's streams in sequence, whatever other keys drew", () => {
    const alone = new Random(7);
    const expected = [alone.next("x").next(), alone.next("x").next(), alone.next("x").next()];
    const busy = new Random(7);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      busy.next("y");
      busy.next("y", i);
      seen.push(busy.next("x").next());
    }
    expect(seen).toEqual(expected);
    expect(new Set(expected).size).toBe(3);
  });

  it("differs between seeds and between keys", () => {
    expect(new Random(1).stream("k").next()).not.toBe(new Random(2).stream("k").next());
    expect(new Random(1).stream("k", 1).next()).not.toBe(new Random(1).stream("k", 2).next());
  });

  it("reproduces p50 and p99 of a log-normal given by them within 2 % over 100k draws", () => {
    const random = new Random(2026);
    const draws = Array.from({ length: 100_000 }, (_, i) =>
      random.stream("lognormal", i).logNormalFromPercentiles(400, 800),
    );
    draws.sort((x, y) => x - y);
    expect(Math.abs(quantile(draws, 0.5) / 400 - 1)).toBeLessThan(0.02);
    expect(Math.abs(quantile(draws, 0.99) / 800 - 1)).toBeLessThan(0.02);
    expect(sigmaFromPercentiles(400, 800)).toBeCloseTo(Math.log(2) / 2.3263478740408408, 12);
  });

  it("draws bernoulli, uniform, normal and weighted picks at their rates", () => {
    const s = new Random(3).stream("rates");
    const n = 50_000;
    let hits = 0;
    let sum = 0;
    let sumSq = 0;
    const picks: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < n; i++) {
      if (s.bernoulli(0.2)) hits++;
      const x = s.normal(10, 2);
      sum += x;
      sumSq += x * x;
      const u = s.uniform(5, 7);
      expect(u >= 5 && u < 7).toBe(true);
      picks[s.weighted({ a: 1, b: 3, c: 0 })]!++;
    }
    expect(hits / n).toBeCloseTo(0.2, 2);
    expect(sum / n).toBeCloseTo(10, 1);
    expect(Math.sqrt(sumSq / n - (sum / n) ** 2)).toBeCloseTo(2, 1);
    expect(picks.c).toBe(0);
    expect(picks.b! / n).toBeCloseTo(0.75, 2);
    expect(() => s.weighted({ a: 0 })).toThrow(RangeError);
  });

  it("inverts the normal CDF accurately", () => {
    expect(inverseNormalCdf(0.5)).toBeCloseTo(0, 9);
    expect(inverseNormalCdf(0.99)).toBeCloseTo(2.3263478740408408, 8);
    expect(inverseNormalCdf(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959963984540054, 8);
  });

  it("exports and imports its sequence positions", () => {
    const a = new Random(5);
    a.next("k");
    a.next("k");
    const path = ["TMSP", "request", "read", "/iot/connectivity/management/v1/partners/1/sims/8949"];
    a.next(...path);
    const exported = a.exportCounters();
    expect(Object.keys(exported)).toHaveLength(2);
    for (const key of Object.keys(exported)) expect(key).toMatch(/^[0-9a-f]{13}$/);
    const b = new Random(5);
    b.importCounters(exported);
    expect(b.next("k").next()).toBe(a.next("k").next());
    expect(b.next(...path).next()).toBe(a.next(...path).next());
  });
});
