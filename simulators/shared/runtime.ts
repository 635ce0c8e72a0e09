import { createHmac } from "node:crypto";
import { accountCredentials } from "../../src/config/defaults.js";
import type {
  AccountConfig,
  CmoStatus,
  Operation,
  PlatformCode,
  PlatformProfileInput,
} from "../../src/config/schema.js";
import type { Clock, TimerHandle } from "../../src/engine/clock.js";
import { OutageSchedule, type OutageWindow } from "../../src/engine/faults.js";
import type { Random, RandomStream } from "../../src/engine/random.js";
import { ConcurrencyGate, RateLimiter } from "../../src/engine/rate-limit.js";
import { planTimeline, type TimelinePlan, timelineStateAt } from "../../src/engine/timeline.js";
import { AccountInventory, type DeviceRecord } from "../../src/inventory/generate.js";
import { type IdRange, placeApart } from "../../src/inventory/ranges.js";
import { DeviceLogs } from "./device-log.js";
import { type Profile, resolveProfile } from "./profile.js";
import type { PlatformDefinition } from "./types.js";

/** What a platform changed about a generated device; generated records themselves are never stored. */
export interface DeviceOverlay {
  nativeStatus?: string;
  updatedAt?: number;
  activatedAt?: number;
  /** Native status the device returns to if the in-flight operation fails. */
  pendingFrom?: string;
  /** Id of the native operation in flight on this device. */
  pendingOperation?: string;
  /** Attributes the native API edited (a rate plan, a label, custom fields), by the family's names. */
  fields?: Record<string, string>;
}

export interface Device {
  record: DeviceRecord;
  accountId: string;
  nativeStatus: string;
  cmoStatus: CmoStatus;
  updatedAt: number;
  activatedAt: number | undefined;
  pendingOperation: string | undefined;
  /** Attributes the native API edited; the generated record holds the rest. */
  fields: Readonly<Record<string, string>>;
}

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
}

export interface NativeAccount {
  platform: PlatformCode;
  id: string;
  name: string;
  tenant: string;
  username: string;
  secret: string;
  inventory: AccountInventory;
}

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

export interface NativeToken {
  accountId: string;
  expiresAt: number;
}

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
}

export interface RuntimeSnapshot {
  overlays: Record<string, DeviceOverlay>;
  owners: Record<string, string>;
  operations: NativeOperation[];
  tokens: Record<string, NativeToken>;
  outages: OutageWindow[];
  profileOverride: PlatformProfileInput | undefined;
  sequence: number;
  logs?: ReturnType<DeviceLogs["snapshot"]> | undefined;
  scheduledEdits?: ScheduledEdit[] | undefined;
}

const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

const OFFSET_LIMIT = 1e11;

/** Devices generated between two pauses of a full scan (a few milliseconds of work). */
const SCAN_SLICE = 2_000;

/**
 * How long a finished operation stays readable after its plan ends, as the CMO keeps a finished
 * monitor: long enough for any client to poll it to the end, short enough that a soak's
 * operations do not pile up in memory.
 */
export const OPERATION_RETENTION_MS = 24 * 3600 * 1000;

/**
 * The live state of one platform: its accounts and their devices, the operations in flight, issued
 * tokens, and the behaviour knobs (profile, limiter, outages). Routes in the family's folder read
 * and change devices only through this class, which keeps every family's state model the same.
 */
export class PlatformRuntime {
  readonly accounts = new Map<string, NativeAccount>();
  readonly limiter: RateLimiter;
  readonly gate: ConcurrencyGate;
  readonly outages = new OutageSchedule();
  profile: Profile;
  #profileOverride: PlatformProfileInput | undefined;
  readonly #configOverride: PlatformProfileInput | undefined;
  readonly #overlays = new Map<string, DeviceOverlay>();
  /** Devices that left their home account: native id → current account. */
  readonly #owners = new Map<string, string>();
  /** Devices received from another account, in arrival order, per account. */
  readonly #incoming = new Map<string, string[]>();
  readonly #operations = new Map<string, NativeOperation>();
  /** Applied operations → when they may go, in the order they were applied (so by that time, too). */
  readonly #retained = new Map<string, number>();
  readonly #timers = new Map<string, TimerHandle>();
  readonly #tokens = new Map<string, NativeToken>();
  readonly #scheduled = new Map<string, { edit: ScheduledEdit; timer: TimerHandle }>();
  /** What happened to devices, by kind (audit trails, SMS, events): the family's data. */
  readonly logs = new DeviceLogs();
  #sequence = 0;

  constructor(
    readonly definition: PlatformDefinition,
    accounts: Array<AccountConfig & { tenant: string }>,
    profileOverride: PlatformProfileInput | undefined,
    readonly options: RuntimeOptions,
  ) {
    this.#configOverride = profileOverride;
    this.profile = resolveProfile(definition.defaults, profileOverride);
    this.limiter = new RateLimiter(options.clock, this.profile.rateLimits);
    this.gate = new ConcurrencyGate(this.profile.maxConcurrent ?? Number.POSITIVE_INFINITY);
    this.#planOutages();
    const taken: IdRange[] = [];
    for (const account of accounts) this.#addAccount(account, taken);
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

  /** Replaces the run-time override (admin API, scenario events); config overrides stay underneath. */
  setProfileOverride(override: PlatformProfileInput | undefined): void {
    this.#profileOverride = override;
    this.profile = resolveProfile(this.definition.defaults, this.#configOverride, override);
    this.limiter.setRules(this.profile.rateLimits);
    this.gate.setMax(this.profile.maxConcurrent ?? Number.POSITIVE_INFINITY);
  }

  get profileOverride(): PlatformProfileInput | undefined {
    return this.#profileOverride;
  }

  /** One stream per request: fault first, then latency, keyed so unrelated traffic cannot shift it. */
  requestStream(operation: Operation, entity: string): RandomStream {
    return this.options.random.next(this.code, "request", operation, entity);
  }

  /** Deterministic, unique ids for native resources (requests, orders, tokens). */
  nextId(kind: string): { sequence: number; stream: RandomStream } {
    const sequence = ++this.#sequence;
    return { sequence, stream: this.options.random.stream(this.code, "id", kind, sequence) };
  }

  // ---- accounts and devices -------------------------------------------------------------

  /** Adds an account whose identifier ranges overlap none of `taken` (those of the accounts before it). */
  #addAccount(config: AccountConfig & { tenant: string }, taken: IdRange[]): void {
    const { definition, options } = this;
    const inventory = placeApart(
      (variant) =>
        new AccountInventory(
          options.seed,
          { platform: definition.code, accountId: config.id, size: config.size },
          definition.numbering,
          config.statusMix ?? definition.statusWeights,
          variant,
        ),
      taken,
      `${definition.code} account ${config.id}`,
    );
    taken.push(...inventory.ranges);
    this.accounts.set(config.id, {
      platform: definition.code,
      id: config.id,
      name: config.name,
      tenant: config.tenant,
      ...accountCredentials(config),
      inventory,
    });
  }

  /** The account whose generated range holds `nativeId` (its home, wherever it lives now). */
  #home(nativeId: string): { account: NativeAccount; index: number } | undefined {
    for (const account of this.accounts.values()) {
      const index = account.inventory.indexOf(nativeId);
      if (index !== undefined) return { account, index };
    }
    return undefined;
  }

  #device(home: { account: NativeAccount; index: number }): Device {
    const record = home.account.inventory.recordAt(home.index);
    const overlay = this.#overlays.get(record.nativeId);
    // Completing changes this same overlay object in place.
    if (overlay?.pendingOperation !== undefined)
      this.#completeIfDue(this.#operations.get(overlay.pendingOperation));
    const nativeStatus = overlay?.nativeStatus ?? this.#initialStatus(record.status);
    return {
      record,
      accountId: this.#owners.get(record.nativeId) ?? home.account.id,
      nativeStatus,
      cmoStatus: this.toCmoStatus(nativeStatus),
      updatedAt: overlay?.updatedAt ?? record.updatedAt,
      activatedAt: overlay?.activatedAt ?? record.activatedAt,
      pendingOperation: overlay?.pendingOperation,
      fields: overlay?.fields ?? NO_FIELDS,
    };
  }

  #initialStatus(status: CmoStatus): string {
    const native = this.definition.vocabulary.initial[status];
    if (native === undefined)
      throw new Error(`${this.code}: no native status for generated status ${status}`);
    return native;
  }

  toCmoStatus(nativeStatus: string): CmoStatus {
    const cmo = this.definition.vocabulary.toCmo[nativeStatus];
    if (cmo === undefined) throw new Error(`${this.code}: native status ${nativeStatus} has no CMO meaning`);
    return cmo;
  }

  /** A device of `accountId` by native id, or undefined when that account does not hold it. */
  findDevice(accountId: string, nativeId: string): Device | undefined {
    const home = this.#home(nativeId);
    if (!home) return undefined;
    const device = this.#device(home);
    return device.accountId === accountId ? device : undefined;
  }

  /** Looks a device up by another identifier (IMSI, MSISDN) within one account. */
  findDeviceBy(accountId: string, kind: "imsi" | "msisdn", value: string): Device | undefined {
    for (const account of this.accounts.values()) {
      const index =
        kind === "imsi" ? account.inventory.indexOfImsi(value) : account.inventory.indexOfMsisdn(value);
      if (index === undefined) continue;
      const device = this.#device({ account, index });
      return device.accountId === accountId ? device : undefined;
    }
    return undefined;
  }

  countDevices(accountId: string): number {
    const account = this.#requireAccount(accountId);
    return (
      account.inventory.size - this.#movedAway(account).length + (this.#incoming.get(accountId)?.length ?? 0)
    );
  }

  /** A page of an account's devices: its own range (minus departures), then arrivals. */
  listDevices(accountId: string, offset: number, limit: number): Device[] {
    const account = this.#requireAccount(accountId);
    const away = this.#movedAway(account);
    const ownCount = account.inventory.size - away.length;
    const out: Device[] = [];
    for (let p = offset; p < ownCount && out.length < limit; p++)
      out.push(this.#device({ account, index: nthPresent(p, away) }));
    const incoming = this.#incoming.get(accountId) ?? [];
    for (let p = Math.max(0, offset - ownCount); p < incoming.length && out.length < limit; p++) {
      out.push(this.findDevice(accountId, incoming[p] as string) as Device);
    }
    return out;
  }

  /** Where a device sits in `listDevices` order, for cursor-paged APIs that resume after it. */
  positionOf(accountId: string, nativeId: string): number | undefined {
    if (!this.findDevice(accountId, nativeId)) return undefined;
    const account = this.#requireAccount(accountId);
    const away = this.#movedAway(account);
    const own = account.inventory.indexOf(nativeId);
    if (own !== undefined) return own - away.filter((index) => index < own).length;
    const incoming = this.#incoming.get(accountId) ?? [];
    return account.inventory.size - away.length + incoming.indexOf(nativeId);
  }

  /** Every device of the platform whose generated record no longer tells all, wherever it lives. */
  changedIds(): Set<string> {
    return new Set([...this.#overlays.keys(), ...this.#owners.keys()]);
  }

  /**
   * The devices of an account that pass `filter`: the page [offset, offset + limit), and how many
   * there are in all (unless `count` is false: then the scan stops once the page is full). A full
   * scan, made in slices that let the event loop breathe in between, so one client filtering a few
   * million devices does not stall everyone else's requests.
   */
  async scanDevices(
    accountId: string,
    filter: (d: Device) => boolean,
    offset: number,
    limit: number,
    count = true,
  ): Promise<{ total: number; devices: Device[] }> {
    const account = this.#requireAccount(accountId);
    const devices: Device[] = [];
    let total = 0;
    let seen = 0;
    for (const device of this.#iterate(account, this.#movedAway(account))) {
      if (++seen % SCAN_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      if (!filter(device)) continue;
      if (total >= offset && devices.length < limit) devices.push(device);
      total++;
      if (!count && devices.length >= limit) break;
    }
    return { total, devices };
  }

  *#iterate(account: NativeAccount, away: number[]): Generator<Device> {
    const awaySet = new Set(away);
    for (let index = 0; index < account.inventory.size; index++) {
      if (!awaySet.has(index)) yield this.#device({ account, index });
    }
    for (const nativeId of this.#incoming.get(account.id) ?? [])
      yield this.findDevice(account.id, nativeId) as Device;
  }

  #movedAway(account: NativeAccount): number[] {
    const away: number[] = [];
    for (const [nativeId, owner] of this.#owners) {
      if (owner === account.id) continue;
      const index = account.inventory.indexOf(nativeId);
      if (index !== undefined) away.push(index);
    }
    return away.sort((a, b) => a - b);
  }

  #requireAccount(accountId: string): NativeAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`${this.code}: unknown account ${accountId}`);
    return account;
  }

  /** Changes a device's native status now (synchronous platforms, completions). */
  setStatus(nativeId: string, nativeStatus: string): void {
    const overlay = this.#overlays.get(nativeId) ?? {};
    const now = this.now();
    overlay.nativeStatus = nativeStatus;
    overlay.updatedAt = now;
    if (this.toCmoStatus(nativeStatus) === "ACTIVE" && overlay.activatedAt === undefined) {
      const home = this.#home(nativeId);
      if (home && home.account.inventory.recordAt(home.index).activatedAt === undefined)
        overlay.activatedAt = now;
    }
    this.#overlays.set(nativeId, overlay);
  }

  /** Sets attributes the native API edits (merged with earlier edits). */
  setFields(nativeId: string, fields: Record<string, string>): void {
    const overlay = this.#overlays.get(nativeId) ?? {};
    overlay.fields = { ...overlay.fields, ...fields };
    overlay.updatedAt = this.now();
    this.#overlays.set(nativeId, overlay);
  }

  // ---- edits that take effect later ---------------------------------------------------------

  /** Accepts an edit for `at`; it is applied on the clock then, as long as it still fits the device. */
  scheduleEdit(edit: Omit<ScheduledEdit, "id">): ScheduledEdit {
    const stored: ScheduledEdit = { id: `edit-${this.nextId("edit").sequence}`, ...edit };
    this.#arm(stored);
    return stored;
  }

  /** Edits accepted and not yet in effect, for a device or for all. */
  scheduledEdits(nativeId?: string): ScheduledEdit[] {
    return [...this.#scheduled.values()]
      .map((s) => s.edit)
      .filter((e) => nativeId === undefined || e.nativeId === nativeId)
      .sort((a, b) => a.at - b.at);
  }

  #arm(edit: ScheduledEdit): void {
    const timer = this.clock.schedule(edit.at - this.now(), () => this.#takeEffect(edit));
    this.#scheduled.set(edit.id, { edit, timer });
  }

  #takeEffect(edit: ScheduledEdit): void {
    this.#scheduled.delete(edit.id);
    const home = this.#home(edit.nativeId);
    if (!home) return;
    const device = this.#device(home);
    // An edit whose status the device can no longer take (it changed meanwhile) is dropped whole,
    // log entry included: half an edit, or an audit trail naming a change that never happened,
    // would mislead whoever reads the device.
    const moves = edit.status !== undefined && edit.status !== device.nativeStatus;
    const allowed = this.definition.vocabulary.nativeTransitions[device.nativeStatus] ?? [];
    if (moves && !allowed.includes(edit.status as string)) return;
    if (moves) this.setStatus(edit.nativeId, edit.status as string);
    if (edit.fields) this.setFields(edit.nativeId, edit.fields);
    if (edit.moveTo !== undefined && this.accounts.has(edit.moveTo))
      this.moveDevice(edit.nativeId, edit.moveTo);
    if (edit.log)
      this.logs.append(edit.log.kind, {
        accountId: edit.accountId,
        nativeId: edit.nativeId,
        at: this.now(),
        data: edit.log.data,
      });
  }

  moveDevice(nativeId: string, toAccountId: string): void {
    const home = this.#home(nativeId);
    if (!home) throw new Error(`${this.code}: unknown device ${nativeId}`);
    this.#requireAccount(toAccountId);
    const from = this.#owners.get(nativeId) ?? home.account.id;
    if (from === toAccountId) return;
    const arrivals = this.#incoming.get(from);
    if (arrivals)
      this.#incoming.set(
        from,
        arrivals.filter((id) => id !== nativeId),
      );
    if (toAccountId === home.account.id) this.#owners.delete(nativeId);
    else {
      this.#owners.set(nativeId, toAccountId);
      this.#incoming.set(toAccountId, [...(this.#incoming.get(toAccountId) ?? []), nativeId]);
    }
    const overlay = this.#overlays.get(nativeId) ?? {};
    overlay.updatedAt = this.now();
    this.#overlays.set(nativeId, overlay);
  }

  // ---- asynchronous operations --------------------------------------------------------------

  /**
   * Accepts an asynchronous operation: draws its timeline, marks the devices as in flight (with the
   * family's transitional status, if it has one) and schedules the outcome on the clock.
   */
  startOperation(input: Omit<NativeOperation, "plan" | "createdAt" | "applied">): NativeOperation {
    const stages = this.profile.asyncTimeline;
    if (!stages) throw new Error(`${this.code} has no async timeline`);
    this.#evictExpired();
    const now = this.now();
    const first = input.items[0]?.nativeId ?? input.id;
    const plan = planTimeline(
      stages,
      now,
      this.options.random.next(this.code, "timeline", first),
      this.options.timeScale,
    );
    // Built field by field, not spread: a spread clone got a hidden class of its own per operation
    // (about 400 bytes each with 100,000 in flight); this literal shares one.
    const operation: NativeOperation = {
      id: input.id,
      accountId: input.accountId,
      kind: input.kind,
      items: input.items,
      plan,
      createdAt: now,
      applied: false,
    };
    if (input.targetAccountId !== undefined) operation.targetAccountId = input.targetAccountId;
    if (input.extra !== undefined) operation.extra = input.extra;
    const transitional = this.definition.vocabulary.transitional;
    for (const item of operation.items) {
      const overlay = this.#overlays.get(item.nativeId) ?? {};
      overlay.pendingOperation = operation.id;
      overlay.pendingFrom = item.from;
      const during = input.kind === "status" ? transitional?.[item.to] : undefined;
      if (during !== undefined) {
        overlay.nativeStatus = during;
        overlay.updatedAt = now;
      }
      this.#overlays.set(item.nativeId, overlay);
    }
    this.#operations.set(operation.id, operation);
    this.#scheduleCompletion(operation);
    return operation;
  }

  #scheduleCompletion(operation: NativeOperation): void {
    if (operation.applied) return;
    const timer = this.clock.schedule(operation.plan.endsAt - this.now(), () => this.#complete(operation));
    this.#timers.set(operation.id, timer);
  }

  /**
   * Applies an operation whose time has come but whose timer has not run yet. A real clock's timer
   * can run a moment after its instant (a busy loop, a timeout armed a millisecond early), and in
   * that moment the operation already reads as finished: the device must read finished too.
   */
  #completeIfDue(operation: NativeOperation | undefined): void {
    if (!operation || operation.applied || operation.plan.endsAt > this.now()) return;
    this.#timers.get(operation.id)?.cancel();
    this.#complete(operation);
  }

  #complete(operation: NativeOperation): void {
    this.#timers.delete(operation.id);
    if (operation.applied) return;
    operation.applied = true;
    this.#retain(operation);
    const succeeded = operation.plan.outcome === "succeeded";
    for (const item of operation.items) {
      const overlay = this.#overlays.get(item.nativeId) ?? {};
      if (overlay.pendingOperation === operation.id) {
        delete overlay.pendingOperation;
        delete overlay.pendingFrom;
      }
      this.#overlays.set(item.nativeId, overlay);
      if (operation.kind === "transfer") {
        if (succeeded && operation.targetAccountId) this.moveDevice(item.nativeId, operation.targetAccountId);
      } else {
        this.setStatus(item.nativeId, succeeded ? item.to : item.from);
      }
    }
  }

  getOperation(id: string): NativeOperation | undefined {
    this.#evictExpired();
    return this.#operations.get(id);
  }

  #retain(operation: NativeOperation): void {
    this.#retained.set(operation.id, operation.plan.endsAt + OPERATION_RETENTION_MS);
  }

  /**
   * Forgets operations past their retention, oldest first; stops at the first one still kept, which
   * costs nothing when nothing is due (one restored out of order only goes a little late, never early).
   */
  #evictExpired(): void {
    const now = this.now();
    for (const [id, until] of this.#retained) {
      if (until > now) return;
      this.#retained.delete(id);
      this.#operations.delete(id);
    }
  }

  operationState(operation: NativeOperation): ReturnType<typeof timelineStateAt> {
    this.#completeIfDue(operation);
    return timelineStateAt(operation.plan, this.now());
  }

  get operationsInFlight(): number {
    return this.#timers.size;
  }

  // ---- native tokens ------------------------------------------------------------------------

  issueToken(account: NativeAccount): { token: string; expiresIn: number } {
    const now = this.now();
    if (this.#tokens.size > 1024)
      for (const [t, v] of this.#tokens) if (v.expiresAt <= now) this.#tokens.delete(t);
    const { sequence } = this.nextId("token");
    const mac = createHmac("sha256", this.options.tokenKey)
      .update(`${this.code}|${account.id}|${sequence}`)
      .digest("base64url");
    const token = `${this.code.toLowerCase()}_${mac.slice(0, 32)}`;
    const expiresIn = this.profile.nativeTokenLifetimeSeconds;
    this.#tokens.set(token, { accountId: account.id, expiresAt: now + expiresIn * 1000 });
    return { token, expiresIn };
  }

  /** The account a bearer token belongs to, or why not. */
  accountForToken(token: string): NativeAccount | "unknown" | "expired" {
    const entry = this.#tokens.get(token);
    if (!entry) return "unknown";
    if (entry.expiresAt <= this.now()) return "expired";
    return this.accounts.get(entry.accountId) ?? "unknown";
  }

  revokeTokens(): number {
    const n = this.#tokens.size;
    this.#tokens.clear();
    return n;
  }

  // ---- outages ------------------------------------------------------------------------------

  #planOutages(): void {
    this.outages.replace(
      this.profile.outages.map((o) => {
        const start =
          typeof o.start === "string"
            ? Date.parse(o.start)
            : o.start < OFFSET_LIMIT
              ? this.options.startedAt + o.start
              : o.start;
        return {
          start,
          end: o.durationMs === undefined ? undefined : start + o.durationMs,
          status: o.status,
          reason: o.reason,
        };
      }),
    );
  }

  // ---- snapshots ----------------------------------------------------------------------------

  snapshot(): RuntimeSnapshot {
    this.#evictExpired();
    return {
      overlays: Object.fromEntries([...this.#overlays].map(([k, v]) => [k, { ...v }])),
      owners: Object.fromEntries(this.#owners),
      operations: [...this.#operations.values()].map((o) => structuredClone(o)),
      tokens: Object.fromEntries(this.#tokens),
      outages: this.outages.list().map((w) => ({ ...w })),
      profileOverride: this.#profileOverride,
      sequence: this.#sequence,
      logs: this.logs.snapshot(),
      scheduledEdits: this.scheduledEdits().map((e) => structuredClone(e)),
    };
  }

  /**
   * What in a snapshot this platform could not honour: statuses it does not have, devices and
   * accounts that do not exist, operations that are not there. Checked before anything is restored.
   */
  problemsIn(snapshot: RuntimeSnapshot): string[] {
    const problems: string[] = [];
    const statuses = this.definition.vocabulary.toCmo;
    const status = (where: string, value: string | undefined) => {
      if (value !== undefined && !(value in statuses))
        problems.push(
          `${where}: ${value} is not a ${this.code} status (${Object.keys(statuses).join(", ")})`,
        );
    };
    const device = (where: string, nativeId: string) => {
      if (!this.#home(nativeId)) problems.push(`${where}: ${this.code} has no device ${nativeId}`);
    };
    const account = (where: string, id: string | undefined) => {
      if (id !== undefined && !this.accounts.has(id))
        problems.push(`${where}: ${this.code} has no account ${id}`);
    };
    const operations = new Set(snapshot.operations.map((o) => o.id));
    for (const [nativeId, overlay] of Object.entries(snapshot.overlays)) {
      device(`overlays.${nativeId}`, nativeId);
      status(`overlays.${nativeId}.nativeStatus`, overlay.nativeStatus);
      status(`overlays.${nativeId}.pendingFrom`, overlay.pendingFrom);
      if (overlay.pendingOperation !== undefined && !operations.has(overlay.pendingOperation))
        problems.push(`overlays.${nativeId}.pendingOperation: no operation ${overlay.pendingOperation}`);
    }
    for (const [nativeId, owner] of Object.entries(snapshot.owners)) {
      device(`owners.${nativeId}`, nativeId);
      account(`owners.${nativeId}`, owner);
    }
    snapshot.operations.forEach((operation, i) => {
      account(`operations[${i}].accountId`, operation.accountId);
      account(`operations[${i}].targetAccountId`, operation.targetAccountId);
      operation.items.forEach((item, j) => {
        device(`operations[${i}].items[${j}]`, item.nativeId);
        status(`operations[${i}].items[${j}].from`, item.from);
        status(`operations[${i}].items[${j}].to`, item.to);
      });
    });
    for (const [token, issued] of Object.entries(snapshot.tokens))
      account(`tokens.${token.slice(0, 8)}…`, issued.accountId);
    (snapshot.scheduledEdits ?? []).forEach((edit, i) => {
      device(`scheduledEdits[${i}]`, edit.nativeId);
      account(`scheduledEdits[${i}].accountId`, edit.accountId);
      account(`scheduledEdits[${i}].moveTo`, edit.moveTo);
      status(`scheduledEdits[${i}].status`, edit.status);
    });
    for (const [kind, entries] of Object.entries(snapshot.logs?.entries ?? {}))
      entries.forEach((entry, i) => {
        device(`logs.${kind}[${i}]`, entry.nativeId);
        account(`logs.${kind}[${i}].accountId`, entry.accountId);
      });
    return problems;
  }

  restore(snapshot: RuntimeSnapshot): void {
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    for (const { timer } of this.#scheduled.values()) timer.cancel();
    this.#scheduled.clear();
    this.logs.restore(snapshot.logs);
    for (const edit of snapshot.scheduledEdits ?? []) this.#arm(structuredClone(edit));
    this.#overlays.clear();
    this.#owners.clear();
    this.#incoming.clear();
    this.#operations.clear();
    this.#retained.clear();
    this.#tokens.clear();
    for (const [k, v] of Object.entries(snapshot.overlays)) this.#overlays.set(k, { ...v });
    for (const [nativeId, owner] of Object.entries(snapshot.owners)) {
      this.#owners.set(nativeId, owner);
      this.#incoming.set(owner, [...(this.#incoming.get(owner) ?? []), nativeId]);
    }
    for (const [t, v] of Object.entries(snapshot.tokens)) this.#tokens.set(t, { ...v });
    this.setProfileOverride(snapshot.profileOverride);
    this.outages.replace(snapshot.outages);
    this.#sequence = snapshot.sequence;
    for (const operation of snapshot.operations) {
      const copy = structuredClone(operation);
      this.#operations.set(copy.id, copy);
      // An operation whose time passed while the state was saved completes at once, on the clock.
      this.#scheduleCompletion(copy);
    }
    const applied = [...this.#operations.values()].filter((o) => o.applied);
    for (const operation of applied.sort((a, b) => a.plan.endsAt - b.plan.endsAt)) this.#retain(operation);
  }

  /** Back to the generated inventory and the configured profile. */
  reset(): void {
    this.restore({
      overlays: {},
      owners: {},
      operations: [],
      tokens: {},
      outages: [],
      profileOverride: undefined,
      sequence: 0,
    });
    this.#planOutages();
  }
}

/** The p-th index (0-based) of 0..n that is not in the sorted list `away`. */
function nthPresent(p: number, away: readonly number[]): number {
  let index = p;
  for (;;) {
    let below = 0;
    while (below < away.length && (away[below] as number) <= index) below++;
    const next = p + below;
    if (next === index) return index;
    index = next;
  }
}
