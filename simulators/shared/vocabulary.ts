/**
 * The words every platform module shares: its statuses and the errors it can answer with. A leaf
 * module, so that adapters, runtime and platform definitions can all name them without importing
 * one another.
 */
import type { CmoStatus } from "../../src/config/schema.js";

/** Errors every platform can produce; each renders them in its own envelope. */
export type NativeErrorKind =
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "bad-request"
  | "invalid-transition"
  | "conflict"
  | "rate-limited"
  | "unavailable"
  | "server-error"
  | "gateway-timeout"
  | "unsupported-media-type";

export interface NativeError {
  kind: NativeErrorKind;
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/**
 * A platform's vocabulary: native statuses, what they mean in the CMO, which native transitions
 * its own API accepts, and what to set natively for a CMO target.
 */
export interface StatusVocabulary {
  toCmo: Readonly<Record<string, CmoStatus>>;
  /** Native status for a generated inventory record (CMO status → native). */
  initial: Readonly<Partial<Record<CmoStatus, string>>>;
  /** Native status a CMO status change asks for. */
  target: Readonly<Partial<Record<CmoStatus, string>>>;
  /** Native status shown while a change to the key is in flight (GALAXY1's ACTIVATING…). */
  transitional?: Readonly<Record<string, string>>;
  /** Transitions the native API itself accepts: from → allowed targets. */
  nativeTransitions: Readonly<Record<string, readonly string[]>>;
}
