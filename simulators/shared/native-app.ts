import { type Context, Hono } from "hono";
import { routePath } from "hono/route";
import type { Journal } from "../../src/observability/journal.js";
import type { Metrics } from "../../src/observability/metrics.js";
import { StoreUnavailableError } from "../../src/store/unavailable.js";
import type { InProcessEnv } from "../../src/transport/in-process.js";
import { probeOf } from "./doc-hooks.js";
import { FAULT_HEADER, type GuardEvent, nativeGuard } from "./native-guard.js";
import type { PlatformRuntime } from "./runtime.js";
import type { NativeApiKit, NativeEnv, NativeError, PlatformDefinition } from "./types.js";

export interface NativeAppOptions {
  journal?: Journal | undefined;
  metrics?: Metrics | undefined;
  /** Called for each injected fault and rate-limit refusal, for metrics. */
  onEvent?: ((event: GuardEvent) => void) | undefined;
}

function callerOf(env: unknown): "client" | "cmo-adapter" {
  return (env as { caller?: string } | undefined)?.caller === "cmo-adapter" ? "cmo-adapter" : "client";
}

function pacedMsOf(env: unknown): number | undefined {
  return (env as InProcessEnv | undefined)?.pacedMs;
}

/**
 * A platform's native API as its own Hono app. Everything platforms share (journal, the guard
 * chain, unknown routes, unexpected errors) is here; the family states its routes, its auth and
 * its error envelope.
 */
export function createNativeApp(
  runtime: PlatformRuntime<PlatformDefinition>,
  options: NativeAppOptions = {},
): Hono<NativeEnv> {
  const api = runtime.definition.api;
  const app = new Hono<NativeEnv>();
  const { clock } = runtime.options;

  app.use("*", async (c, next) => {
    if (probeOf(c.env)) return next();
    const arrived = clock.now();
    await next();
    const caller = callerOf(c.env);
    options.metrics?.observe(
      {
        face: "platform",
        route: routePath(c, -1),
        method: c.req.method,
        status: c.res.status,
        platform: runtime.code,
        caller,
      },
      (clock.now() - arrived) / 1000,
    );
    await options.journal?.add({
      at: arrived,
      face: "platform",
      platform: runtime.code,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      latencyMs: clock.now() - arrived,
      caller,
      fault: c.res.headers.get(FAULT_HEADER) ?? undefined,
      pacedMs: pacedMsOf(c.env),
    });
  });

  const guard: NativeApiKit["guard"] = (operation, { write = false, public: open = false } = {}) =>
    nativeGuard({ runtime, api, onEvent: options.onEvent, operation, write, public: open });
  const fail = (c: Context, error: NativeError) => api.renderError(c, error, runtime);

  const kit: NativeApiKit = { runtime, guard, fail };
  api.routes(app, kit);

  app.notFound(async (c) => {
    const probe = probeOf(c.env);
    if (probe?.error === "missing-credentials") {
      const identity = await api.authenticate(c, runtime);
      if ("kind" in identity) return fail(c, identity);
    } else if (probe) return fail(c, probe.error);
    return fail(c, {
      kind: "not-found",
      status: 404,
      message: `No resource at ${c.req.method} ${c.req.path}`,
    });
  });
  app.onError((error, c) => {
    // The shared store away is the platform being unavailable for a moment, as a carrier's would be.
    if (error instanceof StoreUnavailableError)
      return fail(c, { kind: "unavailable", status: 503, message: "Service temporarily unavailable" });
    // A family handler that throws is a simulator bug, but the caller still gets the platform's own 500.
    console.error(`[${runtime.code}] ${c.req.method} ${c.req.path}:`, error);
    return fail(c, { kind: "server-error", status: 500, message: "Internal server error" });
  });
  return app;
}
