import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Clock } from "../engine/clock.js";
import type { Journal, JournalEntry } from "./journal.js";
import type { Logger } from "./log.js";
import type { Metrics } from "./metrics.js";

/** What request observation needs: the clock it times with, and where it records. */
export interface ObservePorts {
  readonly clock: Pick<Clock, "now">;
  readonly journal: Pick<Journal, "add">;
  readonly metrics: Pick<Metrics, "observe">;
  /** The CMO API's path template (`…/v5/{tenant}`): what comes before `{tenant}` marks CMO traffic. */
  readonly cmoBasePath: string;
}

/** Which face a path belongs to; native traffic is recorded by the platform apps themselves. */
function faceOf(path: string, cmoPrefix: string): JournalEntry["face"] | "platform" {
  if (path.startsWith("/platforms/")) return "platform";
  if (path.startsWith(cmoPrefix)) return "cmo";
  if (path.startsWith("/_sim")) return "admin";
  if (path.startsWith("/auth/")) return "auth";
  return "other";
}

/** The platform a CMO path names (`…/product/TMSP-8949…`), for the journal and metrics. */
function platformOf(path: string): string | undefined {
  const match = /\/product\/([A-Z0-9]{2,16})-/.exec(path);
  return match?.[1];
}

declare module "hono" {
  interface ContextVariableMap {
    /** The correlationId of the product or monitor a CMO answer carries, for the log line. */
    correlationId: string | undefined;
  }
}

/**
 * Journal, metrics and a structured log line for every request that is not a platform's own: a
 * request id (the client's `X-Request-Id`, or a new one, echoed back) and the correlationId the
 * answer carries tie a log line to what the client saw.
 */
export function observeRequests(ports: ObservePorts, logger?: Logger): MiddlewareHandler {
  const { clock, journal, metrics } = ports;
  const cmoPrefix = ports.cmoBasePath.split("{tenant}")[0] as string;
  return async (c, next) => {
    const path = c.req.path;
    const face = faceOf(path, cmoPrefix);
    if (face === "platform") return next();
    const arrived = clock.now();
    const requestId = c.req.header("x-request-id") ?? randomUUID();
    await next();
    c.res.headers.set("x-request-id", requestId);
    const status = c.res.status;
    const latencyMs = clock.now() - arrived;
    const platform = platformOf(path);
    await journal.add({
      at: arrived,
      face,
      platform,
      method: c.req.method,
      path,
      status,
      latencyMs,
      caller: "client",
    });
    metrics.observe(
      { face, route: routePath(c, -1), method: c.req.method, status, platform, caller: "client" },
      latencyMs / 1000,
    );
    if (logger) {
      const line = {
        requestId,
        correlationId: c.get("correlationId"),
        face,
        method: c.req.method,
        path,
        status,
        latencyMs,
        platform,
      };
      if (status >= 500) logger.warn(line, "request failed");
      else logger.debug(line, "request");
    }
  };
}
