import type { Context, MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import type { Operation } from "../../src/config/schema.js";
import { decideFault, type FaultDecision } from "../../src/engine/faults.js";
import { durationSampler } from "../../src/engine/latency.js";
import type { RateDecision } from "../../src/engine/rate-limit.js";
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
  };
}

type GuardStep = MiddlewareHandler<GuardEnv>;

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
const outage: GuardStep = async (c, next) => {
  const { runtime } = c.get("guard");
  const window = runtime.outages.activeAt(runtime.now());
  if (!window) return next();
  report(c, "outage", window.reason);
  const message = `Service unavailable: ${window.reason}`;
  return refuse(c, { kind: "unavailable", status: window.status, message }, "outage");
};

/** The family's own authentication sets the account, which is also the rate key unless one was set before. */
const authentication: GuardStep = async (c, next) => {
  const { runtime, api, public: open } = c.get("guard");
  if (open) return next();
  const identity = await api.authenticate(native(c), runtime);
  if ("kind" in identity) return refuse(c, identity);
  c.set("account", identity);
  c.set("rateKey", c.get("rateKey") ?? identity.id);
  return next();
};

/** The profile's rate limits, per rate key; a public route without one counts every caller together. */
const rateLimit: GuardStep = async (c, next) => {
  const { runtime, api, operation } = c.get("guard");
  const rateKey = c.get("rateKey") ?? "public";
  const decision = runtime.limiter.take(rateKey, operation);
  if (decision.allowed) {
    c.set("rateKey", rateKey);
    c.set("rateDecision", decision);
    return next();
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
const oneAtATime: GuardStep = async (c, next) => {
  const { runtime, api } = c.get("guard");
  const release = runtime.gate.tryAcquire(c.get("rateKey"));
  if (!release) {
    report(c, "rate-limited", "concurrency");
    return refuse(c, {
      kind: "rate-limited",
      status: 429,
      message: `Only ${runtime.profile.maxConcurrent} concurrent request(s) allowed`,
      headers: api.rateLimitHeaders?.(c.get("rateDecision"), true) ?? {},
    });
  }
  try {
    await next();
  } finally {
    release();
  }
};

/** Draws the request's fault, then its latency, from the request's own stream (see requestStream). */
const drawFault: GuardStep = async (c, next) => {
  const { runtime, operation, write } = c.get("guard");
  const { latency, faults } = operationProfile(runtime.profile, operation);
  const stream = runtime.requestStream(operation, c.req.path);
  const { timeScale } = runtime.options;
  c.set("fault", decideFault(faults, stream, write, timeScale));
  c.set("latencyMs", durationSampler(latency, timeScale)(stream));
  return next();
};

/** An upstream timeout answers 504 after its own wait, in place of the latency and the route. */
const timeoutFault: GuardStep = async (c, next) => {
  const fault = c.get("fault");
  if (fault.kind !== "timeout") return next();
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
const latency: GuardStep = async (c, next) => {
  const { runtime } = c.get("guard");
  const delay = c.get("latencyMs");
  if (runtime.options.applyLatency && delay > 0) await runtime.clock.sleep(delay);
  return next();
};

/** A server error, after the latency, in place of the route. */
const errorFault: GuardStep = async (c, next) => {
  const fault = c.get("fault");
  if (fault.kind !== "error") return next();
  report(c, "fault", `error ${fault.status}`);
  const kind = fault.status === 503 ? "unavailable" : "server-error";
  return refuse(
    c,
    { kind, status: fault.status, message: "Internal error while processing the request" },
    "error",
  );
};

/** The rate-limit headers a platform sends (Aeris' X-RateLimit-*) on the route's own answer, not on a fault's. */
const rateLimitHeaders: GuardStep = async (c, next) => {
  await next();
  if (c.res.headers.has(FAULT_HEADER)) return;
  const headers = c.get("guard").api.rateLimitHeaders?.(c.get("rateDecision"), false);
  if (headers) for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
};

/** A ghost: the route runs and its change stands, but a successful answer is lost (a 504 or a reset). */
const ghostSuccess: GuardStep = async (c, next) => {
  await next();
  const fault = c.get("fault");
  if (fault.kind !== "ghost" || c.res.status >= 400) return;
  report(c, "fault", `ghost ${fault.mode}`);
  c.res =
    fault.mode === "connection-reset"
      ? new Response(null, { status: 502, headers: { [RESET_MARKER]: "1", [FAULT_HEADER]: "ghost" } })
      : refuse(c, { kind: "gateway-timeout", status: 504, message: "Upstream request timed out" }, "ghost");
};

/**
 * The native guard: every guarded native request passes these steps in this order, outermost first,
 * and reaches the route only through all of them. This list is the documentation of the order.
 * What runs after the route does so in reverse: a ghost replaces the route's answer first, then the
 * rate-limit headers go on whatever answer is still the route's own, then the gate is released.
 */
export const NATIVE_GUARD: readonly GuardStep[] = [
  outage,
  authentication,
  rateLimit,
  oneAtATime,
  drawFault,
  timeoutFault,
  latency,
  errorFault,
  rateLimitHeaders,
  ghostSuccess,
];

const guardChain = every(...NATIVE_GUARD);

/** The guard middleware of one route: the chain above, run with the route's scope. */
export function nativeGuard(scope: GuardScope): MiddlewareHandler<NativeEnv> {
  const { operation, write } = scope;
  return markGuard({ operation, write, public: scope.public }, (c, next) => {
    guarded(c).set("guard", scope);
    return guardChain(c, next);
  });
}
