import { hash } from "node:crypto";
import seedrandom from "seedrandom";

/**
 * Seeded randomness, keyed. A stream is derived from (seed, key parts…) alone, so the values one
 * key yields never depend on how many draws any other key made: two requests that interleave
 * differently still get the same outcomes.
 */
export type KeyPart = string | number;

export const Z = {
  p1: -2.3263478740408408,
  p5: -1.6448536269514729,
  p50: 0,
  p95: 1.6448536269514729,
  p99: 2.3263478740408408,
};

export class RandomStream {
  readonly #seedText: string;
  #generator: (() => number) | undefined;

  // The generator is made on the first draw: seeding mixes the whole text and runs the generator
  // a few rounds, and most requests' streams are never drawn from (no faults, a fixed latency).
  constructor(seedText: string) {
    this.#seedText = seedText;
  }

  #next(): number {
    this.#generator ??= seedrandom.tychei(this.#seedText);
    return this.#generator();
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }

  uniform(lower: number, upper: number): number {
    return lower + (upper - lower) * this.#next();
  }

  /** Integer in [lower, upper], both inclusive. */
  int(lower: number, upper: number): number {
    return lower + Math.floor(this.#next() * (upper - lower + 1));
  }

  /** Standard normal draw by inversion, so one uniform gives one value (no cached pair). */
  standardNormal(): number {
    let u = this.#next();
    if (u <= 0) u = Number.MIN_VALUE;
    return inverseNormalCdf(u);
  }

  normal(mean: number, sd: number): number {
    return mean + sd * this.standardNormal();
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.standardNormal());
  }

  /** Log-normal fitted so that its 50th and 99th percentiles are `p50` and `p99`. */
  logNormalFromPercentiles(p50: number, p99: number): number {
    return this.logNormal(p50, sigmaFromPercentiles(p50, p99));
  }

  bernoulli(p: number): boolean {
    return p > 0 && this.#next() < p;
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
    if (!(total > 0)) throw new RangeError("weighted pick needs at least one positive weight");
    let r = this.#next() * total;
    for (const [key, w] of entries) {
      r -= Math.max(0, w);
      if (r < 0) return key;
    }
    return (entries.findLast(([, w]) => w > 0) as [K, number])[0];
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("cannot pick from an empty list");
    return items[Math.floor(this.#next() * items.length)] as T;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.#next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  digits(count: number): string {
    let out = "";
    for (let i = 0; i < count; i++) out += Math.floor(this.#next() * 10);
    return out;
  }
}

export function sigmaFromPercentiles(p50: number, p99: number): number {
  if (!(p50 > 0 && p99 >= p50)) throw new RangeError(`need 0 < p50 <= p99, got p50=${p50} p99=${p99}`);
  return Math.log(p99 / p50) / Z.p99;
}

/**
 * The source of every stream. `stream(...key)` is pure; `next(...key)` hands out the streams of a
 * key in sequence (the nth call gets (key, n)), which is how per-entity, per-operation draws stay
 * independent of unrelated traffic.
 */
export class Random {
  /**
   * Sequence positions by key digest. Keys name entities (a SIM, a request path, an operation), so
   * there is one per entity ever touched; a 52-bit digest costs a few dozen bytes where the key text
   * costs a few hundred, and two keys share a counter only by a collision (odds about 1e-4 with a
   * million keys), which shifts which draws they get but never breaks replay.
   */
  readonly #counters = new Map<number, number>();

  constructor(readonly seed: number | string) {}

  stream(...key: KeyPart[]): RandomStream {
    return new RandomStream(`${this.seed}\u241f${key.join("\u241f")}`);
  }

  next(...key: KeyPart[]): RandomStream {
    const name = key.join("\u241f");
    const digest = counterKey(name);
    const n = this.#counters.get(digest) ?? 0;
    this.#counters.set(digest, n + 1);
    return new RandomStream(`${this.seed}\u241f${name}\u241f#${n}`);
  }

  /** Sequence positions, for snapshots: restoring them makes a resumed run draw what it would have. */
  exportCounters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [digest, n] of this.#counters) out[digest.toString(16).padStart(COUNTER_KEY_HEX, "0")] = n;
    return out;
  }

  /** Takes what `exportCounters` gave (keys of COUNTER_KEY_HEX hex digits). */
  importCounters(counters: Record<string, number>): void {
    this.#counters.clear();
    for (const [key, n] of Object.entries(counters)) this.#counters.set(Number.parseInt(key, 16), n);
  }

  resetCounters(): void {
    this.#counters.clear();
  }
}

/** Hex digits of an exported counter key: 13 of them make 52 bits, an exact JavaScript integer. */
export const COUNTER_KEY_HEX = 13;

function counterKey(name: string): number {
  return Number.parseInt(hash("sha1", name).slice(0, COUNTER_KEY_HEX), 16);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function inverseNormalCdf(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  const low = 0.02425;
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
