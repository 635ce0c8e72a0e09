import type { Context, MiddlewareHandler } from "hono";
import type { Operation } from "../../src/config/schema.js";
import { decideFault, type FaultDecision } from "../../src/engine/faults.js";
import { durationSampler } from "../../src/engine/latency.js";
import type { RateDecision, Release } from "../../src/engine/rate-limit.js";
import { RESET_MARKER } from "../../src/transport/types.js";
import { markGuard } from "./doc-hooks.js";
import { operationProfile } from "./profile.js";
import type { PlatformRuntime } from "./runtime.js";
import type { NativeApi, NativeEnv, NativeError } from "./types.js";

/** Names the fault that answered instead of the route (the journal records it). */
export const FAULT_HEADER = "x-cmo-sim-fault";

/** An injected fault or a refusal, reported for metrics. */
export interface GuardEvent {
  platform: string;
  kind: "fault" | "rate-limited" | "outage";
  detail: string;
}

/** What the guard of one route knows: its platform, the operation it counts as, and how it reports. */
export interface GuardScope {
  runtime: PlatformRuntime;
  api: NativeApi;
  onEvent: ((event: GuardEvent) => void) | undefined;
  operation: Operation;
  /** A write: only writes can be ghosted. */
  write: boolean;
  /** No authentication (a token endpoint). */
  public: boolean;
}

/** What the steps hand on to the steps after them, besides the account and the rate key. */
interface GuardEnv {
  Variables: NativeEnv["Variables"] & {
    guard: GuardScope;
    rateDecision: RateDecision;
    fault: FaultDecision;
    latencyMs: number;
    /** Gives back the one-at-a-time gate once the answer is complete. */
    release: Release;
  };
}

/**
 * A check before the route: an answer ends the request there, undefined lets it go on. Checks are
 * plain functions run in one loop, not middlewares: a chain of ten async middlewares kept ten
 * suspended frames (and their promises and closures) alive per request across the platform's
 * latency, about 14 KB each, which a load of slow requests paid for in garbage collection.
 */
type GuardCheck = (c: Context<GuardEnv>) => Response | undefined | Promise<Response | undefined>;

/** A step after the route, on its answer (`c.res`). */
type GuardFinish = (c: Context<GuardEnv>) => void;

/**
 * A guarded request's context is the route's own, holding more variables than routes see: Hono types
 * a context by its exact variables, so the two views of the one object are converted here.
 */
const guarded = (c: Context<NativeEnv>) => c as unknown as Context<GuardEnv>;
const native = (c: Context<GuardEnv>) => c as unknown as Context<NativeEnv>;

/** The platform's own error envelope, tagged with the fault that put it there if one did. */
function refuse(c: Context<GuardEnv>, error: NativeError, fault?: string): Response {
  const { api, runtime } = c.get("guard");
  const response = api.renderError(c, error, runtime);
  if (fault) response.headers.set(FAULT_HEADER, fault);
  return response;
}

function report(c: Context<GuardEnv>, kind: GuardEvent["kind"], detail: string): void {
  const { onEvent, runtime } = c.get("guard");
  onEvent?.({ platform: runtime.code, kind, detail });
}

/** A platform that is down answers everyone the same, before looking at credentials. */
const outage: GuardCheck = (c) => {
  const { runtime } = c.get("guard");
  const window = runtime.outages.activeAt(runtime.now());
  if (!window) return undefined;
  report(c, "outage", window.reason);
  const message = `Service unavailable: ${window.reason}`;
  return refuse(c, { kind: "unavailable", status: window.status, message }, "outage");
};

/** The family's own authentication sets the account, which is also the rate key unless one was set before. */
const authentication: GuardCheck = async (c) => {
  const { runtime, api, public: open } = c.get("guard");
  if (open) return undefined;
  const identity = await api.authenticate(native(c), runtime);
  if ("kind" in identity) return refuse(c, identity);
  c.set("account", identity);
  c.set("rateKey", c.get("rateKey") ?? identity.id);
  return undefined;
};

/** The profile's rate limits, per rate key; a public route without one counts every caller together. */
const rateLimit: GuardCheck = async (c) => {
  const { runtime, api, operation } = c.get("guard");
  const rateKey = c.get("rateKey") ?? "public";
  const decision = await runtime.limiter.take(rateKey, operation);
  if (decision.allowed) {
    c.set("rateKey", rateKey);
    c.set("rateDecision", decision);
    return undefined;
  }
  const rule = decision.refusedBy;
  report(c, "rate-limited", rule?.name ?? "");
  return refuse(c, {
    kind: "rate-limited",
    status: 429,
    message: `Rate limit exceeded: ${rule?.limit} requests per ${rule?.name}`,
    headers: {
      ...api.rateLimitHeaders?.(decision, true),
      ...(api.retryAfter === false
        ? {}
        : { "Retry-After": String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) }),
    },
  });
};

/** The profile's one-at-a-time gate (maxConcurrent), held per rate key until the answer is complete. */
const oneAtATime: GuardCheck = (c) => {
  const entered = c.get("guard").runtime.gate.tryAcquire(c.get("rateKey"));
  return entered instanceof Promise ? entered.then((release) => gated(c, release)) : gated(c, entered);
};

function gated(c: Context<GuardEnv>, release: Release | undefined) {
  if (release) {
    c.set("release", release);
    return undefined;
  }
  const { runtime, api } = c.get("guard");
  report(c, "rate-limited", "concurrency");
  return refuse(c, {
    kind: "rate-limited",
    status: 429,
    message: `Only ${runtime.profile.maxConcurrent} concurrent request(s) allowed`,
    headers: api.rateLimitHeaders?.(c.get("rateDecision"), true) ?? {},
  });
}

/** Draws the request's fault, then its latency, from the request's own stream (see requestStream). */
const drawFault: GuardCheck = (c) => {
  const { runtime, operation, write } = c.get("guard");
  const { latency, faults } = operationProfile(runtime.profile, operation);
  const stream = runtime.requestStream(operation, c.req.path);
  const { timeScale } = runtime.options;
  c.set("fault", decideFault(faults, stream, write, timeScale));
  c.set("latencyMs", durationSampler(latency, timeScale)(stream));
  return undefined;
};

/** An upstream timeout answers 504 after its own wait, in place of the latency and the route. */
const timeoutFault: GuardCheck = async (c) => {
  const fault = c.get("fault");
  if (fault.kind !== "timeout") return undefined;
  const { runtime } = c.get("guard");
  report(c, "fault", "timeout");
  if (runtime.options.applyLatency) await runtime.clock.sleep(fault.afterMs);
  return refuse(
    c,
    { kind: "gateway-timeout", status: 504, message: "Upstream request timed out" },
    "timeout",
  );
};

/** The platform's latency, on the clock; none where nothing may wait (a manual clock). */
const latency: GuardCheck = async (c) => {
  const { runtime } = c.get("guard");
  const delay = c.get("latencyMs");
  if (runtime.options.applyLatency && delay > 0) await runtime.clock.sleep(delay);
  return undefined;
};

/** A server error, after the latency, in place of the route. */
const errorFault: GuardCheck = (c) => {
  const fault = c.get("fault");
  if (fault.kind !== "error") return undefined;
  report(c, "fault", `error ${fault.status}`);
  const kind = fault.status === 503 ? "unavailable" : "server-error";
  return refuse(
    c,
    { kind, status: fault.status, message: "Internal error while processing the request" },
    "error",
  );
};

/** The rate-limit headers a platform sends (Aeris' X-RateLimit-*) on the route's own answer, not on a fault's. */
const rateLimitHeaders: GuardFinish = (c) => {
  const { api } = c.get("guard");
  // Most platforms send none: asked first, so their answers' headers are never searched.
  if (!api.rateLimitHeaders || c.res.headers.has(FAULT_HEADER)) return;
  const headers = api.rateLimitHeaders(c.get("rateDecision"), false);
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
};

/** A ghost: the route runs and its change stands, but a successful answer is lost (a 504 or a reset). */
const ghostSuccess: GuardFinish = (c) => {
  const fault = c.get("fault");
  if (fault.kind !== "ghost" || c.res.status >= 400) return;
  report(c, "fault", `ghost ${fault.mode}`);
  c.res =
    fault.mode === "connection-reset"
      ? new Response(null, { status: 502, headers: { [RESET_MARKER]: "1", [FAULT_HEADER]: "ghost" } })
      : refuse(c, { kind: "gateway-timeout", status: 504, message: "Upstream request timed out" }, "ghost");
};

/**
 * The native guard: every guarded native request passes these checks in this order and reaches the
 * route only if none answers. This list is the documentation of the order.
 */
export const NATIVE_GUARD: readonly GuardCheck[] = [
  outage,
  authentication,
  rateLimit,
  oneAtATime,
  drawFault,
  timeoutFault,
  latency,
  errorFault,
];

/**
 * What runs on the route's answer, in this order: a ghost replaces it first, then the rate-limit
 * headers go on whatever answer is still the route's own. The gate is released last, whatever
 * happened.
 */
export const AFTER_ROUTE: readonly GuardFinish[] = [ghostSuccess, rateLimitHeaders];

/** The guard middleware of one route: the lists above, run with the route's scope. */
export function nativeGuard(scope: GuardScope): MiddlewareHandler<NativeEnv> {
  const { operation, write } = scope;
  return markGuard({ operation, write, public: scope.public }, async (nativeContext, next) => {
    const c = guarded(nativeContext);
    c.set("guard", scope);
    try {
      for (const check of NATIVE_GUARD) {
        // Most checks decide at once: only a promise is awaited, so they cost no turn of the loop.
        const decided = check(c);
        const answer = decided instanceof Promise ? await decided : decided;
        if (answer) return answer;
      }
      await next();
      for (const finish of AFTER_ROUTE) finish(c);
    } finally {
      await c.get("release")?.();
    }
  });
}
