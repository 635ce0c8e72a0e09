import type {
  AccountConfig,
  Operation,
  PlatformCode,
  PlatformProfileInput,
} from "../../src/config/schema.js";
import type { Clock } from "../../src/engine/clock.js";
import { OutageSchedule, type OutageWindow } from "../../src/engine/faults.js";
import type { Random, RandomStream } from "../../src/engine/random.js";
import { ConcurrencyGate, RateLimiter } from "../../src/engine/rate-limit.js";
import { planTimeline } from "../../src/engine/timeline.js";
import { DeviceBook, type DeviceBookSnapshot, type NativeAccount } from "./device-book.js";
import { DeviceLogs } from "./device-log.js";
import {
  type NativeOperation,
  OperationBook,
  type OperationBookSnapshot,
  type OperationRequest,
  type ScheduledEdit,
} from "./operation-book.js";
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
}

/** A platform's whole state: each book's part, then the behaviour knobs and the id sequence. */
export interface RuntimeSnapshot extends DeviceBookSnapshot, OperationBookSnapshot {
  tokens: TokenBookSnapshot;
  outages: OutageWindow[];
  profileOverride: PlatformProfileInput | undefined;
  sequence: number;
  logs?: ReturnType<DeviceLogs["snapshot"]> | undefined;
}

/** Outage starts below this are offsets from the run's start; above, epoch milliseconds. */
const OFFSET_LIMIT = 1e11;

/**
 * The live state of one platform, kept in three books (devices, operations, tokens), plus the
 * device logs and the behaviour knobs (profile, limiter, gate, outages). Routes in a family's folder
 * read and change devices only through this facade, which keeps every family's state model the same.
 * `Definition` is whatever the platform was defined with; the runtime itself reads only its spec.
 */
export class PlatformRuntime<Definition extends PlatformSpec = PlatformSpec> {
  readonly limiter: RateLimiter;
  readonly gate: ConcurrencyGate;
  readonly outages = new OutageSchedule();
  profile: Profile;
  /** What happened to devices, by kind (audit trails, SMS, events): the family's data. */
  readonly logs = new DeviceLogs();
  readonly #devices: DeviceBook;
  readonly #operations: OperationBook;
  readonly #tokens: TokenBook;
  #profileOverride: PlatformProfileInput | undefined;
  readonly #configOverride: PlatformProfileInput | undefined;
  #sequence = 0;

  constructor(
    readonly definition: Definition,
    accounts: ReadonlyArray<AccountConfig & { tenant: string }>,
    profileOverride: PlatformProfileInput | undefined,
    readonly options: RuntimeOptions,
  ) {
    this.#configOverride = profileOverride;
    this.profile = resolveProfile(definition.defaults, profileOverride);
    this.limiter = new RateLimiter(options.clock, this.profile.rateLimits);
    this.gate = new ConcurrencyGate(this.profile.maxConcurrent ?? Number.POSITIVE_INFINITY);
    this.#planOutages();
    const { clock } = options;
    this.#devices = new DeviceBook(definition, options.seed, accounts, clock, (id) =>
      this.#operations.settle(id),
    );
    this.#operations = new OperationBook(this.#devices, this.logs, clock);
    this.#tokens = new TokenBook(definition.code, options.tokenKey, clock);
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

  // ---- accounts and devices: the device book's own, documented there --------------------------------

  get accounts(): ReadonlyMap<string, NativeAccount> {
    return this.#devices.accounts;
  }

  readonly toCmoStatus: DeviceBook["toCmoStatus"] = (...a) => this.#devices.toCmoStatus(...a);
  readonly findDevice: DeviceBook["findDevice"] = (...a) => this.#devices.findDevice(...a);
  readonly findDeviceBy: DeviceBook["findDeviceBy"] = (...a) => this.#devices.findDeviceBy(...a);
  readonly countDevices: DeviceBook["countDevices"] = (...a) => this.#devices.countDevices(...a);
  readonly listDevices: DeviceBook["listDevices"] = (...a) => this.#devices.listDevices(...a);
  readonly positionOf: DeviceBook["positionOf"] = (...a) => this.#devices.positionOf(...a);
  readonly changedIds: DeviceBook["changedIds"] = () => this.#devices.changedIds();
  readonly scanDevices: DeviceBook["scanDevices"] = (...a) => this.#devices.scanDevices(...a);
  readonly setStatus: DeviceBook["setStatus"] = (...a) => this.#devices.setStatus(...a);
  readonly setFields: DeviceBook["setFields"] = (...a) => this.#devices.setFields(...a);
  readonly moveDevice: DeviceBook["moveDevice"] = (...a) => this.#devices.moveDevice(...a);

  // ---- operations and scheduled edits (the operation book) ---------------------------------------

  /**
   * Accepts an asynchronous operation: draws its timeline from the live profile, marks the devices
   * as in flight and arms the outcome on the clock.
   */
  startOperation(input: OperationRequest): NativeOperation {
    const stages = this.profile.asyncTimeline;
    if (!stages) throw new Error(`${this.code} has no async timeline`);
    const first = input.items[0]?.nativeId ?? input.id;
    const stream = this.options.random.next(this.code, "timeline", first);
    return this.#operations.start(input, planTimeline(stages, this.now(), stream, this.options.timeScale));
  }

  readonly getOperation: OperationBook["get"] = (id) => this.#operations.get(id);
  /** Where an operation stands now. */
  readonly operationState: OperationBook["state"] = (operation) => this.#operations.state(operation);

  get operationsInFlight(): number {
    return this.#operations.inFlight;
  }

  /** Accepts an edit for `at`; it is applied on the clock then, as long as it still fits the device. */
  scheduleEdit(edit: Omit<ScheduledEdit, "id">): ScheduledEdit {
    const stored: ScheduledEdit = { id: `edit-${this.nextId("edit").sequence}`, ...edit };
    this.#operations.scheduleEdit(stored);
    return stored;
  }

  readonly scheduledEdits: OperationBook["scheduledEdits"] = (nativeId) =>
    this.#operations.scheduledEdits(nativeId);

  // ---- native tokens (the token book) -------------------------------------------------------------

  issueToken(account: NativeAccount): { token: string; expiresIn: number } {
    const { sequence } = this.nextId("token");
    return this.#tokens.issue(account.id, sequence, this.profile.nativeTokenLifetimeSeconds);
  }

  /** The account a bearer token belongs to, or why not. */
  accountForToken(token: string): NativeAccount | "unknown" | "expired" {
    const issued = this.#tokens.find(token);
    if (typeof issued === "string") return issued;
    return this.accounts.get(issued.accountId) ?? "unknown";
  }

  revokeTokens(): number {
    return this.#tokens.revokeAll();
  }

  // ---- outages ------------------------------------------------------------------------------------

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

  // ---- snapshots ----------------------------------------------------------------------------------

  snapshot(): RuntimeSnapshot {
    const { overlays, owners } = this.#devices.snapshot();
    const { operations, scheduledEdits } = this.#operations.snapshot();
    return {
      overlays,
      owners,
      operations,
      tokens: this.#tokens.snapshot(),
      outages: this.outages.list().map((w) => ({ ...w })),
      profileOverride: this.#profileOverride,
      sequence: this.#sequence,
      logs: this.logs.snapshot(),
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

  restore(snapshot: RuntimeSnapshot): void {
    this.#devices.restore(snapshot);
    this.#operations.restore(snapshot);
    this.#tokens.restore(snapshot.tokens);
    this.logs.restore(snapshot.logs);
    this.setProfileOverride(snapshot.profileOverride);
    this.outages.replace(snapshot.outages);
    this.#sequence = snapshot.sequence;
  }

  /** Back to the generated inventory and the configured profile. */
  reset(): void {
    this.#devices.reset();
    this.#operations.reset();
    this.#tokens.reset();
    this.logs.restore(undefined);
    this.setProfileOverride(undefined);
    this.#sequence = 0;
    this.#planOutages();
  }
}
