/**
 * The request journal: a bounded ring of what crossed the simulator, CMO and native alike, for
 * tests that assert on traffic and for the dashboard. Old entries fall off; nothing grows unbounded.
 */
export interface JournalEntry {
  seq: number;
  /** Simulated epoch ms when the request arrived. */
  at: number;
  face: "cmo" | "platform" | "admin" | "auth" | "other";
  /** Platform code for native traffic, or for CMO traffic aimed at one platform's product. */
  platform?: string;
  method: string;
  path: string;
  status: number;
  /** Simulated ms from arrival to answer. */
  latencyMs: number;
  /** Who called: "client" over HTTP, "cmo-adapter" for in-process native calls. */
  caller: "client" | "cmo-adapter";
  /** A fault the simulator injected into this answer, if any. */
  fault?: string | undefined;
  /** A CMO call to a platform: how long it waited in the CMO's pacing queue before it was sent. */
  pacedMs?: number | undefined;
}

export interface JournalFilter {
  face?: string;
  platform?: string;
  method?: string;
  status?: number;
  pathContains?: string;
  since?: number;
  limit?: number;
}

export class Journal {
  #entries: JournalEntry[] = [];
  #next = 0;
  #seq = 0;

  constructor(private capacity: number) {}

  add(entry: Omit<JournalEntry, "seq">): void {
    if (this.capacity === 0) return;
    const full = { seq: ++this.#seq, ...entry };
    if (this.#entries.length < this.capacity) this.#entries.push(full);
    else {
      this.#entries[this.#next] = full;
      this.#next = (this.#next + 1) % this.capacity;
    }
  }

  /** Entries oldest first, filtered; `limit` keeps the newest. */
  find(filter: JournalFilter = {}): JournalEntry[] {
    const ordered = [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
    const matched = ordered.filter(
      (e) =>
        (filter.face === undefined || e.face === filter.face) &&
        (filter.platform === undefined || e.platform === filter.platform) &&
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.status === undefined || e.status === filter.status) &&
        (filter.pathContains === undefined || e.path.includes(filter.pathContains)) &&
        (filter.since === undefined || e.seq > filter.since),
    );
    return filter.limit === undefined ? matched : matched.slice(-filter.limit);
  }

  get size(): number {
    return this.#entries.length;
  }

  clear(): void {
    this.#entries = [];
    this.#next = 0;
  }

  resize(capacity: number): void {
    const kept = this.find().slice(-capacity);
    this.capacity = capacity;
    this.#entries = capacity === 0 ? [] : kept;
    this.#next = 0;
  }
}
