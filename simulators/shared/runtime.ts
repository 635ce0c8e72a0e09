import type {
  AccountConfig,
  CmoStatus,
  Operation,
  PlatformCode,
  PlatformProfileInput,
} from "../../src/config/schema.js";
import type { Clock } from "../../src/engine/clock.js";
import { OutageSchedule, type OutageWindow } from "../../src/engine/faults.js";
import type { Random, RandomStream } from "../../src/engine/random.js";
import { ConcurrencyGate, RateLimiter } from "../../src/engine/rate-limit.js";
import { planTimeline, type TimelineState } from "../../src/engine/timeline.js";
import type { Collection, StateStore, Unsubscribe } from "../../src/store/store.js";
import { type Device, DeviceBook, type DeviceBookSnapshot, type NativeAccount } from "./device-book.js";
import { DeviceLogs, type DeviceLogsSnapshot } from "./device-log.js";
import {
  type NativeOperation,
  OperationBook,
  type OperationBookSnapshot,
  type OperationRequest,
  type ScheduledEdit,
} from "./operation-book.js";
import { type KnobChange, type KnobRecord, PlatformKnobs, plannedOutages } from "./platform-knobs.js";
import type { PlatformSpec } from "./platform-spec.js";
import { type Profile, resolveProfile } from "./profile.js";
import { TokenBook, type TokenBookSnapshot } from "./token-book.js";

export type { Device, DeviceOverlay, NativeAccount } from "./device-book.js";
export {
  type NativeOperation,
  OPERATION_RETENTION_MS,
  type OperationItem,
  type ScheduledEdit,
} from "./operation-book.js";
export type { NativeToken } from "./token-book.js";

export interface RuntimeOptions {
  seed: number | string;
  clock: Clock;
  random: Random;
  timeScale: number;
  /** False on a manual clock, where nothing may wait for time that only the admin API moves. */
  applyLatency: boolean;
  /** Run start, for outage windows given as offsets. */
  startedAt: number;
  /**
   * Keys native tokens: the simulator's signing secret, random unless configured, so no caller
   * can work out a token that was issued to another account.
   */
  tokenKey: string;
  /** Where the platform's state lives (the simulator's one store). */
  store: StateStore;
}

/** A platform's whole state: each book's part, then the behaviour knobs and the id sequence. */
export interface RuntimeSnapshot extends DeviceBookSnapshot, OperationBookSnapshot {
  tokens: TokenBookSnapshot;
  outages: OutageWindow[];
  profileOverride: PlatformProfileInput | undefined;
  sequence: number;
  logs?: DeviceLogsSnapshot | undefined;
}

/**
 * The live state of one platform, kept in three books (devices, operations, tokens), plus the
 * device logs and the behaviour knobs (profile, limiter, gate, outages). Routes in a family's folder
 * read and change devices only through this facade, which keeps every family's state model the same.
 * The books, the logs and the id sequence keep their records in the simulator's one `StateStore`,
 * so every read and change is asynchronous. The knobs are configuration a run changes through the
 * admin API: kept in the store for every process on it, and applied here (the profile is derived
 * once per change, since every request reads it); snapshots carry them.
 * `Definition` is whatever the platform was defined with; the runtime itself reads only its spec.
 */
export class PlatformRuntime<Definition extends PlatformSpec = PlatformSpec> {
  readonly limiter: RateLimiter;
  readonly gate: ConcurrencyGate;
  profile: Profile;
  /** What happened to devices, by kind (audit trails, SMS, events): the family's data. */
  readonly logs: DeviceLogs;
  readonly #devices: DeviceBook;
  readonly #operations: OperationBook;
  readonly #tokens: TokenBook;
  #profileOverride: PlatformProfileInput | undefined;
  readonly #configOverride: PlatformProfileInput | undefined;
  readonly #outages = new OutageSchedule();
  /** The configuration's outage windows, in force until a run changes the outages. */
  readonly #plannedOutages: OutageWindow[];
  readonly #knobs: PlatformKnobs;
  /** The version of the knobs applied here: a process applies only newer ones. */
  #knobsVersion = 0;
  #stopListening: Unsubscribe | undefined;
  /** The re-reads announcements asked for, one after another. */
  #rereading: Promise<void> = Promise.resolve();
  readonly #counters: Collection<number>;

  constructor(
    readonly definition: Definition,
    accounts: ReadonlyArray<AccountConfig & { tenant: string }>,
    profileOverride: PlatformProfileInput | undefined,
    readonly options: RuntimeOptions,
  ) {
    this.#configOverride = profileOverride;
    this.profile = resolveProfile(definition.defaults, profileOverride);
    const { clock, store } = options;
    this.limiter = new RateLimiter(
      clock,
      this.profile.rateLimits,
      store.budgets(`platform:${definition.code}`),
    );
    this.gate = new ConcurrencyGate(
      this.profile.maxConcurrent ?? Number.POSITIVE_INFINITY,
      store.gates(`platform:${definition.code}`),
    );
    this.#plannedOutages = plannedOutages(this.profile.outages, options.startedAt);
    this.#outages.replace(this.#plannedOutages);
    this.#knobs = new PlatformKnobs(store, definition.code);
    this.logs = new DeviceLogs(store, definition.code);
    this.#counters = store.collection(`platform:${definition.code}:counters`);
    this.#devices = new DeviceBook(definition, options.seed, accounts, clock, store, (id) =>
      this.#operations.settle(id),
    );
    this.#operations = new OperationBook(this.#devices, this.logs, clock, store);
    this.#tokens = new TokenBook(definition.code, options.tokenKey, clock, store);
  }

  get code(): PlatformCode {
    return this.definition.code;
  }

  get clock(): Clock {
    return this.options.clock;
  }

  now(): number {
    return this.options.clock.now();
  }

  get profileOverride(): PlatformProfileInput | undefined {
    return this.#profileOverride;
  }

  /** The outage windows in force; they change through `startOutage` and `stopOutages`. */
  get outages(): Pick<OutageSchedule, "activeAt" | "list"> {
    return this.#outages;
  }

  /** One stream per request: fault first, then latency, keyed so unrelated traffic cannot shift it. */
  requestStream(operation: Operation, entity: string): RandomStream {
    return this.options.random.next(this.code, "request", operation, entity);
  }

  /** Deterministic, unique ids for native resources (requests, orders, tokens). */
  async nextId(kind: string): Promise<{ sequence: number; stream: RandomStream }> {
    const sequence = (await this.#counters.update("id", (n) => (n ?? 0) + 1)) as number;
    return { sequence, stream: this.options.random.stream(this.code, "id", kind, sequence) };
  }

  // ---- accounts and devices: the device book's own, documented there --------------------------------

  get accounts(): ReadonlyMap<string, NativeAccount> {
    return this.#devices.accounts;
  }

  // Methods rather than forwarding properties: the linter follows a method's Promise to its caller
  // and flags a change nobody awaits.
  toCmoStatus(nativeStatus: string): CmoStatus {
    return this.#devices.toCmoStatus(nativeStatus);
  }

  device(nativeId: string): Promise<Device | undefined> {
    return this.#devices.device(nativeId);
  }

  findDevice(accountId: string, nativeId: string): Promise<Device | undefined> {
    return this.#devices.findDevice(accountId, nativeId);
  }

  findDeviceBy(accountId: string, kind: "imsi" | "msisdn", value: string): Promise<Device | undefined> {
    return this.#devices.findDeviceBy(accountId, kind, value);
  }

  countDevices(accountId: string): Promise<number> {
    return this.#devices.countDevices(accountId);
  }

  listDevices(accountId: string, offset: number, limit: number): Promise<Device[]> {
    return this.#devices.listDevices(accountId, offset, limit);
  }

  positionOf(accountId: string, nativeId: string): Promise<number | undefined> {
    return this.#devices.positionOf(accountId, nativeId);
  }

  changedIds(): Promise<Set<string>> {
    return this.#devices.changedIds();
  }

  scanDevices(...args: Parameters<DeviceBook["scanDevices"]>): ReturnType<DeviceBook["scanDevices"]> {
    return this.#devices.scanDevices(...args);
  }

  setStatus(nativeId: string, nativeStatus: string): Promise<void> {
    return this.#devices.setStatus(nativeId, nativeStatus);
  }

  setFields(nativeId: string, fields: Record<string, string>): Promise<void> {
    return this.#devices.setFields(nativeId, fields);
  }

  moveDevice(nativeId: string, toAccountId: string): Promise<void> {
    return this.#devices.moveDevice(nativeId, toAccountId);
  }

  // ---- operations and scheduled edits (the operation book) ---------------------------------------

  /**
   * Accepts an asynchronous operation: draws its timeline from the live profile, marks the devices
   * as in flight and arms the outcome on the clock.
   */
  startOperation(input: OperationRequest): Promise<NativeOperation> {
    const stages = this.profile.asyncTimeline;
    if (!stages) throw new Error(`${this.code} has no async timeline`);
    const first = input.items[0]?.nativeId ?? input.id;
    const stream = this.options.random.next(this.code, "timeline", first);
    return this.#operations.start(input, planTimeline(stages, this.now(), stream, this.options.timeScale));
  }

  getOperation(id: string): Promise<NativeOperation | undefined> {
    return this.#operations.get(id);
  }

  /** Where an operation stands now. */
  operationState(operation: NativeOperation): Promise<TimelineState> {
    return this.#operations.state(operation);
  }

  get operationsInFlight(): number {
    return this.#operations.inFlight;
  }

  /** Accepts an edit for `at`; it is applied on the clock then, as long as it still fits the device. */
  async scheduleEdit(edit: Omit<ScheduledEdit, "id">): Promise<ScheduledEdit> {
    const stored: ScheduledEdit = { id: `edit-${(await this.nextId("edit")).sequence}`, ...edit };
    await this.#operations.scheduleEdit(stored);
    return stored;
  }

  scheduledEdits(nativeId?: string): Promise<ScheduledEdit[]> {
    return this.#operations.scheduledEdits(nativeId);
  }

  // ---- native tokens (the token book) -------------------------------------------------------------

  async issueToken(account: NativeAccount): Promise<{ token: string; expiresIn: number }> {
    const { sequence } = await this.nextId("token");
    return this.#tokens.issue(account.id, sequence, this.profile.nativeTokenLifetimeSeconds);
  }

  /** The account a bearer token belongs to, or why not. */
  async accountForToken(token: string): Promise<NativeAccount | "unknown" | "expired"> {
    const issued = await this.#tokens.find(token);
    if (typeof issued === "string") return issued;
    return this.accounts.get(issued.accountId) ?? "unknown";
  }

  revokeTokens(): Promise<number> {
    return this.#tokens.revokeAll();
  }

  // ---- knobs: override and outages, shared by every process on the store -------------------------

  /** Replaces the run-time override (admin API, scenario events); config overrides stay underneath. */
  setProfileOverride(override: PlatformProfileInput | undefined): Promise<void> {
    return this.editProfileOverride(() => override);
  }

  /**
   * Changes the run-time override from the one in the store, atomically against changes made by
   * other processes (`edit` may run more than once). The rate budgets start afresh, as rules may have changed.
   */
  editProfileOverride(
    edit: (current: PlatformProfileInput | undefined) => PlatformProfileInput | undefined,
  ): Promise<void> {
    return this.#changeKnobs((knobs) => ({ ...knobs, override: edit(knobs.override) }), true);
  }

  async startOutage(window: OutageWindow): Promise<void> {
    await this.#changeKnobs((knobs) => ({ ...knobs, outages: [...this.#outagesIn(knobs), window] }));
  }

  /** Ends every outage open at `now`; returns how many were ended. */
  async stopOutages(now: number): Promise<number> {
    let ended = 0;
    await this.#changeKnobs((knobs) => {
      const schedule = new OutageSchedule();
      schedule.replace(this.#outagesIn(knobs));
      ended = schedule.stopAt(now);
      return { ...knobs, outages: [...schedule.list()] };
    });
    return ended;
  }

  /** Hears the knobs any process changes from now on, and takes on those already in the store. */
  async attach(): Promise<void> {
    this.#stopListening ??= await this.#knobs.listen((version) => this.#heard(version));
    this.#apply(await this.#knobs.read());
  }

  /** Stops hearing other processes' changes. */
  async detach(): Promise<void> {
    const stop = this.#stopListening;
    this.#stopListening = undefined;
    await stop?.();
    await this.#rereading;
  }

  /** Resolves once the announced knobs are applied here: the announcer waits for that. */
  #heard(version: number): Promise<void> {
    if (version <= this.#knobsVersion) return Promise.resolve();
    // A failed read (the store away) leaves the knobs as they were: the next announcement reads
    // the whole record again, so the process still catches up.
    this.#rereading = this.#rereading
      .then(async () => this.#apply(await this.#knobs.read()))
      .catch(() => undefined);
    return this.#rereading;
  }

  /** Writes a change for every process, applies it here, then tells the others. */
  async #changeKnobs(edit: (knobs: KnobChange) => KnobChange, newRules = false): Promise<void> {
    const record = await this.#knobs.change(edit);
    if (newRules) await this.limiter.reset();
    this.#apply(record);
    await this.#knobs.announce(record.version);
  }

  /** Takes on a record newer than the one applied, deriving the live profile from it. */
  #apply(record: KnobRecord | undefined): void {
    if (!record || record.version <= this.#knobsVersion) return;
    this.#knobsVersion = record.version;
    this.#profileOverride = record.override;
    this.profile = resolveProfile(this.definition.defaults, this.#configOverride, record.override);
    this.limiter.setRules(this.profile.rateLimits);
    this.gate.setMax(this.profile.maxConcurrent ?? Number.POSITIVE_INFINITY);
    this.#outages.replace(this.#outagesIn(record));
  }

  #outagesIn(knobs: KnobChange): OutageWindow[] {
    return knobs.outages ?? this.#plannedOutages;
  }

  // ---- snapshots ----------------------------------------------------------------------------------

  async snapshot(): Promise<RuntimeSnapshot> {
    const { overlays, owners } = await this.#devices.snapshot();
    const { operations, scheduledEdits } = await this.#operations.snapshot();
    return {
      overlays,
      owners,
      operations,
      tokens: await this.#tokens.snapshot(),
      outages: this.#outages.list().map((w) => ({ ...w })),
      profileOverride: this.#profileOverride,
      sequence: (await this.#counters.get("id")) ?? 0,
      logs: await this.logs.snapshot(),
      scheduledEdits,
    };
  }

  /**
   * What in a snapshot this platform could not honour: statuses it does not have, devices and
   * accounts that do not exist, operations that are not there. Checked before anything is restored.
   */
  problemsIn(snapshot: RuntimeSnapshot): string[] {
    const check = this.#devices.check();
    this.#devices.problemsIn(snapshot, check, new Set(snapshot.operations.map((o) => o.id)));
    this.#operations.problemsIn(snapshot, check);
    this.#tokens.problemsIn(snapshot.tokens, check);
    for (const [kind, entries] of Object.entries(snapshot.logs?.entries ?? {}))
      entries.forEach((entry, i) => {
        check.device(`logs.${kind}[${i}]`, entry.nativeId);
        check.account(`logs.${kind}[${i}].accountId`, entry.accountId);
      });
    return check.problems;
  }

  async restore(snapshot: RuntimeSnapshot): Promise<void> {
    await this.#devices.restore(snapshot);
    await this.#operations.restore(snapshot);
    await this.#tokens.restore(snapshot.tokens);
    await this.logs.restore(snapshot.logs);
    await this.#counters.set("id", snapshot.sequence);
    await this.#changeKnobs(() => ({ override: snapshot.profileOverride, outages: snapshot.outages }), true);
  }

  /** Arms the triggers of the work already in the store (a process taking over a stored world). */
  resume(): Promise<void> {
    return this.#operations.resume();
  }

  /** Does the due work in a shared store, whoever armed it (see OperationBook.sweep). */
  sweep(): Promise<void> {
    return this.#operations.sweep();
  }

  /** Back to the generated inventory and the configured profile. */
  async reset(): Promise<void> {
    await this.#devices.reset();
    await this.#operations.reset();
    await this.#tokens.reset();
    await this.logs.restore(undefined);
    await this.#counters.clear();
    await this.#changeKnobs(() => ({}), true);
  }
}
