import { MemoryRateBudgets, type RateBudgets } from "../engine/rate-budgets.js";

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

export interface StateStore {
  /**
   * True when other processes may use the store too: due work must then be found in due sets as
   * well, since a trigger armed by another process dies with it.
   */
  readonly shared: boolean;
  collection<V>(name: string): Collection<V>;
  /** Rate-limit counts that every process on the store spends together. */
  budgets(name: string): RateBudgets;
  dueSet(name: string): DueSet;
  /** Tells every process on the store, this one included, that something under `topic` changed. */
  publish(topic: string, message: string): Promise<void>;
  /** Hears what any process publishes under `topic`. */
  subscribe(topic: string, listener: (message: string) => void): Promise<Unsubscribe>;
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

export class MemoryStore implements StateStore {
  readonly shared = false;
  readonly #collections = new Map<string, Collection<unknown>>();
  readonly #dueSets = new Map<string, DueSet>();
  readonly #budgets = new Map<string, RateBudgets>();
  readonly #listeners = new Map<string, Set<(message: string) => void>>();

  budgets(name: string): RateBudgets {
    let budgets = this.#budgets.get(name);
    if (!budgets) {
      budgets = new MemoryRateBudgets();
      this.#budgets.set(name, budgets);
    }
    return budgets;
  }

  dueSet(name: string): DueSet {
    let set = this.#dueSets.get(name);
    if (!set) {
      set = new MemoryDueSet();
      this.#dueSets.set(name, set);
    }
    return set;
  }

  async publish(topic: string, message: string): Promise<void> {
    for (const listener of this.#listeners.get(topic) ?? []) listener(message);
  }

  async subscribe(topic: string, listener: (message: string) => void): Promise<Unsubscribe> {
    const listeners = this.#listeners.get(topic) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(topic, listeners);
    return async () => {
      listeners.delete(listener);
    };
  }

  collection<V>(name: string): Collection<V> {
    let collection = this.#collections.get(name);
    if (!collection) {
      collection = new MemoryCollection<V>();
      this.#collections.set(name, collection);
    }
    return collection as Collection<V>;
  }
}
