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

export interface StateStore {
  collection<V>(name: string): Collection<V>;
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

export class MemoryStore implements StateStore {
  readonly #collections = new Map<string, Collection<unknown>>();

  collection<V>(name: string): Collection<V> {
    let collection = this.#collections.get(name);
    if (!collection) {
      collection = new MemoryCollection<V>();
      this.#collections.set(name, collection);
    }
    return collection as Collection<V>;
  }
}
