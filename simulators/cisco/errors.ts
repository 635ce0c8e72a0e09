import type { Context } from "hono";
import type { NativeError, NativeErrorKind } from "../shared/types.js";

/**
 * Control Center's error envelope, `{"errorMessage", "errorCode"}` with the code as a string,
 * served as ISO-8859-1 JSON. Errors raised by the Control Center routes carry their own code; the
 * ones the framework raises (rate limits, outages, faults, unknown routes) get one by kind.
 */
export interface ControlCenterError extends NativeError {
  /** `null` for the answers that carry no code (Spring Security's missing-credentials 401). */
  errorCode: string | null;
}

export const CODES = {
  invalidCredentials: "10000001",
  missingParameter: "10000003",
  invalidParameter: "10000004",
  invalidStatusChange: "10000005",
  invalidAccount: "10000006",
  invalidApiVersion: "10000024",
  invalidIccid: "20000001",
  rateLimitExceeded: "40000029",
} as const;

const CODE_BY_KIND: Record<NativeErrorKind, string> = {
  unauthorized: CODES.invalidCredentials,
  "bad-request": CODES.invalidParameter,
  "unsupported-media-type": CODES.invalidParameter,
  "invalid-transition": CODES.invalidStatusChange,
  forbidden: CODES.invalidAccount,
  "not-found": "20000000",
  conflict: "10000007",
  "rate-limited": CODES.rateLimitExceeded,
  "server-error": "50000001",
  unavailable: "50000002",
  "gateway-timeout": "50000003",
};

export function ccError(
  kind: NativeErrorKind,
  status: number,
  errorCode: string | null,
  message: string,
): ControlCenterError {
  return { kind, status, errorCode, message };
}

export const badParameter = (message: string) => ccError("bad-request", 400, CODES.invalidParameter, message);

export function renderError(_c: Context, error: NativeError): Response {
  const errorCode = "errorCode" in error ? (error as ControlCenterError).errorCode : CODE_BY_KIND[error.kind];
  const body =
    errorCode === null ? { errorMessage: error.message } : { errorMessage: error.message, errorCode };
  return new Response(Buffer.from(JSON.stringify(body), "latin1"), {
    status: error.status,
    headers: { "content-type": "application/json;charset=ISO-8859-1", ...error.headers },
  });
}
