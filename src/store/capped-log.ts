/**
 * An append-only log keeping its newest `capacity` entries, numbered 1, 2, 3… across every process
 * on the store: the request journal (a capped stream on Redis).
 */
export interface CappedLog<V> {
  /** Appends in order: one call, one round trip, however many values. */
  append(values: readonly V[]): Promise<void>;
  /** The entries kept whose number is above `after` (all of them when absent), oldest first. */
  read(after?: number): Promise<Array<Numbered<V>>>;
  size(): Promise<number>;
  /** Forgets the entries; the numbering goes on. */
  clear(): Promise<void>;
}

export interface Numbered<V> {
  seq: number;
  value: V;
}

/** A capped log in this process: a ring of the newest `capacity` entries. */
export class MemoryCappedLog<V> implements CappedLog<V> {
  #ring: Array<Numbered<V>> = [];
  /** Where the oldest entry is once the ring is full. */
  #oldest = 0;
  #seq = 0;

  constructor(private readonly capacity: number) {}

  async append(values: readonly V[]): Promise<void> {
    if (this.capacity === 0) return;
    for (const value of values) {
      const entry = { seq: ++this.#seq, value };
      if (this.#ring.length < this.capacity) this.#ring.push(entry);
      else {
        this.#ring[this.#oldest] = entry;
        this.#oldest = (this.#oldest + 1) % this.capacity;
      }
    }
  }

  async read(after = 0): Promise<Array<Numbered<V>>> {
    const ordered = [...this.#ring.slice(this.#oldest), ...this.#ring.slice(0, this.#oldest)];
    return after === 0 ? ordered : ordered.filter((entry) => entry.seq > after);
  }

  async size(): Promise<number> {
    return this.#ring.length;
  }

  async clear(): Promise<void> {
    this.#ring = [];
    this.#oldest = 0;
  }
}
