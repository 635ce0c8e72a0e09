import type { CappedLog, Numbered } from "./store.js";

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
