import type { AccountConfig, CmoStatus } from "../../src/config/schema.js";
import type { Clock } from "../../src/engine/clock.js";
import type { DeviceRecord } from "../../src/inventory/generate.js";
import { type NativeAccount, platformAccounts } from "./platform-accounts.js";
import type { PlatformSpec } from "./platform-spec.js";
import { type SnapshotCheck, snapshotCheck } from "./snapshot-check.js";

export type { NativeAccount, SnapshotCheck };

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

/** The device book's part of a platform snapshot. */
export interface DeviceBookSnapshot {
  overlays: Record<string, DeviceOverlay>;
  /** Devices that left their home account: native id → current account. */
  owners: Record<string, string>;
}

const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

/** Devices generated between two pauses of a full scan (a few milliseconds of work). */
const SCAN_SLICE = 2_000;

type Home = { account: NativeAccount; index: number };

/**
 * A platform's accounts and devices. Devices are generated from (seed, account), so the book stores
 * only what changed about them: an overlay per device and the owner of each device that moved.
 * Those two maps are the whole state, plain records keyed by native id: the shared store of issue 17
 * (Redis) replaces them. Arrivals per account are an index, rebuilt from the owners (kept in arrival
 * order) on restore.
 */
export class DeviceBook {
  /** The configured accounts and their generated inventories (configuration, not state). */
  readonly accounts: ReadonlyMap<string, NativeAccount>;
  readonly #overlays = new Map<string, DeviceOverlay>();
  readonly #owners = new Map<string, string>();
  /** Index: devices received from another account, in arrival order, per account. */
  readonly #incoming = new Map<string, string[]>();
  readonly #settle: (operationId: string) => void;

  /**
   * @param settle applies the operation in flight on a device if its time has come, before the
   *   device is read (see OperationBook.settle).
   */
  constructor(
    readonly spec: PlatformSpec,
    seed: number | string,
    accounts: ReadonlyArray<AccountConfig & { tenant: string }>,
    readonly clock: Clock,
    settle: (operationId: string) => void,
  ) {
    this.#settle = settle;
    this.accounts = platformAccounts(spec, seed, accounts);
  }

  requireAccount(accountId: string): NativeAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`${this.spec.code}: unknown account ${accountId}`);
    return account;
  }

  /** The account whose generated range holds `nativeId` (its home, wherever it lives now). */
  #home(nativeId: string): Home | undefined {
    for (const account of this.accounts.values()) {
      const index = account.inventory.indexOf(nativeId);
      if (index !== undefined) return { account, index };
    }
    return undefined;
  }

  #device(home: Home): Device {
    const record = home.account.inventory.recordAt(home.index);
    const pending = this.#overlays.get(record.nativeId)?.pendingOperation;
    if (pending !== undefined) this.#settle(pending);
    // Read after settling: a completion changes the overlay.
    const overlay = this.#overlays.get(record.nativeId);
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
    const native = this.spec.vocabulary.initial[status];
    if (native === undefined)
      throw new Error(`${this.spec.code}: no native status for generated status ${status}`);
    return native;
  }

  toCmoStatus(nativeStatus: string): CmoStatus {
    const cmo = this.spec.vocabulary.toCmo[nativeStatus];
    if (cmo === undefined)
      throw new Error(`${this.spec.code}: native status ${nativeStatus} has no CMO meaning`);
    return cmo;
  }

  /** A device wherever it lives now, or undefined when the platform has no such device. */
  device(nativeId: string): Device | undefined {
    const home = this.#home(nativeId);
    return home && this.#device(home);
  }

  /** A device of `accountId` by native id, or undefined when that account does not hold it. */
  findDevice(accountId: string, nativeId: string): Device | undefined {
    const device = this.device(nativeId);
    return device?.accountId === accountId ? device : undefined;
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
    const account = this.requireAccount(accountId);
    return (
      account.inventory.size - this.#movedAway(account).length + (this.#incoming.get(accountId)?.length ?? 0)
    );
  }

  /** A page of an account's devices: its own range (minus departures), then arrivals. */
  listDevices(accountId: string, offset: number, limit: number): Device[] {
    const account = this.requireAccount(accountId);
    const away = this.#movedAway(account);
    const ownCount = account.inventory.size - away.length;
    const out: Device[] = [];
    for (let p = offset; p < ownCount && out.length < limit; p++)
      out.push(this.#device({ account, index: nthPresent(p, away) }));
    const incoming = this.#incoming.get(accountId) ?? [];
    for (let p = Math.max(0, offset - ownCount); p < incoming.length && out.length < limit; p++)
      out.push(this.findDevice(accountId, incoming[p] as string) as Device);
    return out;
  }

  /** Where a device sits in `listDevices` order, for cursor-paged APIs that resume after it. */
  positionOf(accountId: string, nativeId: string): number | undefined {
    if (!this.findDevice(accountId, nativeId)) return undefined;
    const account = this.requireAccount(accountId);
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
    const account = this.requireAccount(accountId);
    const devices: Device[] = [];
    let total = 0;
    let seen = 0;
    for (const device of this.#iterate(account)) {
      if (++seen % SCAN_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      if (!filter(device)) continue;
      if (total >= offset && devices.length < limit) devices.push(device);
      total++;
      if (!count && devices.length >= limit) break;
    }
    return { total, devices };
  }

  *#iterate(account: NativeAccount): Generator<Device> {
    const away = new Set(this.#movedAway(account));
    for (let index = 0; index < account.inventory.size; index++) {
      if (!away.has(index)) yield this.#device({ account, index });
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

  // ---- changes --------------------------------------------------------------------------------

  #overlay(nativeId: string): DeviceOverlay {
    let overlay = this.#overlays.get(nativeId);
    if (!overlay) {
      overlay = {};
      this.#overlays.set(nativeId, overlay);
    }
    return overlay;
  }

  /** Changes a device's native status now (synchronous platforms, completions). */
  setStatus(nativeId: string, nativeStatus: string): void {
    const overlay = this.#overlay(nativeId);
    const now = this.clock.now();
    overlay.nativeStatus = nativeStatus;
    overlay.updatedAt = now;
    if (this.toCmoStatus(nativeStatus) === "ACTIVE" && overlay.activatedAt === undefined) {
      const home = this.#home(nativeId);
      if (home && home.account.inventory.recordAt(home.index).activatedAt === undefined)
        overlay.activatedAt = now;
    }
  }

  /** Sets attributes the native API edits (merged with earlier edits). */
  setFields(nativeId: string, fields: Record<string, string>): void {
    const overlay = this.#overlay(nativeId);
    overlay.fields = { ...overlay.fields, ...fields };
    overlay.updatedAt = this.clock.now();
  }

  moveDevice(nativeId: string, toAccountId: string): void {
    const home = this.#home(nativeId);
    if (!home) throw new Error(`${this.spec.code}: unknown device ${nativeId}`);
    this.requireAccount(toAccountId);
    const from = this.#owners.get(nativeId) ?? home.account.id;
    if (from === toAccountId) return;
    const arrivals = this.#incoming.get(from);
    if (arrivals)
      this.#incoming.set(
        from,
        arrivals.filter((id) => id !== nativeId),
      );
    // Deleted first, so the owners stay in arrival order: the arrivals index is rebuilt from them.
    this.#owners.delete(nativeId);
    if (toAccountId !== home.account.id) {
      this.#owners.set(nativeId, toAccountId);
      this.#incoming.set(toAccountId, [...(this.#incoming.get(toAccountId) ?? []), nativeId]);
    }
    this.#overlay(nativeId).updatedAt = this.clock.now();
  }

  /** Marks a device as changing under `operationId`, showing `during` meanwhile if the family has one. */
  markPending(nativeId: string, operationId: string, from: string, during: string | undefined): void {
    const overlay = this.#overlay(nativeId);
    overlay.pendingOperation = operationId;
    overlay.pendingFrom = from;
    if (during !== undefined) {
      overlay.nativeStatus = during;
      overlay.updatedAt = this.clock.now();
    }
  }

  /** Ends the in-flight mark of `operationId` (a later operation's mark stays). */
  clearPending(nativeId: string, operationId: string): void {
    const overlay = this.#overlay(nativeId);
    if (overlay.pendingOperation !== operationId) return;
    delete overlay.pendingOperation;
    delete overlay.pendingFrom;
  }

  // ---- snapshots --------------------------------------------------------------------------------

  snapshot(): DeviceBookSnapshot {
    return {
      overlays: Object.fromEntries([...this.#overlays].map(([k, v]) => [k, { ...v }])),
      owners: Object.fromEntries(this.#owners),
    };
  }

  /** A check that reports, into one list, what a snapshot names that this platform does not have. */
  check(problems: string[] = []): SnapshotCheck {
    return snapshotCheck(this.spec, problems, {
      device: (nativeId) => this.#home(nativeId) !== undefined,
      account: (id) => this.accounts.has(id),
    });
  }

  /** Problems of the device part; `operations` are the ids the snapshot's operation part holds. */
  problemsIn(part: DeviceBookSnapshot, check: SnapshotCheck, operations: ReadonlySet<string>): void {
    for (const [nativeId, overlay] of Object.entries(part.overlays)) {
      check.device(`overlays.${nativeId}`, nativeId);
      check.status(`overlays.${nativeId}.nativeStatus`, overlay.nativeStatus);
      check.status(`overlays.${nativeId}.pendingFrom`, overlay.pendingFrom);
      if (overlay.pendingOperation !== undefined && !operations.has(overlay.pendingOperation))
        check.problems.push(
          `overlays.${nativeId}.pendingOperation: no operation ${overlay.pendingOperation}`,
        );
    }
    for (const [nativeId, owner] of Object.entries(part.owners)) {
      check.device(`owners.${nativeId}`, nativeId);
      check.account(`owners.${nativeId}`, owner);
    }
  }

  restore(part: DeviceBookSnapshot): void {
    this.#overlays.clear();
    this.#owners.clear();
    this.#incoming.clear();
    for (const [nativeId, overlay] of Object.entries(part.overlays))
      this.#overlays.set(nativeId, { ...overlay });
    for (const [nativeId, owner] of Object.entries(part.owners)) {
      this.#owners.set(nativeId, owner);
      this.#incoming.set(owner, [...(this.#incoming.get(owner) ?? []), nativeId]);
    }
  }

  /** Back to the generated inventory. */
  reset(): void {
    this.restore({ overlays: {}, owners: {} });
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
