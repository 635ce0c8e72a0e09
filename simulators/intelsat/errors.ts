import type { NativeError, NativeErrorKind } from "../shared/types.js";

/** INTELSAT's error codes (our design): one per kind, plus resource-specific ones a route names. */
export const ERROR_CODES: Record<NativeErrorKind, string> = {
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  "not-found": "NOT_FOUND",
  "bad-request": "VALIDATION_ERROR",
  "invalid-transition": "INVALID_STATE_TRANSITION",
  conflict: "ORDER_IN_PROGRESS",
  "rate-limited": "RATE_LIMIT_EXCEEDED",
  unavailable: "SERVICE_UNAVAILABLE",
  "server-error": "INTERNAL_ERROR",
  "gateway-timeout": "GATEWAY_TIMEOUT",
  "unsupported-media-type": "UNSUPPORTED_MEDIA_TYPE",
};

const SPECIFIC_CODES: Record<string, NativeErrorKind> = {
  TERMINAL_NOT_FOUND: "not-found",
  ORDER_NOT_FOUND: "not-found",
  UNSUPPORTED_ACTION: "bad-request",
};

/** A native error with the code a route chose over its kind's default. */
export interface IntelsatError extends NativeError {
  code?: string;
}

/** `error` answered under a route's own code rather than its kind's. */
export function coded(code: string, error: NativeError): IntelsatError {
  return { ...error, code };
}

export function kindOfCode(code: string | undefined): NativeErrorKind | undefined {
  if (code === undefined) return undefined;
  return (
    SPECIFIC_CODES[code] ??
    (Object.entries(ERROR_CODES).find(([, c]) => c === code)?.[0] as NativeErrorKind | undefined)
  );
}
