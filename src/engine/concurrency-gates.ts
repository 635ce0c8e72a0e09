/**
 * The holders of "one call at a time" style limits, kept by the store so that every process on it
 * counts one set of calls in flight per key. A holder that never leaves (its process died) is let
 * go by a shared store after a lease; in one process a holder always leaves.
 */
export interface ConcurrencyGates {
  /** A ticket to give back with `leave` when `key` has fewer than `max` holders; undefined when full. */
  enter(key: string, max: number): Promise<string | undefined>;
  leave(key: string, ticket: string): Promise<void>;
  holders(key: string): Promise<number>;
}

export class MemoryConcurrencyGates implements ConcurrencyGates {
  readonly #holders = new Map<string, Set<string>>();
  #tickets = 0;

  async enter(key: string, max: number): Promise<string | undefined> {
    const holders = this.#holders.get(key) ?? new Set<string>();
    if (holders.size >= max) return undefined;
    const ticket = String(++this.#tickets);
    holders.add(ticket);
    this.#holders.set(key, holders);
    return ticket;
  }

  async leave(key: string, ticket: string): Promise<void> {
    const holders = this.#holders.get(key);
    holders?.delete(ticket);
    if (holders?.size === 0) this.#holders.delete(key);
  }

  async holders(key: string): Promise<number> {
    return this.#holders.get(key)?.size ?? 0;
  }
}
