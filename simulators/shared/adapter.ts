import type { CmoPolicy } from "../../src/cmo/policy.js";
import type { CmoStatus, PlatformCode } from "../../src/config/schema.js";
import type { Clock } from "../../src/engine/clock.js";
import type { Pacer } from "../../src/engine/pacing.js";
import type { NativeExchange, Transport } from "../../src/transport/types.js";
import type { NativeErrorKind, StatusVocabulary } from "./vocabulary.js";

/**
 * The CMO side of a platform: CMO operations in, native calls out, native answers back as
 * normalised devices. Adapters only ever speak HTTP semantics through a Transport, so the same
 * code drives the in-process fake, another simulator process or a real carrier sandbox.
 */

export interface Characteristic {
  name: string;
  value: string;
}

/** What the CMO needs of a native device, whatever the platform called its fields. */
export interface DeviceView {
  nativeId: string;
  status: CmoStatus;
  nativeStatus: string;
  accountId?: string | undefined;
  offering?: string | undefined;
  /** ISO date the product started (first activation, else when it was added). */
  startDate?: string | undefined;
  iccid?: string | undefined;
  imsi?: string | undefined;
  msisdn?: string | undefined;
  /** Characteristics of the simCard or terminal sub-product, as this platform supplies them. */
  characteristics: Characteristic[];
  /** Characteristics of the dataConnectivity sub-product (cellular). */
  connectivity?: Characteristic[] | undefined;
  usage?: { bytes: number; since: string; until: string } | undefined;
}

export type AdapterFailureKind = NativeErrorKind | "network" | "protocol";

export interface AdapterFailure {
  kind: AdapterFailureKind;
  /** The platform's HTTP status, or 0 when there was no answer. */
  status: number;
  message: string;
  /** The native answer, for `externalErrors` and monitor entries. */
  exchange?: NativeExchange | undefined;
  retryAfterMs?: number | undefined;
}

export type Outcome<T> =
  | { ok: true; value: T; exchange: NativeExchange }
  | { ok: false; failure: AdapterFailure };

export type ChangeAccepted =
  | { mode: "done"; device: DeviceView | undefined }
  /** `ticket` is opaque to the CMO and stored in its monitor; the adapter polls with it. */
  | { mode: "pending"; ticket: string };

export interface PollResult {
  state: "IN_PROGRESS" | "DONE" | "FAILED";
  failure?: AdapterFailure | undefined;
}

export interface AdapterAccount {
  id: string;
  name: string;
  tenant: string;
  username: string;
  secret: string;
}

export interface CmoAdapter {
  get(account: AdapterAccount, nativeId: string): Promise<Outcome<DeviceView>>;
  /** A page of the account's devices and, where the platform tells, the account's total. */
  list(
    account: AdapterAccount,
    offset: number,
    limit: number,
  ): Promise<Outcome<{ items: DeviceView[]; total: number }>>;
  changeStatus(
    account: AdapterAccount,
    device: DeviceView,
    target: CmoStatus,
  ): Promise<Outcome<ChangeAccepted>>;
  poll(account: AdapterAccount, ticket: string): Promise<Outcome<PollResult>>;
  transfer(
    account: AdapterAccount,
    device: DeviceView,
    target: AdapterAccount,
  ): Promise<Outcome<ChangeAccepted>>;
  /** Usage where the platform serves it apart from the device (Cisco's ctdUsages). */
  getUsage?(account: AdapterAccount, nativeId: string): Promise<Outcome<NonNullable<DeviceView["usage"]>>>;
}

export interface AdapterContext {
  code: PlatformCode;
  transport: Transport;
  clock: Clock;
  vocabulary: StatusVocabulary;
  /** The CMO's live policy for the platform: sync wait, call timeout and pacing, never the fake's behaviour. */
  profile: () => CmoPolicy;
  /** The platform's outbound queue: every native call waits its turn here. */
  pacer: Pacer;
}

export type AdapterFactory = (context: AdapterContext) => CmoAdapter;

export function ok<T>(value: T, exchange: NativeExchange): Outcome<T> {
  return { ok: true, value, exchange };
}

export function failed<T>(failure: AdapterFailure): Outcome<T> {
  return { ok: false, failure };
}

/** A failure the CMO side decides without asking the platform: status 0, nothing was sent. */
export function unsent<T>(kind: AdapterFailureKind, message: string): Outcome<T> {
  return failed({ kind, status: 0, message });
}
