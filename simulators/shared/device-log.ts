import type { Collection, StateStore } from "../../src/store/store.js";

/**
 * What a platform remembers happened to its devices, by kind: Control Center's audit trail and SMS
 * messages, 1NCE's events and SMS. Each entry is data (the family decides its fields), stored with
 * the platform's state so a snapshot keeps it, and bounded so a long run cannot grow it forever.
 */
export interface LogEntry {
  /** Unique within its kind; families show it as their message or event id. */
  id: string;
  accountId: string;
  nativeId: string;
  /** Simulated epoch ms. */
  at: number;
  data: Record<string, unknown>;
}

/** Entries kept per kind; past this the oldest go, as a carrier's own history is bounded too. */
export const LOG_CAPACITY = 10_000;

/** How far past its capacity a log may grow before its oldest entries are dropped together. */
const TRIM_BATCH = 1_000;

/** Appends of one kind by this process between two looks at the log's size. */
const SIZE_LOOK_EVERY = 100;

export interface DeviceLogsSnapshot {
  sequence: number;
  entries: Record<string, LogEntry[]>;
}

/** The kinds a platform's logs may hold are few (audit, sms, events): each is one collection. */
export class DeviceLogs {
  readonly #store: StateStore;
  readonly #prefix: string;
  readonly #meta: Collection<number>;
  /** The kinds written so far, so a snapshot or a reset finds every collection. */
  readonly #kinds: Collection<true>;
  /** Appends per kind since this process last looked at the kind's size. */
  readonly #sinceLook = new Map<string, number>();

  constructor(store: StateStore, code: string) {
    this.#store = store;
    this.#prefix = `platform:${code}:log`;
    this.#meta = store.collection(`${this.#prefix}s`);
    this.#kinds = store.collection(`${this.#prefix}-kinds`);
  }

  #log(kind: string): Collection<LogEntry> {
    return this.#store.collection(`${this.#prefix}:${kind}`);
  }

  async append(kind: string, entry: Omit<LogEntry, "id">): Promise<LogEntry> {
    const sequence = await this.#meta.increment("sequence");
    const stored = { id: String(sequence), ...entry };
    const log = this.#log(kind);
    await this.#kinds.set(kind, true);
    await log.set(stored.id, stored);
    // Trimmed in batches: reading a full log to drop one entry per append made every change of a
    // busy platform read ten thousand entries. Readers see the newest LOG_CAPACITY meanwhile. The
    // size is looked at every SIZE_LOOK_EVERY appends (each process counts its own), so a log may
    // pass its bound by that many per process before it is trimmed.
    const appends = (this.#sinceLook.get(kind) ?? SIZE_LOOK_EVERY - 1) + 1;
    this.#sinceLook.set(kind, appends % SIZE_LOOK_EVERY);
    if (appends === SIZE_LOOK_EVERY && (await log.size()) > LOG_CAPACITY + TRIM_BATCH) {
      const entries = await log.entries();
      for (const [id] of entries.slice(0, entries.length - LOG_CAPACITY)) await log.delete(id);
    }
    return stored;
  }

  /** Entries of a kind, oldest first, narrowed to an account, a device and a time window. */
  async find(
    kind: string,
    filter: { accountId?: string; nativeId?: string; since?: number; until?: number } = {},
  ): Promise<LogEntry[]> {
    return (await this.#log(kind).entries())
      .slice(-LOG_CAPACITY)
      .map(([, e]) => e)
      .filter(
        (e) =>
          (filter.accountId === undefined || e.accountId === filter.accountId) &&
          (filter.nativeId === undefined || e.nativeId === filter.nativeId) &&
          (filter.since === undefined || e.at >= filter.since) &&
          (filter.until === undefined || e.at <= filter.until),
      );
  }

  get(kind: string, id: string): Promise<LogEntry | undefined> {
    return this.#log(kind).get(id);
  }

  /** Merges `data` into an entry's data (an SMS delivered, say). */
  async update(kind: string, id: string, data: Record<string, unknown>): Promise<void> {
    await this.#log(kind).update(id, (entry) => entry && { ...entry, data: { ...entry.data, ...data } });
  }

  async snapshot(): Promise<DeviceLogsSnapshot> {
    const entries: Record<string, LogEntry[]> = {};
    for (const [kind] of await this.#kinds.entries())
      entries[kind] = (await this.#log(kind).entries()).map(([, e]) => structuredClone(e));
    return { sequence: (await this.#meta.get("sequence")) ?? 0, entries };
  }

  async restore(snapshot: DeviceLogsSnapshot | undefined): Promise<void> {
    for (const [kind] of await this.#kinds.entries()) await this.#log(kind).clear();
    await this.#kinds.clear();
    await this.#meta.set("sequence", snapshot?.sequence ?? 0);
    for (const [kind, entries] of Object.entries(snapshot?.entries ?? {})) {
      await this.#kinds.set(kind, true);
      const log = this.#log(kind);
      for (const entry of entries) await log.set(entry.id, structuredClone(entry));
    }
  }
}
