import type { Context, Hono, MiddlewareHandler } from "hono";
import type { Operation } from "../../src/config/schema.js";
import type { RateDecision } from "../../src/engine/rate-limit.js";
import type { DeviceRecord } from "../../src/inventory/generate.js";
import type { AdapterFactory } from "./adapter.js";
import type { PlatformSpec } from "./platform-spec.js";
import type { NativeAccount, PlatformRuntime } from "./runtime.js";
import type { NativeError, NativeErrorKind, StatusVocabulary } from "./vocabulary.js";

export type { NativeError, NativeErrorKind, StatusVocabulary };

/** Hono variables of a native request once it has passed authentication. */
export interface NativeEnv {
  Variables: {
    account: NativeAccount;
    /** Identity a rate limit is counted against (account, organisation, API user…). */
    rateKey: string;
  };
}

export type NativeContext = Context<NativeEnv>;

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
  /**
   * The native guard of one operation: the steps every native request passes before the route,
   * in the order `NATIVE_GUARD` lists them (simulators/shared/native-guard.ts).
   */
  guard(operation: Operation, options?: GuardOptions): MiddlewareHandler<NativeEnv>;
  /** Responds with the platform's own error envelope. */
  fail(c: Context, error: NativeError): Response;
}

/** One family's native API: its routes, its authentication and its error envelope. */
export interface NativeApi {
  /** The platform's own error envelope; `runtime` is the platform's, for what an answer stamps (the time). */
  renderError(c: Context, error: NativeError, runtime: PlatformRuntime): Response;
  /** Resolves the caller's account, or answers 401 in the platform's words. */
  authenticate(
    c: NativeContext,
    runtime: PlatformRuntime,
  ): NativeAccount | NativeError | Promise<NativeAccount | NativeError>;
  /** Headers a platform adds to a guarded route's own answer (Aeris' X-RateLimit-*), or to a 429. */
  rateLimitHeaders?(decision: RateDecision, refused: boolean): Record<string, string>;
  /** Whether a 429 carries Retry-After (default true); Aeris tells only through its X-RateLimit-* headers. */
  retryAfter?: boolean;
  /** Registers routes on the platform's own app (mounted at /platforms/{code}). */
  routes(app: Hono<NativeEnv>, kit: NativeApiKit): void;
}

/** A platform: what its runtime reads (the spec), how it presents itself, its native API and its CMO adapter. */
export interface PlatformDefinition extends PlatformSpec {
  /** The simulators/ folder that implements it. */
  family: string;
  /** Human name of the native product, for docs and the dashboard. */
  nativeName: string;
  connectivity: "CELLULAR" | "SATELLITE";
  /** How the CMO presents a status change of this platform (the seed page's table). */
  cmoMode: "sync" | "async";
  api: NativeApi;
  adapter: AdapterFactory;
}

export type { DeviceRecord };
