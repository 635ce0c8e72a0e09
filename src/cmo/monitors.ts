import type { AdapterFailure } from "../../simulators/shared/adapter.js";
import type { Clock, TimerHandle } from "../engine/clock.js";
import { problem } from "../http/problem.js";
import type { World } from "../server/world.js";
import type { Collection } from "../store/store.js";
import type { ProductDirectory } from "./directory.js";
import { failureToProblem } from "./failures.js";
import { type MonitorEntry, type MonitorRecord, monitorId, rollUp } from "./monitor-model.js";

export interface MonitorSettings {
  retentionMs: number;
  pollFirstMs: number;
  pollMaxMs: number;
  /** A platform that keeps failing to answer polls is given up on after this long. */
  giveUpAfterMs: number;
}

/** Failures worth polling again: the platform is busy or away, not saying no. */
const TRANSIENT = new Set<AdapterFailure["kind"]>([
  "rate-limited",
  "unavailable",
  "network",
  "gateway-timeout",
  "server-error",
]);

interface InFlight {
  monitorId: string;
  target?: string | undefined;
}

/**
 * Every monitor the CMO has handed out, and the promise behind each: an accepted 202 reaches DONE
 * or FAILED. In-flight entries are polled in the background (first after `pollFirstMs`, then with
 * doubling gaps up to `pollMaxMs`) and on demand when a client reads the monitor; finished monitors
 * are kept for `retentionMs`, then evicted.
 */
export class MonitorBook {
  /** Product (tenant|compositeId) → the monitor changing it: the 409 check and PENDING_* display. */
  readonly #inFlight = new Map<string, InFlight>();
  readonly #ids = new Set<string>();
  readonly #timers = new Map<string, TimerHandle>();
  readonly #polling = new Map<string, Promise<void>>();
  readonly #outcomes = { DONE: 0, FAILED: 0 };

  constructor(
    private readonly store: Collection<MonitorRecord>,
    private readonly clock: Clock,
    private readonly world: () => World,
    private readonly directory: ProductDirectory,
    private readonly settings: () => MonitorSettings,
  ) {}

  // ---- in-flight products -------------------------------------------------------------------

  /** Claims a product for a change; false when another change holds it (→ 409). */
  claim(tenant: string, compositeId: string, pending: InFlight): boolean {
    const key = `${tenant}|${compositeId}`;
    if (this.#inFlight.has(key)) return false;
    this.#inFlight.set(key, pending);
    return true;
  }

  release(tenant: string, compositeId: string): void {
    this.#inFlight.delete(`${tenant}|${compositeId}`);
  }

  /** Points a claim made before the monitor existed at its monitor. */
  attach(tenant: string, compositeId: string, id: string): void {
    const claim = this.#inFlight.get(`${tenant}|${compositeId}`);
    if (claim) claim.monitorId = id;
  }

  /** The monitor of the change in flight on a product ("" while that change is still being sent). */
  inFlightMonitor(tenant: string, compositeId: string): string | undefined {
    return this.#inFlight.get(`${tenant}|${compositeId}`)?.monitorId;
  }

  pendingTarget(tenant: string, compositeId: string): string | undefined {
    return this.#inFlight.get(`${tenant}|${compositeId}`)?.target;
  }

  inFlightCount(): number {
    return this.#inFlight.size;
  }

  outcomes(): { DONE: number; FAILED: number } {
    return { ...this.#outcomes };
  }

  // ---- monitors -----------------------------------------------------------------------------

  newId(tenant: string, nativeId: string): string {
    const id = monitorId(nativeId, this.clock.now(), (candidate) => this.#ids.has(`${tenant}|${candidate}`));
    this.#ids.add(`${tenant}|${id}`);
    return id;
  }

  async add(record: MonitorRecord): Promise<void> {
    this.#ids.add(`${record.tenant}|${record.id}`);
    await this.store.set(`${record.tenant}|${record.id}`, record);
    this.#track(record);
  }

  /** A monitor of this tenant, after polling its in-flight entries that are due (on-demand refresh). */
  async get(tenant: string, id: string): Promise<MonitorRecord | undefined> {
    const key = `${tenant}|${id}`;
    const record = await this.store.get(key);
    if (!record) return undefined;
    const now = this.clock.now();
    const due = record.entries
      .map((entry, index) => ({ entry, index }))
      .filter(
        ({ entry }) =>
          entry.state === "IN_PROGRESS" &&
          entry.ticket !== undefined &&
          now - (entry.polledAt ?? 0) >= this.settings().pollFirstMs,
      );
    if (due.length === 0) return record;
    await Promise.all(due.map(({ index }) => this.#poll(tenant, id, index)));
    return this.store.get(key);
  }

  async all(): Promise<MonitorRecord[]> {
    return (await this.store.entries()).map(([, r]) => r);
  }

  /** Starts polls and retention for a monitor just added or restored. */
  #track(record: MonitorRecord): void {
    if (rollUp(record.entries) !== "IN_PROGRESS") {
      this.#finish(record);
      return;
    }
    record.entries.forEach((entry, index) => {
      if (entry.state === "IN_PROGRESS") {
        const target = entry.action.kind === "status" ? entry.action.target : undefined;
        this.#inFlight.set(`${record.tenant}|${entry.productId}`, { monitorId: record.id, target });
        if (entry.ticket !== undefined)
          this.#schedule(record.tenant, record.id, index, entry.pollDelayMs ?? this.settings().pollFirstMs);
      }
    });
  }

  #schedule(tenant: string, id: string, index: number, delayMs: number): void {
    const key = `${tenant}|${id}|${index}`;
    this.#timers.get(key)?.cancel();
    this.#timers.set(
      key,
      this.clock.schedule(delayMs, () => {
        this.#timers.delete(key);
        void this.#poll(tenant, id, index);
      }),
    );
  }

  /** Polls one entry once; concurrent callers share the same poll. */
  #poll(tenant: string, id: string, index: number): Promise<void> {
    const key = `${tenant}|${id}|${index}`;
    let running = this.#polling.get(key);
    if (!running) {
      running = this.#pollOnce(tenant, id, index).finally(() => this.#polling.delete(key));
      this.#polling.set(key, running);
    }
    return running;
  }

  async #pollOnce(tenant: string, id: string, index: number): Promise<void> {
    const record = await this.store.get(`${tenant}|${id}`);
    const entry = record?.entries[index];
    if (!record || !entry || entry.state !== "IN_PROGRESS" || entry.ticket === undefined) return;
    const slot = this.world().platform(entry.platform);
    const account = this.directory
      .accounts(tenant, entry.platform as never)
      .find((a) => a.id === entry.accountId);
    const now = this.clock.now();
    const settings = this.settings();
    if (!slot || !account) {
      this.#fail(record, entry, {
        kind: "not-found",
        status: 0,
        message: `account ${entry.accountId} no longer exists`,
      });
    } else {
      const outcome = await slot.adapter.poll(account, entry.ticket);
      entry.polledAt = this.clock.now();
      if (outcome.ok && outcome.value.state === "DONE") {
        entry.state = "DONE";
        entry.native = outcome.exchange;
        entry.message = "";
        if (entry.action.kind === "transfer" && entry.nativeId) {
          this.directory.moved(
            tenant,
            entry.platform,
            entry.nativeId,
            entry.accountId ?? "",
            entry.action.targetAccountId,
          );
        }
      } else if (outcome.ok && outcome.value.state === "FAILED") {
        entry.native = outcome.exchange;
        this.#fail(
          record,
          entry,
          outcome.value.failure ?? {
            kind: "server-error",
            status: outcome.exchange.status,
            message: "the platform reports the operation failed",
            exchange: outcome.exchange,
          },
        );
      } else if (!outcome.ok && !TRANSIENT.has(outcome.failure.kind)) {
        this.#fail(record, entry, outcome.failure);
      } else if (!outcome.ok && now - record.createdAt > settings.giveUpAfterMs) {
        this.#fail(record, entry, {
          ...outcome.failure,
          message: `gave up after ${settings.giveUpAfterMs} ms without an answer: ${outcome.failure.message}`,
        });
      } else {
        // Still running, or the platform could not answer this time: look again later.
        entry.pollDelayMs = Math.min(
          settings.pollMaxMs,
          Math.max(settings.pollFirstMs, (entry.pollDelayMs ?? settings.pollFirstMs) * 2),
        );
      }
    }
    await this.store.set(`${tenant}|${id}`, record);
    if (entry.state === "IN_PROGRESS")
      this.#schedule(tenant, id, index, entry.pollDelayMs ?? settings.pollFirstMs);
    else {
      this.release(tenant, entry.productId);
      this.#timers.get(`${tenant}|${id}|${index}`)?.cancel();
      if (rollUp(record.entries) !== "IN_PROGRESS") this.#finish(record);
    }
  }

  #fail(record: MonitorRecord, entry: MonitorEntry, failure: AdapterFailure): void {
    const error = failureToProblem(entry.platform, failure, `Product ${entry.productId}`);
    entry.state = "FAILED";
    entry.message = failure.message;
    entry.problem = problem({
      status: error.status,
      title: error.title,
      detail: error.detail,
      instance: `${record.source}`,
      externalErrors: error.externalErrors,
    });
  }

  #finish(record: MonitorRecord): void {
    if (record.finishedAt === undefined) {
      record.finishedAt = this.clock.now();
      this.#outcomes[rollUp(record.entries) === "DONE" ? "DONE" : "FAILED"]++;
      void this.store.set(`${record.tenant}|${record.id}`, record);
    }
    for (const entry of record.entries) if (entry.state !== "IN_PROGRESS") this.#releaseIfOurs(record, entry);
    const key = `${record.tenant}|${record.id}|evict`;
    this.#timers.get(key)?.cancel();
    const left = record.finishedAt + this.settings().retentionMs - this.clock.now();
    this.#timers.set(
      key,
      this.clock.schedule(Math.max(0, left), () => {
        this.#timers.delete(key);
        this.#ids.delete(`${record.tenant}|${record.id}`);
        void this.store.delete(`${record.tenant}|${record.id}`);
      }),
    );
  }

  #releaseIfOurs(record: MonitorRecord, entry: MonitorEntry): void {
    const key = `${record.tenant}|${entry.productId}`;
    if (this.#inFlight.get(key)?.monitorId === record.id) this.#inFlight.delete(key);
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async reset(): Promise<void> {
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    this.#inFlight.clear();
    this.#ids.clear();
    this.#outcomes.DONE = 0;
    this.#outcomes.FAILED = 0;
    await this.store.clear();
  }

  async restore(records: MonitorRecord[]): Promise<void> {
    await this.reset();
    for (const record of records) await this.add(structuredClone(record));
  }
}
