import type { CmoStatus } from "../config/schema.js";
import type { Random, RandomStream } from "../engine/random.js";
import type { InventoryView, Target } from "./inventory.js";
import { type Planned, requests } from "./requests.js";
import type { Load, LoadOperation } from "./schema.js";

/** A write picks another SIM this often before it accepts one that is busy (and its 409). */
const BUSY_REDRAWS = 8;

/**
 * Generated load: arrival times and, per arrival, an operation and its SIMs. Every draw comes from
 * a stream keyed by (seed, load name, arrival number), so the same file and seed give the same
 * traffic however requests interleave.
 */
export class LoadTraffic {
  readonly #pick: (s: RandomStream) => Target;
  readonly #transferable: Target[];
  readonly #end: number;

  constructor(
    readonly load: Load,
    readonly pool: Target[],
    private readonly view: InventoryView,
    private readonly random: Random,
    scenarioEnd: number,
  ) {
    this.#end = load.duration === undefined ? scenarioEnd : load.start + load.duration;
    this.#pick =
      load.targets.distribution === "zipf" ? zipf(pool, load.targets.zipfExponent) : (s) => s.pick(pool);
    this.#transferable = pool.filter((t) => {
      const info = view.platform(t.platform);
      return info?.profile.transfer === true && view.accountsOf(t.platform).length > 1;
    });
  }

  /** Arrival times in ms after the run starts: evenly spaced, or a Poisson process. */
  *arrivals(): Generator<number> {
    const stream = this.random.stream("load", this.load.name, "arrivals");
    const gap = 1 / this.load.rate;
    let at = this.load.start + (this.load.arrival === "poisson" ? -Math.log(1 - stream.next()) * gap : 0);
    while (at < this.#end) {
      yield at;
      at += this.load.arrival === "poisson" ? -Math.log(1 - stream.next()) * gap : gap;
    }
  }

  /** The nth arrival's operation; `busy` holds the products with a write in flight. */
  plan(n: number, busy: { has(product: string): boolean }): Planned {
    const s = this.random.stream("load", this.load.name, n);
    const operation = s.weighted(this.load.mix as Record<LoadOperation, number>);
    const free = (from: (s: RandomStream) => Target) => {
      let target = from(s);
      for (let i = 0; i < BUSY_REDRAWS && busy.has(target.productId); i++) target = from(s);
      return target;
    };
    switch (operation) {
      case "read":
        return requests.read(this.#pick(s).productId);
      case "list": {
        const pages = Math.max(1, Math.ceil(this.pool.length / 20));
        return requests.list(20, s.int(1, pages));
      }
      case "find":
        return requests.find([this.#pick(s).productId]);
      case "status": {
        const target = free(this.#pick);
        return requests.status(target.productId, this.#nextStatus(target));
      }
      case "customProperty":
        return requests.customProperty(this.#pick(s).productId, "add", `load-${n}`, this.load.name);
      case "batch": {
        const products = new Set<string>();
        for (let i = 0; i < this.load.batchSize * 2 && products.size < this.load.batchSize; i++)
          products.add(free(this.#pick).productId);
        return requests.batch([...products], s.pick(this.load.statusCycle));
      }
      case "transfer": {
        if (this.#transferable.length === 0) return requests.read(this.#pick(s).productId);
        const target = free((r) => r.pick(this.#transferable));
        const owner = this.view.owner.get(target.productId);
        const accounts = this.view.accountsOf(target.platform).filter((a) => a !== owner);
        return requests.transfer(target.productId, s.pick(accounts));
      }
    }
  }

  #nextStatus(target: Target): CmoStatus {
    const cycle = this.load.statusCycle;
    const current = this.view.known.get(target.productId) ?? target.status;
    const at = cycle.indexOf(current);
    return cycle[(at + 1) % cycle.length] as CmoStatus;
  }
}

/** Rank k (0-based) drawn with weight 1 / (k + 1)^s. */
function zipf<T>(items: readonly T[], exponent: number): (s: RandomStream) => T {
  const cdf: number[] = [];
  let total = 0;
  for (let k = 0; k < items.length; k++) {
    total += 1 / (k + 1) ** exponent;
    cdf.push(total);
  }
  return (s) => {
    const u = s.next() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return items[lo] as T;
  };
}
