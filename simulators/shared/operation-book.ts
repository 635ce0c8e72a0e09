import type { Clock, TimerHandle } from "../../src/engine/clock.js";
import { type TimelinePlan, type TimelineState, timelineStateAt } from "../../src/engine/timeline.js";
import type { Collection, DueSet, StateStore } from "../../src/store/store.js";
import type { DeviceBook, SnapshotCheck } from "./device-book.js";
import type { DeviceLogs } from "./device-log.js";

export interface OperationItem {
  nativeId: string;
  from: string;
  to: string;
}

/** A native asynchronous operation (request, order, transaction…), stored as data with its plan. */
export interface NativeOperation {
  id: string;
  accountId: string;
  kind: "status" | "transfer";
  items: OperationItem[];
  targetAccountId?: string;
  plan: TimelinePlan;
  createdAt: number;
  applied: boolean;
  /** Anything the family echoes back (reason, caller reference…). */
  extra?: Record<string, string>;
}

/** What a family asks for; the book adds the plan, the time and the applied flag. */
export type OperationRequest = Omit<NativeOperation, "plan" | "createdAt" | "applied">;

/**
 * A change a platform accepted for later (Control Center's `effectiveDate`), stored as data and
 * applied on the clock: a snapshot keeps it, a restart re-arms it.
 */
export interface ScheduledEdit {
  id: string;
  /** The account that asked. */
  accountId: string;
  nativeId: string;
  /** Simulated epoch ms it takes effect. */
  at: number;
  status?: string | undefined;
  moveTo?: string | undefined;
  fields?: Record<string, string> | undefined;
  /** Entries the family wants in a device log when the edit takes effect (an audit trail). */
  log?: { kind: string; data: Record<string, unknown> } | undefined;
  /** Set while a process applies it: until then no other process takes it. */
  takenUntil?: number | undefined;
}

/** The operation book's part of a platform snapshot. */
export interface OperationBookSnapshot {
  operations: NativeOperation[];
  scheduledEdits?: ScheduledEdit[] | undefined;
}

/**
 * How long a finished operation stays readable after its plan ends, as the CMO keeps a finished
 * monitor: long enough for any client to poll it to the end, short enough that a soak's
 * operations do not pile up in memory.
 */
export const OPERATION_RETENTION_MS = 24 * 3600 * 1000;

/** How soon a trigger whose work the store failed (a shared store away) tries again. */
const RETRY_MS = 1_000;
/** How long a process applying a scheduled edit holds it before another may take it over. */
const EDIT_LEASE_MS = 60_000;

/** Due work one sweep takes at most; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/** What a due key asks for: `complete:<id>`, `edit:<id>` or `evict:<id>`. */
type DueKind = "complete" | "edit" | "evict";

/**
 * The work a platform's clock has yet to do: asynchronous operations (with their drawn plans) until
 * they are applied and then until their retention ends, and edits scheduled for later. Both are
 * records in the one `StateStore`, keyed by id. Timers are only triggers, each re-derived from a
 * record's own time (an operation's `plan.endsAt`, an edit's `at`), so `restore` re-arms everything
 * and nothing lives only in a timer; a trigger reads its record when it fires, and applying one is
 * an atomic flip of the record, so a trigger and a read that settles it cannot both apply it.
 * Retention needs no timer: expired operations go when the book is next used, oldest first.
 */
export class OperationBook {
  readonly #operations: Collection<NativeOperation>;
  readonly #edits: Collection<ScheduledEdit>;
  /**
   * On a shared store, every piece of due work is also in this set, so that work armed by a process
   * that died is found by another's `sweep`. Off a shared store the triggers are the whole story.
   */
  readonly #due: DueSet | undefined;
  /** Index: applied operations → when they may go, in the order they were applied (so by that time, too). */
  readonly #retained = new Map<string, number>();
  /** Triggers: the completion of each operation not yet applied. */
  readonly #completions = new Map<string, TimerHandle>();
  /** Triggers: each scheduled edit falling due. */
  readonly #dueEdits = new Map<string, TimerHandle>();

  constructor(
    readonly devices: DeviceBook,
    readonly logs: DeviceLogs,
    readonly clock: Clock,
    store: StateStore,
  ) {
    this.#operations = store.collection(`platform:${devices.spec.code}:operations`);
    this.#edits = store.collection(`platform:${devices.spec.code}:edits`);
    this.#due = store.shared ? store.dueSet(`platform:${devices.spec.code}:due`) : undefined;
  }

  async #owe(kind: DueKind, id: string, at: number): Promise<void> {
    await this.#due?.add(`${kind}:${id}`, at);
  }

  async #settled(kind: DueKind, id: string): Promise<void> {
    await this.#due?.remove(`${kind}:${id}`);
  }

  // ---- asynchronous operations ------------------------------------------------------------------

  /**
   * Accepts an asynchronous operation along its drawn plan: marks the devices as in flight (with the
   * family's transitional status, if it has one) and arms its completion.
   */
  async start(input: OperationRequest, plan: TimelinePlan): Promise<NativeOperation> {
    await this.#evictExpired();
    // Built field by field, not spread: a spread clone got a hidden class of its own per operation
    // (about 400 bytes each with 100,000 in flight); this literal shares one.
    const operation: NativeOperation = {
      id: input.id,
      accountId: input.accountId,
      kind: input.kind,
      items: input.items,
      plan,
      createdAt: this.clock.now(),
      applied: false,
    };
    if (input.targetAccountId !== undefined) operation.targetAccountId = input.targetAccountId;
    if (input.extra !== undefined) operation.extra = input.extra;
    // The record and its due time first: a process that dies before marking the devices leaves an
    // operation that still completes, never a device marked for an operation nobody will apply.
    await this.#operations.set(operation.id, operation);
    await this.#owe("complete", operation.id, plan.endsAt);
    const transitional = this.devices.spec.vocabulary.transitional;
    for (const item of operation.items) {
      const during = operation.kind === "status" ? transitional?.[item.to] : undefined;
      await this.devices.markPending(item.nativeId, operation.id, item.from, during);
    }
    this.#armCompletion(operation);
    return operation;
  }

  async get(id: string): Promise<NativeOperation | undefined> {
    await this.#evictExpired();
    return this.#operations.get(id);
  }

  /** Where an operation stands now (applied first if its time has come). */
  async state(operation: NativeOperation): Promise<TimelineState> {
    await this.#completeIfDue(operation);
    return timelineStateAt(operation.plan, this.clock.now());
  }

  /**
   * Applies operation `id` if its time has come but its trigger has not fired yet. A real clock's
   * timer can run a moment after its instant (a busy loop, a timeout armed a millisecond early), and
   * in that moment the operation already reads as finished: its devices must read finished too.
   * True when this call applied it.
   */
  async settle(id: string): Promise<boolean> {
    return this.#completeIfDue(await this.#operations.get(id));
  }

  /** Operations accepted and not yet applied. */
  get inFlight(): number {
    return this.#completions.size;
  }

  #armCompletion(operation: NativeOperation): void {
    if (!operation.applied) this.#armCompletionIn(operation.id, operation.plan.endsAt - this.clock.now());
  }

  #armCompletionIn(id: string, delay: number): void {
    this.#completions.set(
      id,
      this.clock.schedule(delay, () =>
        this.#fire(this.#complete(id), () => this.#armCompletionIn(id, RETRY_MS)),
      ),
    );
  }

  /**
   * Runs a trigger's work on the clock (a virtual clock waits for it). Work the store failed is
   * armed again a moment later rather than lost: the record still says it is due.
   */
  #fire(work: Promise<unknown>, again: () => void): void {
    this.clock.track(work).catch(again);
  }

  async #completeIfDue(operation: NativeOperation | undefined): Promise<boolean> {
    if (!operation || operation.applied || operation.plan.endsAt > this.clock.now()) return false;
    return this.#complete(operation.id);
  }

  /**
   * Applies an operation's outcome to its devices, then flags it applied. Devices first, flag last:
   * a process that dies in between leaves the operation due, and applying the same outcome again
   * lands in the same state, so whoever sweeps it next finishes the job. Of several appliers at
   * once, only the one whose flag write wins reports it.
   */
  async #complete(id: string): Promise<boolean> {
    this.#completions.get(id)?.cancel();
    this.#completions.delete(id);
    const operation = await this.#operations.get(id);
    if (!operation || operation.applied) {
      await this.#settled("complete", id);
      return false;
    }
    await this.#applyOutcome(operation);
    let flipped = false;
    await this.#operations.update(id, (current) => {
      flipped = current !== undefined && !current.applied;
      return current && { ...current, applied: true };
    });
    await this.#settled("complete", id);
    if (!flipped) return false;
    this.#retain(operation);
    await this.#owe("evict", id, operation.plan.endsAt + OPERATION_RETENTION_MS);
    return true;
  }

  async #applyOutcome(operation: NativeOperation): Promise<void> {
    const succeeded = operation.plan.outcome === "succeeded";
    for (const item of operation.items) {
      await this.devices.clearPending(item.nativeId, operation.id);
      if (operation.kind === "transfer") {
        if (succeeded && operation.targetAccountId)
          await this.devices.moveDevice(item.nativeId, operation.targetAccountId);
      } else {
        await this.devices.setStatus(item.nativeId, succeeded ? item.to : item.from);
      }
    }
  }

  /**
   * Does the due work the store holds, whoever armed it: on a shared store, what a process that
   * died had armed. Each piece is applied once (see `#complete`); an edit is taken out of the store
   * before it is applied, so it is applied at most once.
   */
  async sweep(): Promise<void> {
    if (!this.#due) return;
    for (const key of await this.#due.due(this.clock.now(), SWEEP_BATCH)) {
      const split = key.indexOf(":");
      const kind = key.slice(0, split) as DueKind;
      const id = key.slice(split + 1);
      if (kind === "complete") await this.#complete(id);
      else if (kind === "edit") await this.#takeEffect(id);
      else {
        this.#retained.delete(id);
        await this.#operations.delete(id);
        await this.#settled("evict", id);
      }
    }
  }

  #retain(operation: NativeOperation): void {
    this.#retained.set(operation.id, operation.plan.endsAt + OPERATION_RETENTION_MS);
  }

  /**
   * Forgets operations past their retention, oldest first; stops at the first one still kept, which
   * costs nothing when nothing is due (one restored out of order only goes a little late, never early).
   */
  async #evictExpired(): Promise<void> {
    const now = this.clock.now();
    for (const [id, until] of this.#retained) {
      if (until > now) return;
      this.#retained.delete(id);
      await this.#operations.delete(id);
      await this.#settled("evict", id);
    }
  }

  // ---- edits that take effect later -------------------------------------------------------------

  /** Accepts an edit for its `at`; it is applied on the clock then, as long as it still fits the device. */
  async scheduleEdit(edit: ScheduledEdit): Promise<void> {
    await this.#edits.set(edit.id, edit);
    await this.#owe("edit", edit.id, edit.at);
    this.#armEdit(edit);
  }

  /** Edits accepted and not yet in effect, for a device or for all, soonest first. */
  async scheduledEdits(nativeId?: string): Promise<ScheduledEdit[]> {
    return (await this.#edits.entries())
      .map(([, edit]) => edit)
      .filter((e) => nativeId === undefined || e.nativeId === nativeId)
      .sort((a, b) => a.at - b.at);
  }

  #armEdit(edit: ScheduledEdit): void {
    this.#armEditIn(edit.id, edit.at - this.clock.now());
  }

  #armEditIn(id: string, delay: number): void {
    this.#dueEdits.set(
      id,
      this.clock.schedule(delay, () => this.#fire(this.#takeEffect(id), () => this.#armEditIn(id, RETRY_MS))),
    );
  }

  async #takeEffect(id: string): Promise<void> {
    this.#dueEdits.delete(id);
    const now = this.clock.now();
    let edit: ScheduledEdit | undefined;
    let held = false;
    // Taken under a lease in one step, so only one trigger applies it, and left in the store until
    // it is applied: a process that dies applying it leaves it to another once the lease is over.
    await this.#edits.update(id, (current) => {
      held = current !== undefined && (current.takenUntil ?? 0) > now;
      edit = held ? undefined : current;
      return edit ? { ...edit, takenUntil: now + EDIT_LEASE_MS } : current;
    });
    if (held) return;
    if (edit) await this.#apply(edit);
    await this.#edits.delete(id);
    await this.#settled("edit", id);
  }

  async #apply(edit: ScheduledEdit): Promise<void> {
    const device = await this.devices.device(edit.nativeId);
    if (!device) return;
    // An edit whose status the device can no longer take (it changed meanwhile) is dropped whole,
    // log entry included: half an edit, or an audit trail naming a change that never happened,
    // would mislead whoever reads the device.
    const moves = edit.status !== undefined && edit.status !== device.nativeStatus;
    const allowed = this.devices.spec.vocabulary.nativeTransitions[device.nativeStatus] ?? [];
    if (moves && !allowed.includes(edit.status as string)) return;
    if (moves) await this.devices.setStatus(edit.nativeId, edit.status as string);
    if (edit.fields) await this.devices.setFields(edit.nativeId, edit.fields);
    if (edit.moveTo !== undefined && this.devices.accounts.has(edit.moveTo))
      await this.devices.moveDevice(edit.nativeId, edit.moveTo);
    if (edit.log)
      await this.logs.append(edit.log.kind, {
        accountId: edit.accountId,
        nativeId: edit.nativeId,
        at: this.clock.now(),
        data: edit.log.data,
      });
  }

  // ---- snapshots --------------------------------------------------------------------------------

  async snapshot(): Promise<Required<OperationBookSnapshot>> {
    await this.#evictExpired();
    return {
      operations: (await this.#operations.entries()).map(([, o]) => structuredClone(o)),
      scheduledEdits: (await this.scheduledEdits()).map((e) => structuredClone(e)),
    };
  }

  problemsIn(part: OperationBookSnapshot, check: SnapshotCheck): void {
    part.operations.forEach((operation, i) => {
      check.account(`operations[${i}].accountId`, operation.accountId);
      check.account(`operations[${i}].targetAccountId`, operation.targetAccountId);
      operation.items.forEach((item, j) => {
        check.device(`operations[${i}].items[${j}]`, item.nativeId);
        check.status(`operations[${i}].items[${j}].from`, item.from);
        check.status(`operations[${i}].items[${j}].to`, item.to);
      });
    });
    (part.scheduledEdits ?? []).forEach((edit, i) => {
      check.device(`scheduledEdits[${i}]`, edit.nativeId);
      check.account(`scheduledEdits[${i}].accountId`, edit.accountId);
      check.account(`scheduledEdits[${i}].moveTo`, edit.moveTo);
      check.status(`scheduledEdits[${i}].status`, edit.status);
    });
  }

  /**
   * Replaces every record and re-arms the triggers from them: an operation whose time passed while
   * the state was saved completes at once, on the clock, and so does an edit that fell due.
   */
  async restore(part: OperationBookSnapshot): Promise<void> {
    this.#disarm();
    await Promise.all([this.#operations.clear(), this.#edits.clear(), this.#due?.clear()]);
    for (const edit of part.scheduledEdits ?? []) {
      await this.#edits.set(edit.id, structuredClone(edit));
      await this.#owe("edit", edit.id, edit.at);
    }
    for (const operation of part.operations) {
      await this.#operations.set(operation.id, structuredClone(operation));
      if (operation.applied)
        await this.#owe("evict", operation.id, operation.plan.endsAt + OPERATION_RETENTION_MS);
      else await this.#owe("complete", operation.id, operation.plan.endsAt);
    }
    await this.resume();
  }

  /**
   * Arms a trigger for every stored record and rebuilds the retention index from them: what a
   * process does when it takes over a store that already holds a world.
   */
  async resume(): Promise<void> {
    this.#disarm();
    for (const [, edit] of await this.#edits.entries()) this.#armEdit(edit);
    const operations = (await this.#operations.entries()).map(([, operation]) => operation);
    for (const operation of operations) this.#armCompletion(operation);
    const applied = operations.filter((o) => o.applied);
    for (const operation of applied.sort((a, b) => a.plan.endsAt - b.plan.endsAt)) this.#retain(operation);
  }

  /** Cancels every trigger and forgets the indices (the records stay). */
  #disarm(): void {
    for (const timer of this.#completions.values()) timer.cancel();
    for (const timer of this.#dueEdits.values()) timer.cancel();
    this.#completions.clear();
    this.#dueEdits.clear();
    this.#retained.clear();
  }

  async reset(): Promise<void> {
    await this.restore({ operations: [], scheduledEdits: [] });
  }
}
