/**
 * Values worked out once per key, for keys that are few in practice (hosts, credentials, label
 * combinations, tokens) but that a client could invent without end: past `limit` keys it starts
 * over rather than grow, so an odd client costs recomputation, never memory.
 */
export class BoundedMemo<K, V> {
  readonly #values = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.#values.get(key);
  }

  /** Keeps `value` for `key` and returns it, so a miss reads `memo.get(k) ?? memo.keep(k, work())`. */
  keep(key: K, value: V): V {
    if (this.#values.size >= this.limit) this.#values.clear();
    this.#values.set(key, value);
    return value;
  }

  clear(): void {
    this.#values.clear();
  }
}
