import { setTimeout as delay } from "node:timers/promises";
import type { AdapterFailure } from "../../simulators/shared/adapter.js";
import type { Clock, TimerHandle } from "../engine/clock.js";
import type { DueSet, StateStore } from "../store/store.js";
import type { ProductDirectory } from "./directory.js";
import { failureToProblem } from "./failures.js";
import { type MonitorEntry, type MonitorRecord, monitorId, rollUp } from "./monitor-model.js";
import type { PlatformGateway } from "./ports.js";

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

/** A product's claim: the monitor changing it ("" while the change is still being sent), and the status it aims at. */
export interface Claim {
  monitorId: string;
  target?: string | undefined;
}

type Outcome = "DONE" | "FAILED";

/**
 * How long a process may hold the right to poll one entry before another may take it over: longer
 * than any poll takes (a platform call is cut at its timeout), so only a dead process loses it.
 */
const POLL_LEASE_MS = 60_000;

/** How often a read waiting for another process's poll looks whether it has finished. */
const LEASE_CHECK_MS = 5;

/** Due work one sweep takes at most; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/** How soon a timer whose work the store failed (a shared store away) tries again. */
const RETRY_MS = 1_000;

/** When an in-flight entry is next polled: its last poll (or the monitor's start) plus its current gap. */
function nextPollAt(record: MonitorRecord, entry: MonitorEntry, pollFirstMs: number): number {
  return (entry.polledAt ?? record.createdAt) + (entry.pollDelayMs ?? pollFirstMs);
}

/**
 * Every monitor the CMO has handed out, and the promise behind each: an accepted 202 reaches DONE
 * or FAILED. In-flight entries are polled in the background (first after `pollFirstMs`, then with
 * doubling gaps up to `pollMaxMs`) and on demand when a client reads the monitor; finished monitors
 * are kept for `retentionMs`, then evicted. Records, claims, ids and outcome counts all live in the
 * store; timers only trigger work whose time the records hold, so `resume` re-arms them.
 */
export class MonitorBook {
  readonly #records;
  /** Product (tenant|compositeId) → its claim: the 409 check and PENDING_* display. */
  readonly #claims;
  /** Monitor ids handed out (tenant|id), reserved before their record is written. */
  readonly #ids;
  readonly #outcomes;
  /**
   * On a shared store: every due poll and eviction (`poll:<tenant>|<id>|<index>`, `evict:<tenant>|<id>`),
   * so another process finds what a dead one had armed, and who is polling what right now.
   */
  readonly #due: DueSet | undefined;
  readonly #leases;
  readonly #timers = new Map<string, TimerHandle>();
  readonly #polling = new Map<string, Promise<boolean>>();

  constructor(
    store: StateStore,
    private readonly clock: Clock,
    private readonly gateway: () => PlatformGateway,
    private readonly directory: ProductDirectory,
    private readonly settings: () => MonitorSettings,
  ) {
    this.#records = store.collection<MonitorRecord>("monitors");
    this.#claims = store.collection<Claim>("monitorClaims");
    this.#ids = store.collection<true>("monitorIds");
    this.#outcomes = store.collection<number>("monitorOutcomes");
    this.#due = store.shared ? store.dueSet("monitorDue") : undefined;
    this.#leases = store.collection<number>("monitorPollLeases");
  }

  // ---- in-flight products -------------------------------------------------------------------

  /** Claims a product for a change; false when another change holds it (→ 409). */
  claim(tenant: string, compositeId: string, pending: Claim): Promise<boolean> {
    return this.#claims.insert(`${tenant}|${compositeId}`, pending);
  }

  async release(tenant: string, compositeId: string): Promise<void> {
    await this.#claims.delete(`${tenant}|${compositeId}`);
  }

  /** The claim on a product, if a change holds it. */
  claimOf(tenant: string, compositeId: string): Promise<Claim | undefined> {
    return this.#claims.get(`${tenant}|${compositeId}`);
  }

  inFlightCount(): Promise<number> {
    return this.#claims.size();
  }

  async outcomes(): Promise<Record<Outcome, number>> {
    return {
      DONE: (await this.#outcomes.get("DONE")) ?? 0,
      FAILED: (await this.#outcomes.get("FAILED")) ?? 0,
    };
  }

  // ---- monitors -----------------------------------------------------------------------------

  /** A fresh id for a monitor of this tenant, reserved until the monitor is evicted. */
  async newId(tenant: string, nativeId: string): Promise<string> {
    const now = this.clock.now();
    const taken = new Set<string>();
    for (;;) {
      const id = monitorId(nativeId, now, (candidate) => taken.has(candidate));
      if (await this.#ids.insert(`${tenant}|${id}`, true)) return id;
      taken.add(id);
    }
  }

  /** Stores a new monitor; the products its in-flight entries change stay claimed by it. */
  async add(record: MonitorRecord): Promise<void> {
    await this.#store(record);
    await this.#arm(record);
  }

  /** A monitor of this tenant, after polling its in-flight entries that are due (on-demand refresh). */
  async get(tenant: string, id: string): Promise<MonitorRecord | undefined> {
    const key = `${tenant}|${id}`;
    const record = await this.#records.get(key);
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
    await Promise.all(
      due.map(async ({ index }) => {
        if (!(await this.#poll(tenant, id, index))) await this.#pollElsewhere(`${key}|${index}`);
      }),
    );
    return this.#records.get(key);
  }

  async all(): Promise<MonitorRecord[]> {
    return (await this.#records.entries()).map(([, r]) => r);
  }

  async #store(record: MonitorRecord): Promise<void> {
    await this.#ids.set(`${record.tenant}|${record.id}`, true);
    for (const entry of record.entries)
      if (entry.state === "IN_PROGRESS") {
        const target = entry.action.kind === "status" ? entry.action.target : undefined;
        await this.#claims.set(`${record.tenant}|${entry.productId}`, { monitorId: record.id, target });
      }
    await this.#records.set(`${record.tenant}|${record.id}`, record);
  }

  /** Arms the timers of one stored monitor from the times it holds: its due polls, or its eviction. */
  async #arm(record: MonitorRecord): Promise<void> {
    if (rollUp(record.entries) !== "IN_PROGRESS") {
      await this.#finish(record);
      return;
    }
    const { pollFirstMs } = this.settings();
    for (const [index, entry] of record.entries.entries())
      if (entry.state === "IN_PROGRESS" && entry.ticket !== undefined)
        await this.#schedule(record.tenant, record.id, index, nextPollAt(record, entry, pollFirstMs));
  }

  async #schedule(tenant: string, id: string, index: number, at: number): Promise<void> {
    const key = `${tenant}|${id}|${index}`;
    await this.#due?.add(`poll:${key}`, at);
    // Not tracked by the clock: a poll calls the platform, which may wait on this very clock
    // (latency, pacing), and a virtual clock does not move while tracked work is pending.
    this.#wake(key, at - this.clock.now(), () => this.#poll(tenant, id, index), false);
  }

  /**
   * Arms the timer `key`; its work is tried again a moment later if the store failed it. Tracked
   * work is waited for by a virtual clock's advance, store round trips included.
   */
  #wake(key: string, delayMs: number, work: () => Promise<unknown>, tracked: boolean): void {
    this.#timers.get(key)?.cancel();
    this.#timers.set(
      key,
      this.clock.schedule(Math.max(0, delayMs), () => {
        this.#timers.delete(key);
        const running = work();
        (tracked ? this.clock.track(running) : running).catch(() => this.#wake(key, RETRY_MS, work, tracked));
      }),
    );
  }

  /**
   * Polls one entry once; concurrent callers share the same poll. False when another process on a
   * shared store holds this entry's poll.
   */
  #poll(tenant: string, id: string, index: number): Promise<boolean> {
    const key = `${tenant}|${id}|${index}`;
    let running = this.#polling.get(key);
    if (!running) {
      running = this.#leased(key, () => this.#pollOnce(tenant, id, index)).finally(() =>
        this.#polling.delete(key),
      );
      this.#polling.set(key, running);
    }
    return running;
  }

  /**
   * Runs `work` only if no other process on a shared store is polling the same entry: the lease is
   * taken when free or expired (its holder died) and given back after. In one process the shared
   * poll above is enough. False when another holds it.
   */
  async #leased(key: string, work: () => Promise<void>): Promise<boolean> {
    if (!this.#due) {
      await work();
      return true;
    }
    const now = this.clock.now();
    const until = now + POLL_LEASE_MS;
    let mine = await this.#leases.insert(key, until);
    if (!mine)
      await this.#leases.update(key, (held) => {
        mine = held === undefined || held <= now;
        return mine ? until : held;
      });
    if (!mine) return false;
    try {
      await work();
    } finally {
      await this.#leases.delete(key);
    }
    return true;
  }

  /**
   * Waits while another process holds the poll of entry `key`, so a read through any replica shows
   * what that poll finds, as a read sharing the poll in one process would. The holder is another
   * process, so this waits on the wall clock; a holder that died stops counting at its lease's end,
   * or after as long in wall time (a manual clock may not reach the lease's end for a long while).
   */
  async #pollElsewhere(key: string): Promise<void> {
    const giveUpAt = performance.now() + POLL_LEASE_MS;
    for (;;) {
      const held = await this.#leases.get(key);
      if (held === undefined || held <= this.clock.now() || performance.now() > giveUpAt) return;
      await delay(LEASE_CHECK_MS);
    }
  }

  async #pollOnce(tenant: string, id: string, index: number): Promise<void> {
    const record = await this.#records.get(`${tenant}|${id}`);
    const entry = record?.entries[index];
    if (!record || !entry || entry.state !== "IN_PROGRESS" || entry.ticket === undefined) return;
    const port = this.gateway().platform(entry.platform);
    const account = this.directory
      .accounts(tenant, entry.platform as never)
      .find((a) => a.id === entry.accountId);
    const now = this.clock.now();
    const settings = this.settings();
    if (!port || !account) {
      this.#fail(record, entry, {
        kind: "not-found",
        status: 0,
        message: `account ${entry.accountId} no longer exists`,
      });
    } else {
      const outcome = await port.adapter.poll(account, entry.ticket);
      entry.polledAt = this.clock.now();
      if (outcome.ok && outcome.value.state === "DONE") {
        entry.state = "DONE";
        entry.native = outcome.exchange;
        entry.message = "";
        if (entry.action.kind === "transfer" && entry.nativeId) {
          await this.directory.moved(
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
    // Only this entry is written back: other entries of a batch may be polled at the same time,
    // by this process or another one.
    const stored = await this.#records.update(`${tenant}|${id}`, (current) => {
      if (current) current.entries[index] = entry;
      return current;
    });
    if (!stored) return;
    if (entry.state === "IN_PROGRESS") {
      await this.#schedule(tenant, id, index, nextPollAt(stored, entry, settings.pollFirstMs));
      return;
    }
    this.#timers.get(`${tenant}|${id}|${index}`)?.cancel();
    await this.#due?.remove(`poll:${tenant}|${id}|${index}`);
    await this.release(tenant, entry.productId);
    if (rollUp(stored.entries) !== "IN_PROGRESS") await this.#finish(stored);
  }

  #fail(record: MonitorRecord, entry: MonitorEntry, failure: AdapterFailure): void {
    const error = failureToProblem(entry.platform, failure, `Product ${entry.productId}`);
    entry.state = "FAILED";
    entry.message = failure.message;
    entry.problem = error.toProblem(record.source);
  }

  /**
   * A finished monitor: counted once (whichever process gets there first flags it finished), its
   * products released, and evicted after retention.
   */
  async #finish(finished: MonitorRecord): Promise<void> {
    const key = `${finished.tenant}|${finished.id}`;
    let record = finished;
    if (record.finishedAt === undefined) {
      const now = this.clock.now();
      let flagged = false;
      record =
        (await this.#records.update(key, (current) => {
          flagged = current !== undefined && current.finishedAt === undefined;
          if (current && flagged) current.finishedAt = now;
          return current;
        })) ?? record;
      if (flagged) {
        const outcome: Outcome = rollUp(record.entries) === "DONE" ? "DONE" : "FAILED";
        await this.#outcomes.update(outcome, (count) => (count ?? 0) + 1);
      }
    }
    const finishedAt = record.finishedAt ?? this.clock.now();
    for (const entry of record.entries)
      if (entry.state !== "IN_PROGRESS")
        await this.#claims.update(`${record.tenant}|${entry.productId}`, (claim) =>
          claim?.monitorId === record.id ? undefined : claim,
        );
    const evictAt = finishedAt + this.settings().retentionMs;
    await this.#due?.add(`evict:${key}`, evictAt);
    this.#wake(`${key}|evict`, evictAt - this.clock.now(), () => this.#evict(key), true);
  }

  async #evict(key: string): Promise<void> {
    await this.#ids.delete(key);
    await this.#records.delete(key);
    await this.#due?.remove(`evict:${key}`);
  }

  /**
   * Does the due polls and evictions the store holds, whoever armed them: on a shared store, what
   * a process that died had armed. A poll another process is running is left to it.
   */
  async sweep(): Promise<void> {
    if (!this.#due) return;
    for (const due of await this.#due.due(this.clock.now(), SWEEP_BATCH)) {
      const [kind, key] = [due.slice(0, due.indexOf(":")), due.slice(due.indexOf(":") + 1)];
      if (kind === "evict") {
        await this.#evict(key);
        continue;
      }
      const [tenant, id, index] = key.split("|");
      await this.#poll(tenant as string, id as string, Number(index));
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async reset(): Promise<void> {
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    await this.#claims.clear();
    await this.#ids.clear();
    await this.#outcomes.clear();
    await this.#records.clear();
    await this.#leases.clear();
    await this.#due?.clear();
  }

  /** Re-arms every stored monitor's polls and eviction (after a restore, or in a process taking over). */
  async resume(): Promise<void> {
    for (const [, record] of await this.#records.entries()) await this.#arm(record);
  }

  async restore(records: MonitorRecord[]): Promise<void> {
    await this.reset();
    for (const record of records) await this.#store(structuredClone(record));
    await this.resume();
  }
}
