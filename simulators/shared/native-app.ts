import { Hono, type MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Operation } from "../../src/config/schema.js";
import { decideFault } from "../../src/engine/faults.js";
import { durationSampler } from "../../src/engine/latency.js";
import type { Journal } from "../../src/observability/journal.js";
import type { Metrics } from "../../src/observability/metrics.js";
import type { InProcessEnv } from "../../src/transport/in-process.js";
import { RESET_MARKER } from "../../src/transport/types.js";
import { markGuard, probeOf } from "./doc-hooks.js";
import { operationProfile } from "./profile.js";
import type { PlatformRuntime } from "./runtime.js";
import type { GuardOptions, NativeApiKit, NativeEnv } from "./types.js";

export interface NativeAppOptions {
  journal?: Journal | undefined;
  metrics?: Metrics | undefined;
  /** Called for each injected fault and rate-limit refusal, for metrics. */
  onEvent?:
    | ((event: { platform: string; kind: "fault" | "rate-limited" | "outage"; detail: string }) => void)
    | undefined;
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
export function createNativeApp(runtime: PlatformRuntime, options: NativeAppOptions = {}): Hono<NativeEnv> {
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
    options.journal?.add({
      at: arrived,
      face: "platform",
      platform: runtime.code,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      latencyMs: clock.now() - arrived,
      caller,
      fault: c.res.headers.get("x-cmo-sim-fault") ?? undefined,
      pacedMs: pacedMsOf(c.env),
    });
  });

  const guard = (
    operation: Operation,
    { write = false, public: open = false }: GuardOptions = {},
  ): MiddlewareHandler<NativeEnv> => {
    return markGuard({ operation, write, public: open }, async (c, next) => {
      // A platform that is down answers everyone the same, before looking at credentials.
      const outage = runtime.outages.activeAt(runtime.now());
      if (outage) {
        options.onEvent?.({ platform: runtime.code, kind: "outage", detail: outage.reason });
        const res = api.renderError(c, {
          kind: "unavailable",
          status: outage.status,
          message: `Service unavailable: ${outage.reason}`,
        });
        res.headers.set("x-cmo-sim-fault", "outage");
        return res;
      }

      let rateKey = c.get("rateKey");
      if (!open) {
        const identity = await api.authenticate(c, runtime);
        if ("kind" in identity) return api.renderError(c, identity);
        c.set("account", identity);
        rateKey ??= identity.id;
      }
      // A public route (a token endpoint) counts per the key an earlier middleware set, else for all callers together.
      rateKey ??= "public";

      const decision = runtime.limiter.take(rateKey, operation);
      if (!decision.allowed) {
        options.onEvent?.({
          platform: runtime.code,
          kind: "rate-limited",
          detail: decision.refusedBy?.name ?? "",
        });
        return api.renderError(c, {
          kind: "rate-limited",
          status: 429,
          message: `Rate limit exceeded: ${decision.refusedBy?.limit} requests per ${decision.refusedBy?.name}`,
          headers: {
            ...api.rateLimitHeaders?.(decision, true),
            ...(api.retryAfter === false
              ? {}
              : { "Retry-After": String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) }),
          },
        });
      }
      const release = runtime.gate.tryAcquire(rateKey);
      if (!release) {
        options.onEvent?.({ platform: runtime.code, kind: "rate-limited", detail: "concurrency" });
        return api.renderError(c, {
          kind: "rate-limited",
          status: 429,
          message: `Only ${runtime.profile.maxConcurrent} concurrent request(s) allowed`,
          headers: api.rateLimitHeaders?.(decision, true) ?? {},
        });
      }

      try {
        const { latency, faults } = operationProfile(runtime.profile, operation);
        const stream = runtime.requestStream(operation, c.req.path);
        const fault = decideFault(faults, stream, write, runtime.options.timeScale);
        const delay = durationSampler(latency, runtime.options.timeScale)(stream);
        const { applyLatency } = runtime.options;

        if (fault.kind === "timeout") {
          options.onEvent?.({ platform: runtime.code, kind: "fault", detail: "timeout" });
          if (applyLatency) await clock.sleep(fault.afterMs);
          return tagged(
            api.renderError(c, {
              kind: "gateway-timeout",
              status: 504,
              message: "Upstream request timed out",
            }),
            "timeout",
          );
        }
        if (applyLatency && delay > 0) await clock.sleep(delay);
        if (fault.kind === "error") {
          options.onEvent?.({ platform: runtime.code, kind: "fault", detail: `error ${fault.status}` });
          return tagged(
            api.renderError(c, {
              kind: fault.status === 503 ? "unavailable" : "server-error",
              status: fault.status,
              message: "Internal error while processing the request",
            }),
            "error",
          );
        }

        await next();

        if (fault.kind === "ghost" && c.res.status < 400) {
          options.onEvent?.({ platform: runtime.code, kind: "fault", detail: `ghost ${fault.mode}` });
          c.res =
            fault.mode === "connection-reset"
              ? new Response(null, {
                  status: 502,
                  headers: { [RESET_MARKER]: "1", "x-cmo-sim-fault": "ghost" },
                })
              : tagged(
                  api.renderError(c, {
                    kind: "gateway-timeout",
                    status: 504,
                    message: "Upstream request timed out",
                  }),
                  "ghost",
                );
          return;
        }
        const headers = api.rateLimitHeaders?.(decision, false);
        if (headers) for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
      } finally {
        release();
      }
    });
  };

  const kit: NativeApiKit = { runtime, guard, fail: (c, error) => api.renderError(c, error) };
  api.routes(app, kit);

  app.notFound(async (c) => {
    const probe = probeOf(c.env);
    if (probe?.error === "missing-credentials") {
      const identity = await api.authenticate(c, runtime);
      if ("kind" in identity) return api.renderError(c, identity);
    } else if (probe) return api.renderError(c, probe.error);
    return api.renderError(c, {
      kind: "not-found",
      status: 404,
      message: `No resource at ${c.req.method} ${c.req.path}`,
    });
  });
  app.onError((error, c) => {
    // A family handler that throws is a simulator bug, but the caller still gets the platform's own 500.
    console.error(`[${runtime.code}] ${c.req.method} ${c.req.path}:`, error);
    return api.renderError(c, { kind: "server-error", status: 500, message: "Internal server error" });
  });
  return app;
}

function tagged(response: Response, fault: string): Response {
  response.headers.set("x-cmo-sim-fault", fault);
  return response;
}
