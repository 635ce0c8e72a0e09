/** Percentiles and fixed-bucket histograms, over simulated milliseconds. */

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface Histogram {
  /** Upper bounds in ms; the last bucket holds everything above the last bound. */
  bounds: number[];
  counts: number[];
}

/** Answer times: from a fast read to a gateway timeout. */
export const LATENCY_BOUNDS = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];
/** Monitor times, 202 to finished: seconds for fast carriers, tens of minutes for satellites. */
export const COMPLETION_BOUNDS = [
  5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000,
];

/** Nearest-rank percentile of ascending values. */
function rank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    p50: Math.round(rank(sorted, 50)),
    p95: Math.round(rank(sorted, 95)),
    p99: Math.round(rank(sorted, 99)),
    max: Math.round(sorted.at(-1) ?? 0),
    mean: sorted.length === 0 ? 0 : Math.round(total / sorted.length),
  };
}

export function histogram(values: readonly number[], bounds: readonly number[]): Histogram {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of values) {
    const found = bounds.findIndex((b) => v <= b);
    const i = found < 0 ? bounds.length : found;
    counts[i] = (counts[i] as number) + 1;
  }
  return { bounds: [...bounds], counts };
}

/** Counts by key, keys in sorted order (so reports do not depend on arrival order). */
export function tally(keys: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
