import type { Context, Hono } from "hono";
import type { CmoStatus, Operation, PlatformCode } from "../../src/config/schema.js";
import type { RateDecision } from "../../src/engine/rate-limit.js";
import type { DeviceRecord } from "../../src/inventory/generate.js";
import type { NumberingPlan } from "../../src/inventory/numbering.js";
import type { AdapterFactory } from "./adapter.js";
import type { ProfileDefaults } from "./profile.js";
import type { NativeAccount, PlatformRuntime } from "./runtime.js";

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

/** Hono variables of a native request once it has passed authentication. */
export interface NativeEnv {
  Variables: {
    account: NativeAccount;
    /** Identity a rate limit is counted against (account, organisation, API user…). */
    rateKey: string;
  };
}

export type NativeContext = Context<NativeEnv>;

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

export interface GuardOptions {
  /** A write: ghost faults (applied but answered with an error) only hit writes. */
  write?: boolean;
  /**
   * No authentication (token endpoints, which Aeris rate-limits too). The limit counts per the
   * `rateKey` an earlier middleware set, else for every caller together; `account` stays unset.
   */
  public?: boolean;
}

export interface NativeApiKit {
  runtime: PlatformRuntime;
  /** Authentication, outage, rate limit, faults and latency for one operation, in that order. */
  guard(operation: Operation, options?: GuardOptions): import("hono").MiddlewareHandler<NativeEnv>;
  /** Responds with the platform's own error envelope. */
  fail(c: Context, error: NativeError): Response;
}

/** One family's native API: its routes, its authentication and its error envelope. */
export interface NativeApi {
  /** The platform's own error envelope. */
  renderError(c: Context, error: NativeError): Response;
  /** Resolves the caller's account, or answers 401 in the platform's words. */
  authenticate(
    c: NativeContext,
    runtime: PlatformRuntime,
  ): NativeAccount | NativeError | Promise<NativeAccount | NativeError>;
  /** Headers a platform adds to every guarded answer (Aeris' X-RateLimit-*), or to a 429. */
  rateLimitHeaders?(decision: RateDecision, refused: boolean): Record<string, string>;
  /** Whether a 429 carries Retry-After (default true); Aeris tells only through its X-RateLimit-* headers. */
  retryAfter?: boolean;
  /** Registers routes on the platform's own app (mounted at /platforms/{code}). */
  routes(app: Hono<NativeEnv>, kit: NativeApiKit): void;
}

export interface PlatformDefinition {
  code: PlatformCode;
  /** The simulators/ folder that implements it. */
  family: string;
  /** Human name of the native product, for docs and the dashboard. */
  nativeName: string;
  connectivity: "CELLULAR" | "SATELLITE";
  /** How the CMO presents a status change of this platform (the seed page's table). */
  cmoMode: "sync" | "async";
  numbering: NumberingPlan;
  /** Mix of generated statuses (CMO vocabulary). */
  statusWeights: Partial<Record<CmoStatus, number>>;
  vocabulary: StatusVocabulary;
  defaults: ProfileDefaults;
  api: NativeApi;
  adapter: AdapterFactory;
}

export type { DeviceRecord };
