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

export class DeviceLogs {
  #logs = new Map<string, LogEntry[]>();
  #sequence = 0;

  append(kind: string, entry: Omit<LogEntry, "id">): LogEntry {
    const stored = { id: String(++this.#sequence), ...entry };
    const log = this.#logs.get(kind) ?? [];
    log.push(stored);
    if (log.length > LOG_CAPACITY) log.splice(0, log.length - LOG_CAPACITY);
    this.#logs.set(kind, log);
    return stored;
  }

  /** Entries of a kind, oldest first, narrowed to an account, a device and a time window. */
  find(
    kind: string,
    filter: { accountId?: string; nativeId?: string; since?: number; until?: number } = {},
  ): LogEntry[] {
    return (this.#logs.get(kind) ?? []).filter(
      (e) =>
        (filter.accountId === undefined || e.accountId === filter.accountId) &&
        (filter.nativeId === undefined || e.nativeId === filter.nativeId) &&
        (filter.since === undefined || e.at >= filter.since) &&
        (filter.until === undefined || e.at <= filter.until),
    );
  }

  get(kind: string, id: string): LogEntry | undefined {
    return this.#logs.get(kind)?.find((e) => e.id === id);
  }

  /** Changes an entry's data in place (an SMS delivered, say). */
  update(kind: string, id: string, data: Record<string, unknown>): void {
    const entry = this.get(kind, id);
    if (entry) entry.data = { ...entry.data, ...data };
  }

  snapshot(): { sequence: number; entries: Record<string, LogEntry[]> } {
    return {
      sequence: this.#sequence,
      entries: Object.fromEntries([...this.#logs].map(([kind, log]) => [kind, structuredClone(log)])),
    };
  }

  restore(snapshot: { sequence: number; entries: Record<string, LogEntry[]> } | undefined): void {
    this.#sequence = snapshot?.sequence ?? 0;
    this.#logs = new Map(Object.entries(snapshot?.entries ?? {}).map(([k, v]) => [k, structuredClone(v)]));
  }
}
