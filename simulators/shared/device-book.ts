import type { AccountConfig, CmoStatus } from "../../src/config/schema.js";
import type { Clock } from "../../src/engine/clock.js";
import type { DeviceRecord } from "../../src/inventory/generate.js";
import type { Collection, StateStore } from "../../src/store/store.js";
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
 * only what changed about them: an overlay per device and the owner of each device that moved, two
 * collections of the one `StateStore` keyed by native id. Nothing else is kept: an account's arrivals
 * are the owners naming it, in the order they were set (a move deletes the old entry first, so that
 * order is the order of arrival), and what a device reads as is its record under its overlay.
 *
 * Reads fetch the overlays of a page in one call (`getMany`), and a full scan reads the changed
 * devices once, so a million-device account costs no store call per device.
 */
export class DeviceBook {
  /** The configured accounts and their generated inventories (configuration, not state). */
  readonly accounts: ReadonlyMap<string, NativeAccount>;
  readonly #overlays: Collection<DeviceOverlay>;
  readonly #owners: Collection<string>;
  readonly #settle: (operationId: string) => Promise<boolean>;

  /**
   * @param settle applies the operation in flight on a device if its time has come, before the
   *   device is read (see OperationBook.settle); true when it changed something.
   */
  constructor(
    readonly spec: PlatformSpec,
    seed: number | string,
    accounts: ReadonlyArray<AccountConfig & { tenant: string }>,
    readonly clock: Clock,
    store: StateStore,
    settle: (operationId: string) => Promise<boolean>,
  ) {
    this.#settle = settle;
    this.accounts = platformAccounts(spec, seed, accounts);
    this.#overlays = store.collection(`platform:${spec.code}:overlays`);
    this.#owners = store.collection(`platform:${spec.code}:owners`);
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

  /**
   * The devices at `homes`, in that order: their overlays and owners read in one call each, after
   * any operation in flight on them whose time has come is applied.
   */
  async #view(homes: readonly Home[]): Promise<Device[]> {
    const records = homes.map((home) => home.account.inventory.recordAt(home.index));
    const ids = records.map((record) => record.nativeId);
    // Asked together: on a shared store both reads go out in one round trip.
    const read = () => Promise.all([this.#overlays.getMany(ids), this.#owners.getMany(ids)]);
    let [overlays, owners] = await read();
    if (await this.#settleDue(overlays)) [overlays, owners] = await read();
    return records.map((record, i) =>
      this.#compose(record, owners[i] ?? (homes[i] as Home).account.id, overlays[i]),
    );
  }

  /** Applies the operations in flight on these overlays that are due; true when any was. */
  async #settleDue(overlays: ReadonlyArray<DeviceOverlay | undefined>): Promise<boolean> {
    let changed = false;
    const seen = new Set<string>();
    for (const overlay of overlays) {
      const pending = overlay?.pendingOperation;
      if (pending === undefined || seen.has(pending)) continue;
      seen.add(pending);
      if (await this.#settle(pending)) changed = true;
    }
    return changed;
  }

  #compose(record: DeviceRecord, accountId: string, overlay: DeviceOverlay | undefined): Device {
    const nativeStatus = overlay?.nativeStatus ?? this.#initialStatus(record.status);
    return {
      record,
      accountId,
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
  async device(nativeId: string): Promise<Device | undefined> {
    const home = this.#home(nativeId);
    return home && (await this.#view([home]))[0];
  }

  /** A device of `accountId` by native id, or undefined when that account does not hold it. */
  async findDevice(accountId: string, nativeId: string): Promise<Device | undefined> {
    const device = await this.device(nativeId);
    return device?.accountId === accountId ? device : undefined;
  }

  /** Looks a device up by another identifier (IMSI, MSISDN) within one account. */
  async findDeviceBy(accountId: string, kind: "imsi" | "msisdn", value: string): Promise<Device | undefined> {
    for (const account of this.accounts.values()) {
      const index =
        kind === "imsi" ? account.inventory.indexOfImsi(value) : account.inventory.indexOfMsisdn(value);
      if (index === undefined) continue;
      const [device] = await this.#view([{ account, index }]);
      return device?.accountId === accountId ? device : undefined;
    }
    return undefined;
  }

  /** Where devices moved, read once: the indices that left `account`'s range and its arrivals, in order. */
  async #moves(account: NativeAccount): Promise<{ away: number[]; arrivals: string[] }> {
    const away: number[] = [];
    const arrivals: string[] = [];
    for (const [nativeId, owner] of await this.#owners.entries()) {
      if (owner === account.id) {
        arrivals.push(nativeId);
        continue;
      }
      const index = account.inventory.indexOf(nativeId);
      if (index !== undefined) away.push(index);
    }
    return { away: away.sort((a, b) => a - b), arrivals };
  }

  async countDevices(accountId: string): Promise<number> {
    const account = this.requireAccount(accountId);
    const { away, arrivals } = await this.#moves(account);
    return account.inventory.size - away.length + arrivals.length;
  }

  /** A page of an account's devices: its own range (minus departures), then arrivals. */
  async listDevices(accountId: string, offset: number, limit: number): Promise<Device[]> {
    const account = this.requireAccount(accountId);
    const { away, arrivals } = await this.#moves(account);
    const ownCount = account.inventory.size - away.length;
    const homes: Home[] = [];
    for (let p = offset; p < ownCount && homes.length < limit; p++)
      homes.push({ account, index: nthPresent(p, away) });
    for (let p = Math.max(0, offset - ownCount); p < arrivals.length && homes.length < limit; p++) {
      const home = this.#home(arrivals[p] as string);
      if (home) homes.push(home);
    }
    return this.#view(homes);
  }

  /** Where a device sits in `listDevices` order, for cursor-paged APIs that resume after it. */
  async positionOf(accountId: string, nativeId: string): Promise<number | undefined> {
    if (!(await this.findDevice(accountId, nativeId))) return undefined;
    const account = this.requireAccount(accountId);
    const { away, arrivals } = await this.#moves(account);
    const own = account.inventory.indexOf(nativeId);
    if (own !== undefined) return own - away.filter((index) => index < own).length;
    return account.inventory.size - away.length + arrivals.indexOf(nativeId);
  }

  /** Every device of the platform whose generated record no longer tells all, wherever it lives. */
  async changedIds(): Promise<Set<string>> {
    const [overlays, owners] = await Promise.all([this.#overlays.entries(), this.#owners.entries()]);
    return new Set([...overlays.map(([id]) => id), ...owners.map(([id]) => id)]);
  }

  /**
   * The devices of an account that pass `filter`: the page [offset, offset + limit), and how many
   * there are in all (unless `count` is false: then the scan stops once the page is full). A full
   * scan, made in slices that let the event loop breathe in between, so one client filtering a few
   * million devices does not stall everyone else's requests. The changed devices are read once,
   * before the scan: a scan is one moment's view.
   */
  async scanDevices(
    accountId: string,
    filter: (d: Device) => boolean,
    offset: number,
    limit: number,
    count = true,
  ): Promise<{ total: number; devices: Device[] }> {
    const account = this.requireAccount(accountId);
    let changed = await this.#overlays.entries();
    if (await this.#settleDue(changed.map(([, overlay]) => overlay)))
      changed = await this.#overlays.entries();
    const overlays = new Map(changed);
    const owners = new Map(await this.#owners.entries());
    const { away, arrivals } = await this.#moves(account);
    const device = (record: DeviceRecord, home: NativeAccount) =>
      this.#compose(record, owners.get(record.nativeId) ?? home.id, overlays.get(record.nativeId));
    const devices: Device[] = [];
    let total = 0;
    let seen = 0;
    const consider = (candidate: Device): boolean => {
      if (!filter(candidate)) return false;
      if (total >= offset && devices.length < limit) devices.push(candidate);
      total++;
      return !count && devices.length >= limit;
    };
    const gone = new Set(away);
    for (let index = 0; index < account.inventory.size; index++) {
      if (++seen % SCAN_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      if (gone.has(index)) continue;
      if (consider(device(account.inventory.recordAt(index), account))) return { total, devices };
    }
    for (const nativeId of arrivals) {
      const home = this.#home(nativeId);
      if (home && consider(device(home.account.inventory.recordAt(home.index), home.account))) break;
    }
    return { total, devices };
  }

  // ---- changes --------------------------------------------------------------------------------

  /** Writes a device's overlay as `change` makes it from the stored one (an empty one if none). */
  async #change(nativeId: string, change: (overlay: DeviceOverlay) => DeviceOverlay): Promise<void> {
    await this.#overlays.update(nativeId, (current) => change({ ...current }));
  }

  /** Changes a device's native status now (synchronous platforms, completions). */
  async setStatus(nativeId: string, nativeStatus: string): Promise<void> {
    const now = this.clock.now();
    const activates = this.toCmoStatus(nativeStatus) === "ACTIVE";
    const home = activates ? this.#home(nativeId) : undefined;
    const generatedActive = home?.account.inventory.recordAt(home.index).activatedAt !== undefined;
    await this.#change(nativeId, (overlay) => {
      overlay.nativeStatus = nativeStatus;
      overlay.updatedAt = now;
      if (home && !generatedActive && overlay.activatedAt === undefined) overlay.activatedAt = now;
      return overlay;
    });
  }

  /** Sets attributes the native API edits (merged with earlier edits). */
  async setFields(nativeId: string, fields: Record<string, string>): Promise<void> {
    const now = this.clock.now();
    await this.#change(nativeId, (overlay) => {
      overlay.fields = { ...overlay.fields, ...fields };
      overlay.updatedAt = now;
      return overlay;
    });
  }

  async moveDevice(nativeId: string, toAccountId: string): Promise<void> {
    const home = this.#home(nativeId);
    if (!home) throw new Error(`${this.spec.code}: unknown device ${nativeId}`);
    this.requireAccount(toAccountId);
    const from = (await this.#owners.get(nativeId)) ?? home.account.id;
    if (from === toAccountId) return;
    // Deleted first, so the owners stay in arrival order: an account's arrivals are read from them.
    await this.#owners.delete(nativeId);
    if (toAccountId !== home.account.id) await this.#owners.set(nativeId, toAccountId);
    const now = this.clock.now();
    await this.#change(nativeId, (overlay) => {
      overlay.updatedAt = now;
      return overlay;
    });
  }

  /** Marks a device as changing under `operationId`, showing `during` meanwhile if the family has one. */
  async markPending(
    nativeId: string,
    operationId: string,
    from: string,
    during: string | undefined,
  ): Promise<void> {
    const now = this.clock.now();
    await this.#change(nativeId, (overlay) => {
      overlay.pendingOperation = operationId;
      overlay.pendingFrom = from;
      if (during !== undefined) {
        overlay.nativeStatus = during;
        overlay.updatedAt = now;
      }
      return overlay;
    });
  }

  /** Ends the in-flight mark of `operationId` (a later operation's mark stays). */
  async clearPending(nativeId: string, operationId: string): Promise<void> {
    await this.#change(nativeId, (overlay) => {
      if (overlay.pendingOperation === operationId) {
        delete overlay.pendingOperation;
        delete overlay.pendingFrom;
      }
      return overlay;
    });
  }

  // ---- snapshots --------------------------------------------------------------------------------

  async snapshot(): Promise<DeviceBookSnapshot> {
    const [overlays, owners] = await Promise.all([this.#overlays.entries(), this.#owners.entries()]);
    return {
      overlays: Object.fromEntries(overlays.map(([k, v]) => [k, { ...v }])),
      owners: Object.fromEntries(owners),
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

  async restore(part: DeviceBookSnapshot): Promise<void> {
    await Promise.all([this.#overlays.clear(), this.#owners.clear()]);
    for (const [nativeId, overlay] of Object.entries(part.overlays))
      await this.#overlays.set(nativeId, { ...overlay });
    for (const [nativeId, owner] of Object.entries(part.owners)) await this.#owners.set(nativeId, owner);
  }

  /** Back to the generated inventory. */
  async reset(): Promise<void> {
    await this.restore({ overlays: {}, owners: {} });
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
