import { type RandomStream, Z } from "./random.js";

/**
 * Duration models, in milliseconds. The `fixed`, `uniform` and `lognormal` shapes are WireMock's
 * `delayDistribution` vocabulary; `percentiles` and `range` describe measured carriers better.
 */
export type DurationSpec =
  | number
  | { type: "fixed"; milliseconds: number }
  | { fixedDelayMilliseconds: number }
  | { type: "uniform"; lower: number; upper: number }
  | { type: "lognormal"; median: number; sigma: number; maxValue?: number | undefined }
  | {
      type: "percentiles";
      p1?: number | undefined;
      p5?: number | undefined;
      p50: number;
      p95?: number | undefined;
      p99?: number | undefined;
      maxValue?: number | undefined;
    }
  | { type: "range"; min: number; max: number; median?: number | undefined };

/** Above `maxValue` a lognormal is re-drawn (as WireMock does) at most this often, then clamped. */
const MAX_RESAMPLES = 16;

type Knot = readonly [z: number, logValue: number];

/**
 * A monotone curve through known quantiles, linear in (z-score, log value): it reproduces every
 * given percentile exactly and extends the outer segments for the tails.
 */
function quantileCurve(points: Array<[z: number, value: number]>): (z: number) => number {
  const knots: Knot[] = points.filter(([, v]) => v > 0).map(([z, v]) => [z, Math.log(v)] as const);
  knots.sort((a, b) => a[0] - b[0]);
  if (knots.length < 2)
    throw new RangeError("a percentile model needs p50 and at least one other percentile");
  return (z) => {
    let i = 0;
    while (i < knots.length - 2 && z > (knots[i + 1] as Knot)[0]) i++;
    const [z0, l0] = knots[i] as Knot;
    const [z1, l1] = knots[i + 1] as Knot;
    return Math.exp(l0 + ((z - z0) * (l1 - l0)) / (z1 - z0));
  };
}

function percentileKnots(spec: {
  p1?: number | undefined;
  p5?: number | undefined;
  p50: number;
  p95?: number | undefined;
  p99?: number | undefined;
}): Array<[number, number]> {
  const knots: Array<[number, number]> = [[Z.p50, spec.p50]];
  if (spec.p1 !== undefined) knots.push([Z.p1, spec.p1]);
  if (spec.p5 !== undefined) knots.push([Z.p5, spec.p5]);
  if (spec.p95 !== undefined) knots.push([Z.p95, spec.p95]);
  if (spec.p99 !== undefined) knots.push([Z.p99, spec.p99]);
  return knots;
}

export type Sampler = (stream: RandomStream) => number;

/** Compiles a spec once into a sampler; `scale` multiplies every value (the run's time scale). */
export function durationSampler(spec: DurationSpec, scale = 1): Sampler {
  if (typeof spec === "number") return () => spec * scale;
  if ("fixedDelayMilliseconds" in spec) return () => spec.fixedDelayMilliseconds * scale;
  switch (spec.type) {
    case "fixed":
      return () => spec.milliseconds * scale;
    case "uniform":
      return (s) => s.uniform(spec.lower, spec.upper) * scale;
    case "lognormal": {
      const { median, sigma, maxValue } = spec;
      return (s) => {
        let value = s.logNormal(median, sigma);
        for (let i = 0; maxValue !== undefined && value > maxValue && i < MAX_RESAMPLES; i++) {
          value = s.logNormal(median, sigma);
        }
        return (maxValue === undefined ? value : Math.min(value, maxValue)) * scale;
      };
    }
    case "percentiles": {
      const curve = quantileCurve(percentileKnots(spec));
      const max = spec.maxValue ?? Number.POSITIVE_INFINITY;
      return (s) => Math.min(curve(s.standardNormal()), max) * scale;
    }
    case "range": {
      // min and max are the 1st and 99th percentiles; the median defaults to their geometric mean.
      const median = spec.median ?? Math.sqrt(spec.min * spec.max);
      const curve = quantileCurve([
        [Z.p1, spec.min],
        [Z.p50, median],
        [Z.p99, spec.max],
      ]);
      return (s) => curve(s.standardNormal()) * scale;
    }
  }
}

/** The median of a spec, unscaled: used for display and as a typical value. */
export function typicalDuration(spec: DurationSpec): number {
  if (typeof spec === "number") return spec;
  if ("fixedDelayMilliseconds" in spec) return spec.fixedDelayMilliseconds;
  switch (spec.type) {
    case "fixed":
      return spec.milliseconds;
    case "uniform":
      return (spec.lower + spec.upper) / 2;
    case "lognormal":
      return spec.median;
    case "percentiles":
      return spec.p50;
    case "range":
      return spec.median ?? Math.sqrt(spec.min * spec.max);
  }
}
