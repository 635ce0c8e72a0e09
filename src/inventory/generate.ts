import { en, Faker } from "@faker-js/faker";
import type { CmoStatus } from "../config/schema.js";
import { Random, type RandomStream } from "../engine/random.js";
import { padDigits, withLuhn } from "./identifiers.js";
import {
  type CellularNumbering,
  MODULE_TACS,
  type NumberingPlan,
  type SatelliteNumbering,
} from "./numbering.js";
import { type IdRange, idRange } from "./ranges.js";

/**
 * A platform account's inventory as a pure function of (seed, platform, account, index): record i
 * is derived on demand, never stored, so an account of a million SIMs costs nothing until read and
 * the same seed gives the same inventory, byte for byte, in any process. Identifiers are issued in
 * sequential ranges, as carriers issue SIM batches, which also makes every lookup O(1).
 */

/** Generated dates lie before this instant, whatever the wall clock says, so output is reproducible. */
export const INVENTORY_EPOCH = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

export interface TerminalDetails {
  name: string;
  model: string;
  latitude: number;
  longitude: number;
  mobilityType: "Fixed" | "Maritime" | "Land mobile";
  antennaCode: string;
  imoNumber: string;
  mmsi: string;
}

export interface DeviceRecord {
  index: number;
  /** ICCID for cellular, terminal serial number for satellite. */
  nativeId: string;
  iccid?: string;
  imsi?: string;
  msisdn?: string;
  imei: string;
  eid?: string;
  status: CmoStatus;
  ratePlan: string;
  communicationPlan: string;
  offering: string;
  label: string;
  addedAt: number;
  activatedAt: number | undefined;
  updatedAt: number;
  usageBytes: number;
  usageSince: number;
  terminal?: TerminalDetails;
}

export interface AccountRef {
  platform: string;
  accountId: string;
  size: number;
}

/** Statuses of one block of `BLOCK` records: counts follow the weights, with floors for ACTIVE/SUSPENDED. */
const BLOCK = 20;
const FLOOR_PER_BLOCK = 2;

export function blockComposition(weights: Partial<Record<CmoStatus, number>>): CmoStatus[] {
  const entries = Object.entries(weights).filter(([, w]) => (w as number) > 0) as [CmoStatus, number][];
  if (entries.length === 0) throw new RangeError("status weights need at least one positive weight");
  const counts = new Map<CmoStatus, number>();
  for (const floored of ["ACTIVE", "SUSPENDED"] as const) {
    if (entries.some(([s]) => s === floored)) counts.set(floored, FLOOR_PER_BLOCK);
  }
  const slots = BLOCK - [...counts.values()].reduce((a, b) => a + b, 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  // Largest remainder: exact shares of the remaining slots, leftovers to the largest fractions.
  const shares = entries.map(([status, w]) => ({ status, exact: (slots * w) / total }));
  let given = 0;
  for (const share of shares) {
    const whole = Math.floor(share.exact);
    counts.set(share.status, (counts.get(share.status) ?? 0) + whole);
    given += whole;
  }
  shares.sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)));
  for (let i = 0; given < slots; i++, given++) {
    const share = shares[i % shares.length] as { status: CmoStatus };
    counts.set(share.status, (counts.get(share.status) ?? 0) + 1);
  }
  const block: CmoStatus[] = [];
  for (const [status, n] of counts) for (let i = 0; i < n; i++) block.push(status);
  return block;
}

const DEVICE_KINDS = ["meter", "tracker", "gateway", "sensor", "pos", "kiosk"];
const USAGE_PERIOD_START = Date.UTC(2025, 11, 1);
const NEVER_ACTIVATED = new Set<CmoStatus>(["INVENTORY", "CREATED", "INACTIVE"]);

interface CellularRanges {
  iccidPrefix: string;
  iccidSerialWidth: number;
  iccidStart: number;
  imsiPrefix: string;
  imsiStart: number;
  msisdnPrefix: string;
  msisdnWidth: number;
  msisdnStart: number;
}

/** Generated records an account keeps at hand, oldest dropped first. */
const RECENT_RECORDS = 256;

export class AccountInventory {
  readonly #random: Random;
  readonly #block: CmoStatus[];
  readonly #cellular: CellularRanges | undefined;
  readonly #serialStart: number;
  #cachedBlock = -1;
  #cachedPattern: CmoStatus[] = [];
  /** Records generated lately: one CMO read asks a platform for the same device several times. */
  readonly #recent = new Map<number, DeviceRecord>();
  #faker: Faker | undefined;

  constructor(
    seed: number | string,
    readonly ref: AccountRef,
    readonly plan: NumberingPlan,
    statusWeights: Partial<Record<CmoStatus, number>>,
    /** Bumped by the owner when this account's ranges would overlap a sibling account's. */
    variant = 0,
  ) {
    this.#random = new Random(seed);
    this.#block = blockComposition(statusWeights);
    const ranges = this.#random.stream("inventory", ref.platform, ref.accountId, "ranges", variant);
    if (plan.kind === "cellular") {
      this.#cellular = cellularRanges(plan, ref, ranges);
      this.#serialStart = 0;
    } else {
      this.#cellular = undefined;
      // Serials start at 10^(digits-1): no leading zeros, and never more digits than the plan has.
      const lowest = 10 ** (plan.serialDigits - 1);
      const room = 10 ** plan.serialDigits - lowest - ref.size;
      if (room < 0)
        throw new RangeError(
          `${ref.platform} account ${ref.accountId}: ${ref.size} terminals do not fit ${plan.serialDigits} serial digits`,
        );
      this.#serialStart = lowest + Math.floor(ranges.next() * Math.max(1, room));
    }
  }

  get size(): number {
    return this.ref.size;
  }

  /**
   * The identifiers this account issues, which must not overlap another account's of the same
   * platform for lookups to be unambiguous (ICCIDs without their check digit). None when empty.
   */
  get ranges(): IdRange[] {
    const { size } = this.ref;
    if (size === 0) return [];
    const c = this.#cellular;
    if (!c) {
      const plan = this.plan as SatelliteNumbering;
      return [idRange("serial", plan.serialPrefix, this.#serialStart, size, plan.serialDigits)];
    }
    return [
      idRange("iccid", c.iccidPrefix, c.iccidStart, size, c.iccidSerialWidth),
      idRange("imsi", c.imsiPrefix, c.imsiStart, size, 15 - c.imsiPrefix.length),
      idRange("msisdn", c.msisdnPrefix, c.msisdnStart, size, c.msisdnWidth),
    ];
  }

  nativeIdAt(index: number): string {
    const c = this.#cellular;
    if (c) return withLuhn(c.iccidPrefix + padDigits(c.iccidStart + index, c.iccidSerialWidth));
    const plan = this.plan as SatelliteNumbering;
    return plan.serialPrefix + padDigits(this.#serialStart + index, plan.serialDigits);
  }

  /** Index of a native id (ICCID or serial) in this account's range, or undefined. */
  indexOf(nativeId: string): number | undefined {
    let serial: number;
    const c = this.#cellular;
    if (c) {
      if (
        nativeId.length !== c.iccidPrefix.length + c.iccidSerialWidth + 1 ||
        !nativeId.startsWith(c.iccidPrefix)
      )
        return undefined;
      if (withLuhn(nativeId.slice(0, -1)) !== nativeId) return undefined;
      serial = Number(nativeId.slice(c.iccidPrefix.length, -1)) - c.iccidStart;
    } else {
      const plan = this.plan as SatelliteNumbering;
      if (
        !nativeId.startsWith(plan.serialPrefix) ||
        nativeId.length !== plan.serialPrefix.length + plan.serialDigits
      )
        return undefined;
      serial = Number(nativeId.slice(plan.serialPrefix.length)) - this.#serialStart;
    }
    return Number.isInteger(serial) && serial >= 0 && serial < this.ref.size ? serial : undefined;
  }

  indexOfImsi(imsi: string): number | undefined {
    const c = this.#cellular;
    if (!c || imsi.length !== 15 || !imsi.startsWith(c.imsiPrefix)) return undefined;
    const i = Number(imsi.slice(c.imsiPrefix.length)) - c.imsiStart;
    return Number.isInteger(i) && i >= 0 && i < this.ref.size ? i : undefined;
  }

  indexOfMsisdn(msisdn: string): number | undefined {
    const c = this.#cellular;
    const digits = msisdn.replace(/^\+/, "");
    if (!c || digits.length !== c.msisdnPrefix.length + c.msisdnWidth || !digits.startsWith(c.msisdnPrefix))
      return undefined;
    const i = Number(digits.slice(c.msisdnPrefix.length)) - c.msisdnStart;
    return Number.isInteger(i) && i >= 0 && i < this.ref.size ? i : undefined;
  }

  statusAt(index: number): CmoStatus {
    const blockNo = Math.floor(index / BLOCK);
    if (blockNo !== this.#cachedBlock) {
      this.#cachedPattern = this.#random
        .stream("inventory", this.ref.platform, this.ref.accountId, "block", blockNo)
        .shuffle([...this.#block]);
      this.#cachedBlock = blockNo;
    }
    return this.#cachedPattern[index % BLOCK] as CmoStatus;
  }

  /** The generated record of `index`; the same object for a while, so never change it. */
  recordAt(index: number): DeviceRecord {
    let record = this.#recent.get(index);
    if (record === undefined) {
      record = this.#generate(index);
      if (this.#recent.size >= RECENT_RECORDS)
        this.#recent.delete(this.#recent.keys().next().value as number);
      this.#recent.set(index, record);
    }
    return record;
  }

  #generate(index: number): DeviceRecord {
    if (!(index >= 0 && index < this.ref.size))
      throw new RangeError(`index ${index} outside ${this.ref.platform} account ${this.ref.accountId}`);
    const s = this.#deviceStream(index);
    const status = this.statusAt(index);
    const { addedAt, activatedAt, updatedAt } = datesOf(s, status);
    const imei = withLuhn(s.pick(MODULE_TACS) + s.digits(6));
    const usageBytes =
      status === "ACTIVE"
        ? Math.round(s.logNormal(48 * 1024 * 1024, 1.2))
        : status === "SUSPENDED"
          ? Math.round(s.logNormal(2 * 1024 * 1024, 1))
          : 0;
    const nativeId = this.nativeIdAt(index);
    const c = this.#cellular;
    const plan = this.plan;
    if (c && plan.kind === "cellular") {
      return {
        index,
        nativeId,
        iccid: nativeId,
        imsi: c.imsiPrefix + padDigits(c.imsiStart + index, 15 - c.imsiPrefix.length),
        msisdn: c.msisdnPrefix + padDigits(c.msisdnStart + index, c.msisdnWidth),
        imei,
        eid: s.next() < 0.3 ? `89049032${s.digits(24)}` : undefined,
        status,
        ratePlan: s.pick(plan.ratePlans),
        communicationPlan: s.pick(plan.communicationPlans),
        offering: s.pick(plan.offerings),
        label: `${s.pick(DEVICE_KINDS)}-${padDigits(index + 1, 6)}`,
        addedAt,
        activatedAt,
        updatedAt,
        usageBytes,
        usageSince: USAGE_PERIOD_START,
      };
    }
    const satellite = plan as SatelliteNumbering;
    return {
      index,
      nativeId,
      imei,
      status,
      ratePlan: s.pick(satellite.servicePlans),
      communicationPlan: s.pick(satellite.servicePlans),
      offering: s.pick(satellite.offerings),
      label: `terminal-${padDigits(index + 1, 6)}`,
      addedAt,
      activatedAt,
      updatedAt,
      usageBytes,
      usageSince: USAGE_PERIOD_START,
      terminal: this.#terminalDetails(s, satellite),
    };
  }

  /**
   * When the generated device was last modified, without generating the rest of its record:
   * the draws recordAt makes first, so both always agree. Orders by modification time need
   * this for every device of an account.
   */
  updatedAtOf(index: number): number {
    return datesOf(this.#deviceStream(index), this.statusAt(index)).updatedAt;
  }

  #deviceStream(index: number): RandomStream {
    return this.#random.stream("inventory", this.ref.platform, this.ref.accountId, "device", index);
  }

  /** Human-facing terminal details come from Faker, seeded from the record's own stream. */
  #terminalDetails(s: RandomStream, plan: SatelliteNumbering): TerminalDetails {
    this.#faker ??= new Faker({ locale: [en] });
    const faker = this.#faker;
    faker.seed(s.int(0, 2 ** 31 - 1));
    const mobilityType = s.weighted({ Fixed: 5, Maritime: 3, "Land mobile": 2 });
    return {
      name: mobilityType === "Maritime" ? `MV ${faker.person.lastName()}` : `${faker.location.city()} site`,
      model: s.pick(plan.models),
      latitude: faker.location.latitude({ precision: 5 }),
      longitude: faker.location.longitude({ precision: 5 }),
      mobilityType,
      antennaCode: `ANT-${faker.string.alphanumeric({ length: 6, casing: "upper" })}`,
      imoNumber:
        mobilityType === "Maritime" ? String(faker.number.int({ min: 9_000_000, max: 9_999_999 })) : "",
      mmsi:
        mobilityType === "Maritime" ? String(faker.number.int({ min: 200_000_000, max: 775_999_999 })) : "",
    };
  }
}

/**
 * The most SIMs or terminals one account can hold under a numbering plan: the bounds that
 * `cellularRanges` and the serial placement below enforce, solved for the size.
 */
export function maxAccountSize(plan: NumberingPlan): number {
  if (plan.kind === "satellite") return 10 ** plan.serialDigits - 10 ** (plan.serialDigits - 1);
  // The ICCID keeps two batch digits; the serial takes one digit more than the size has.
  const serialDigits = plan.iccidLength - 1 - plan.iccidIssuerPrefix.length - 2 - 1;
  const imsiWidth = 15 - (plan.mcc.length + plan.mnc.length + 3);
  const msisdnWidth = plan.msisdnSubscriberDigits - 1;
  return Math.min(10 ** serialDigits - 1, 10 ** imsiWidth / 2, 10 ** msisdnWidth / 2);
}

function cellularRanges(plan: CellularNumbering, ref: AccountRef, s: RandomStream): CellularRanges {
  // Serial digits must hold the whole account; the digits between the issuer prefix and the serial
  // name the batch and keep two accounts of one carrier apart.
  const serialWidth = Math.max(6, String(ref.size).length + 1);
  const bodyLength = plan.iccidLength - 1;
  const batchWidth = bodyLength - plan.iccidIssuerPrefix.length - serialWidth;
  if (batchWidth < 2) throw new RangeError(`${ref.platform}: ICCID too short for ${ref.size} SIMs`);
  const imsiPrefix = plan.mcc + plan.mnc + s.digits(3);
  const imsiWidth = 15 - imsiPrefix.length;
  const msisdnPrefix = plan.msisdnCountryCode + s.pick(plan.msisdnPrefixes) + s.digits(1);
  const msisdnWidth = plan.msisdnSubscriberDigits - 1;
  if (10 ** imsiWidth < ref.size * 2 || 10 ** msisdnWidth < ref.size * 2)
    throw new RangeError(`${ref.platform}: numbering plan too small for ${ref.size} SIMs`);
  return {
    iccidPrefix: plan.iccidIssuerPrefix + s.digits(batchWidth),
    iccidSerialWidth: serialWidth,
    iccidStart: Math.floor(s.next() * (10 ** serialWidth - ref.size)),
    imsiPrefix,
    imsiStart: Math.floor(s.next() * (10 ** imsiWidth - ref.size)),
    msisdnPrefix,
    msisdnWidth,
    msisdnStart: Math.floor(s.next() * (10 ** msisdnWidth - ref.size)),
  };
}

/** A device's dates: always the first draws of its stream, in this order. */
function datesOf(
  s: RandomStream,
  status: CmoStatus,
): { addedAt: number; activatedAt: number | undefined; updatedAt: number } {
  const addedAt = INVENTORY_EPOCH - Math.round(s.uniform(30, 1095) * DAY);
  const activatedAt = NEVER_ACTIVATED.has(status) ? undefined : addedAt + Math.round(s.uniform(1, 29) * DAY);
  const since = activatedAt ?? addedAt;
  return { addedAt, activatedAt, updatedAt: since + Math.round(s.next() * (INVENTORY_EPOCH - since)) };
}
