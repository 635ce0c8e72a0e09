import { describe, expect, it } from "vitest";
import { DurationSpec } from "../../src/config/schema.js";
import { durationSampler, typicalDuration } from "../../src/engine/latency.js";
import { Random } from "../../src/engine/random.js";

function draws(spec: DurationSpec, n = 40_000, scale = 1): number[] {
  const sample = durationSampler(spec, scale);
  const random = new Random(11);
  return Array.from({ length: n }, (_, i) => sample(random.stream("d", i))).sort((a, b) => a - b);
}
const q = (sorted: number[], p: number) => sorted[Math.floor(p * sorted.length)] as number;

describe("duration models", () => {
  it("accepts WireMock's delayDistribution objects as they are", () => {
    for (const wiremock of [
      { type: "lognormal", median: 80, sigma: 0.4 },
      { type: "lognormal", median: 80, sigma: 0.4, maxValue: 200 },
      { type: "uniform", lower: 15, upper: 25 },
      { fixedDelayMilliseconds: 120 },
    ]) {
      expect(DurationSpec.safeParse(wiremock).success).toBe(true);
    }
    expect(DurationSpec.safeParse({ type: "uniform", lower: 30, upper: 10 }).success).toBe(false);
    expect(DurationSpec.safeParse({ type: "gaussian", mean: 3 }).success).toBe(false);
  });

  it("draws fixed, uniform and lognormal values as specified", () => {
    expect(new Set(draws(250, 100))).toEqual(new Set([250]));
    expect(new Set(draws({ fixedDelayMilliseconds: 40 }, 100))).toEqual(new Set([40]));
    const uniform = draws({ type: "uniform", lower: 100, upper: 200 });
    expect(uniform[0]).toBeGreaterThanOrEqual(100);
    expect(uniform.at(-1)).toBeLessThan(200);
    expect(q(uniform, 0.5)).toBeCloseTo(150, -1);
    const lognormal = draws({ type: "lognormal", median: 80, sigma: 0.4 });
    expect(q(lognormal, 0.5) / 80).toBeCloseTo(1, 1);
    expect(draws({ type: "lognormal", median: 80, sigma: 1, maxValue: 120 }).at(-1)).toBeLessThanOrEqual(120);
  });

  it("reproduces every given percentile of a percentiles model", () => {
    const spec = { type: "percentiles", p1: 5_000, p50: 10_000, p99: 60_000 } as const;
    const sorted = draws(spec, 100_000);
    expect(q(sorted, 0.01) / 5_000).toBeCloseTo(1, 1);
    expect(q(sorted, 0.5) / 10_000).toBeCloseTo(1, 1);
    expect(q(sorted, 0.99) / 60_000).toBeCloseTo(1, 1);
    const three = draws({ type: "percentiles", p50: 100, p95: 300, p99: 1_000 }, 100_000);
    expect(q(three, 0.95) / 300).toBeCloseTo(1, 1);
    expect(q(three, 0.99) / 1_000).toBeCloseTo(1, 1);
  });

  it("reads a range as the central 98 % of a long-tailed distribution", () => {
    const sorted = draws({ type: "range", min: 200, max: 800 }, 100_000);
    expect(q(sorted, 0.01) / 200).toBeCloseTo(1, 1);
    expect(q(sorted, 0.99) / 800).toBeCloseTo(1, 1);
    expect(q(sorted, 0.5) / 400).toBeCloseTo(1, 1);
    expect(typicalDuration({ type: "range", min: 200, max: 800 })).toBe(400);
  });

  it("multiplies every value by the time scale", () => {
    expect(draws({ type: "range", min: 200, max: 800 }, 1000, 0.01)).toEqual(
      draws({ type: "range", min: 200, max: 800 }, 1000).map((v) => v * 0.01),
    );
    expect(draws(3_000, 10, 0.001)[0]).toBe(3);
  });
});
