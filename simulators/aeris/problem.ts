import { STATUS_CODES } from "node:http";
import type { Context } from "hono";
import { type CodedError, ErrorCodes } from "../shared/error-codes.js";
import type { NativeErrorKind } from "../shared/types.js";

/**
 * Aeris' RFC 7807 envelope: `type` and `title` as in the vendor OpenAPI examples (the IANA
 * status-code registry and the reason phrase), plus a `code`. The codes are ours; `instance` is the
 * request path, where Aeris puts a UUID.
 */
export type AerisError = CodedError;

/** The code of a refusal of something Aeris documents and this fake does not simulate. */
const NOT_SIMULATED = "NOT_SIMULATED";

/** One table for the fake's answers and the adapter's reading of them. */
export const CODES = new ErrorCodes(
  {
    unauthorized: "AUTHENTICATION_FAILURE",
    forbidden: "ACCESS_DENIED",
    "not-found": "RESOURCE_NOT_FOUND",
    "bad-request": "INVALID_REQUEST_PARAMETERS",
    "invalid-transition": "INVALID_STATE_TRANSITION",
    conflict: "REQUEST_IN_PROGRESS",
    "rate-limited": "RATE_LIMIT_EXCEEDED",
    unavailable: "SERVICE_UNAVAILABLE",
    "server-error": "INTERNAL_ERROR",
    "gateway-timeout": "GATEWAY_TIMEOUT",
    "unsupported-media-type": "UNSUPPORTED_MEDIA_TYPE",
  },
  {
    SUBSCRIPTION_NOT_FOUND: "not-found",
    COMPANY_NOT_FOUND: "not-found",
    REQUEST_NOT_FOUND: "not-found",
    [NOT_SIMULATED]: "bad-request",
  },
);

const PROBLEM_TYPE = "https://www.iana.org/assignments/http-status-codes/";

export function renderProblem(c: Context, error: AerisError): Response {
  const body = {
    type: PROBLEM_TYPE,
    title: STATUS_CODES[error.status] ?? "Error",
    status: error.status,
    detail: error.message,
    instance: c.req.path,
    code: CODES.codeOf(error),
  };
  return c.body(JSON.stringify(body), error.status as 400, {
    ...error.headers,
    "Content-Type": "application/problem+json",
  });
}

export function problem(kind: NativeErrorKind, status: number, message: string, code?: string): AerisError {
  return code === undefined ? { kind, status, message } : { kind, status, message, code };
}

export const subscriptionNotFound = (detail: string): AerisError =>
  problem("not-found", 404, detail, "SUBSCRIPTION_NOT_FOUND");

/**
 * A 400, not a 501: to a client, a documented feature the fake leaves out is a request it must not
 * rely on, and the code says which case it is.
 */
export const notSimulated = (what: string): AerisError =>
  problem("bad-request", 400, `${what} is documented by Aeris but not simulated by cmo-sim`, NOT_SIMULATED);

export function isProblem(value: unknown): value is AerisError {
  return typeof value === "object" && value !== null && "kind" in value && "status" in value;
}

/** The auth service keeps the legacy DCP envelope (`code`, `httpStatus`, `message`, `detailedMessage`). */
export function tokenError(c: Context, status: 400 | 401, detailedMessage?: string): Response {
  return status === 400
    ? c.json({ code: 4000, httpStatus: 400, message: "Request validation failed", detailedMessage }, 400)
    : c.json({ code: 2040, httpStatus: 401, message: "Invalid credentials" }, 401);
}
