import type { CappedLog, StateStore } from "../store/store.js";

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

type Unnumbered = Omit<JournalEntry, "seq">;

/**
 * The journal over the store's capped log `journal`. On a shared store the entries of one turn of
 * the event loop go out together (one round trip for all the requests answered in it); in one
 * process an entry is in the log before `add` returns. A journal entry lost while the store is
 * away is dropped, never failing the request it describes: the journal observes, it is not state.
 */
export class Journal {
  readonly #log: CappedLog<Unnumbered>;
  readonly #batched: boolean;
  readonly #capacity: number;
  #pending: Unnumbered[] = [];
  #flushing: Promise<void> | undefined;

  constructor(store: StateStore, capacity: number) {
    this.#log = store.log("journal", capacity);
    this.#batched = store.shared;
    this.#capacity = capacity;
  }

  add(entry: Unnumbered): Promise<void> {
    if (this.#capacity === 0) return DONE;
    if (!this.#batched) return this.#log.append([entry]);
    this.#pending.push(entry);
    this.#flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#flush());
    return this.#flushing;
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = undefined;
    await this.#log.append(batch).catch(() => undefined);
  }

  /** Entries oldest first, filtered; `limit` keeps the newest. */
  async find(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    const matched: JournalEntry[] = [];
    for (const { seq, value: e } of await this.#log.read(filter.since)) {
      if (
        (filter.face === undefined || e.face === filter.face) &&
        (filter.platform === undefined || e.platform === filter.platform) &&
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.status === undefined || e.status === filter.status) &&
        (filter.pathContains === undefined || e.path.includes(filter.pathContains))
      )
        matched.push({ seq, ...e });
    }
    return filter.limit === undefined ? matched : matched.slice(-filter.limit);
  }

  size(): Promise<number> {
    return this.#log.size();
  }

  clear(): Promise<void> {
    return this.#log.clear();
  }
}

const DONE = Promise.resolve();
