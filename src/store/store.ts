import { type ConcurrencyGates, MemoryConcurrencyGates } from "../engine/concurrency-gates.js";
import { MemoryRateBudgets, type RateBudgets } from "../engine/rate-budgets.js";
import { type CappedLog, MemoryCappedLog } from "./capped-log.js";

export type { CappedLog, Numbered } from "./capped-log.js";

/**
 * State behind an asynchronous interface: in memory by default (nothing to install), replaceable
 * by a shared store (Redis, say) when one process is not enough. Callers write a value back after
 * changing it, never relying on in-place mutation being seen; a change that depends on the value
 * it replaces goes through `insert` or `update`, which a shared store runs atomically.
 */
export interface Collection<V> {
  get(key: string): Promise<V | undefined>;
  /** The values of several keys in one call, in the order asked (undefined where absent). */
  getMany(keys: readonly string[]): Promise<Array<V | undefined>>;
  set(key: string, value: V): Promise<void>;
  /** Sets the key only if it is absent; false when it was taken. */
  insert(key: string, value: V): Promise<boolean>;
  /** Replaces the value with `change(current)`, or deletes it when that is undefined; returns the new value. */
  update(key: string, change: (current: V | undefined) => V | undefined): Promise<V | undefined>;
  /** Adds `by` to a numeric value (absent counts as 0) and returns the sum: one atomic step. */
  increment(key: string, by?: number): Promise<number>;
  delete(key: string): Promise<boolean>;
  /** A copy of every entry, in insertion order. */
  entries(): Promise<Array<[string, V]>>;
  size(): Promise<number>;
  clear(): Promise<void>;
}

/**
 * Keys that fall due at a time: the work a clock owes (completions, polls, retention), kept where
 * every process on the store can find it, so work armed by a process that died is still done.
 */
export interface DueSet {
  /** Sets when `key` falls due, replacing an earlier time. */
  add(key: string, at: number): Promise<void>;
  remove(key: string): Promise<void>;
  /** Keys due at or before `now`, soonest first, at most `limit` of them. */
  due(now: number, limit: number): Promise<string[]>;
  clear(): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

/** Acts on an announcement; the announcer waits for the promise (see `StateStore.publish`). */
export type Listener = (message: string) => void | Promise<void>;

export interface StateStore {
  /**
   * True when other processes may use the store too: due work must then be found in due sets as
   * well, since a trigger armed by another process dies with it.
   */
  readonly shared: boolean;
  collection<V>(name: string): Collection<V>;
  /** Rate-limit counts that every process on the store spends together. */
  budgets(name: string): RateBudgets;
  /** Calls in flight that every process on the store counts together ("one call at a time"). */
  gates(name: string): ConcurrencyGates;
  dueSet(name: string): DueSet;
  /** The capped log `name`, keeping `capacity` entries (every process names the same capacity). */
  log<V>(name: string, capacity: number): CappedLog<V>;
  /**
   * Tells every process on the store, this one included, that something under `topic` changed,
   * and resolves once each process listening then has acted on it (its listeners settled), so a
   * caller's next request meets the change on any process. A process that does not answer within
   * a bounded wait (hung, or dying) is not waited for longer.
   */
  publish(topic: string, message: string): Promise<void>;
  /** Hears what any process publishes under `topic`. */
  subscribe(topic: string, listener: Listener): Promise<Unsubscribe>;
}

class MemoryCollection<V> implements Collection<V> {
  readonly #map = new Map<string, V>();

  async get(key: string): Promise<V | undefined> {
    return this.#map.get(key);
  }

  async getMany(keys: readonly string[]): Promise<Array<V | undefined>> {
    return keys.map((key) => this.#map.get(key));
  }

  async set(key: string, value: V): Promise<void> {
    this.#map.set(key, value);
  }

  async insert(key: string, value: V): Promise<boolean> {
    if (this.#map.has(key)) return false;
    this.#map.set(key, value);
    return true;
  }

  async update(key: string, change: (current: V | undefined) => V | undefined): Promise<V | undefined> {
    const next = change(this.#map.get(key));
    if (next === undefined) this.#map.delete(key);
    else this.#map.set(key, next);
    return next;
  }

  async increment(key: string, by = 1): Promise<number> {
    const sum = ((this.#map.get(key) as number | undefined) ?? 0) + by;
    this.#map.set(key, sum as V);
    return sum;
  }

  async delete(key: string): Promise<boolean> {
    return this.#map.delete(key);
  }

  async entries(): Promise<Array<[string, V]>> {
    return [...this.#map];
  }

  async size(): Promise<number> {
    return this.#map.size;
  }

  async clear(): Promise<void> {
    this.#map.clear();
  }
}

class MemoryDueSet implements DueSet {
  readonly #at = new Map<string, number>();

  async add(key: string, at: number): Promise<void> {
    this.#at.set(key, at);
  }

  async remove(key: string): Promise<void> {
    this.#at.delete(key);
  }

  async due(now: number, limit: number): Promise<string[]> {
    return [...this.#at]
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([key]) => key);
  }

  async clear(): Promise<void> {
    this.#at.clear();
  }
}

/** The one instance of `name` in `map`, made by `make` on first use. */
function named<T>(map: Map<string, T>, name: string, make: () => T): T {
  let value = map.get(name);
  if (value === undefined) {
    value = make();
    map.set(name, value);
  }
  return value;
}

export class MemoryStore implements StateStore {
  readonly shared = false;
  readonly #collections = new Map<string, Collection<unknown>>();
  readonly #dueSets = new Map<string, DueSet>();
  readonly #budgets = new Map<string, RateBudgets>();
  readonly #gates = new Map<string, ConcurrencyGates>();
  readonly #logs = new Map<string, CappedLog<unknown>>();
  readonly #listeners = new Map<string, Set<Listener>>();

  budgets(name: string): RateBudgets {
    return named(this.#budgets, name, () => new MemoryRateBudgets());
  }

  gates(name: string): ConcurrencyGates {
    return named(this.#gates, name, () => new MemoryConcurrencyGates());
  }

  dueSet(name: string): DueSet {
    return named(this.#dueSets, name, () => new MemoryDueSet());
  }

  log<V>(name: string, capacity: number): CappedLog<V> {
    return named(this.#logs, name, () => new MemoryCappedLog<unknown>(capacity)) as CappedLog<V>;
  }

  async publish(topic: string, message: string): Promise<void> {
    const listeners = [...(this.#listeners.get(topic) ?? [])];
    await Promise.allSettled(listeners.map(async (listener) => listener(message)));
  }

  async subscribe(topic: string, listener: Listener): Promise<Unsubscribe> {
    const listeners = this.#listeners.get(topic) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(topic, listeners);
    return async () => {
      listeners.delete(listener);
    };
  }

  collection<V>(name: string): Collection<V> {
    return named(this.#collections, name, () => new MemoryCollection<unknown>()) as Collection<V>;
  }
}
