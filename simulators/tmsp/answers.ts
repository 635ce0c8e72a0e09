import type { Context } from "hono";
import type { PlatformRuntime } from "../shared/runtime.js";
import type { NativeError } from "../shared/types.js";
import { HAL_JSON } from "./model.js";

/**
 * Two voices answer a TMSP caller: the Telekom API gateway (rate limits, upstream timeouts), whose
 * answers carry no Spring body, and the portal itself, a Spring Boot service whose errors are the
 * default `{timestamp, status, error, message, path}`.
 */

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A successful answer: HAL, with the exact content type the portal sends. */
export function hal(
  c: Context,
  body: unknown,
  status: 200 | 202 = 200,
  headers: Record<string, string> = {},
) {
  return c.body(JSON.stringify(body), status, { ...headers, "Content-Type": HAL_JSON });
}

/** Spring Boot's default `OffsetDateTime` rendering: `2026-06-01T12:00:00.000+00:00`. */
function springTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/** The gateway's answers have no body to stamp; the portal's carry the platform's time. */
export function renderError(c: Context, error: NativeError, runtime: PlatformRuntime): Response {
  const headers = error.headers ?? {};
  // The gateway's rate limiter answers before the portal sees the call: no body at all.
  if (error.kind === "rate-limited") return c.body(null, 429, headers);
  if (error.kind === "gateway-timeout")
    return c.json({ message: "The upstream server is timing out" }, 504, headers);
  return c.json(
    {
      timestamp: springTimestamp(runtime.now()),
      status: error.status,
      error: REASONS[error.status] ?? "Error",
      message: error.message,
      path: c.req.path,
    },
    error.status as 400,
    headers,
  );
}
