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

/** The codes Cisco documents, then the few invented where no public code exists (README lists which). */
export const CODES = {
  invalidCredentials: "10000001",
  missingParameter: "10000011",
  invalidMessageEncoding: "10000017",
  invalidDataCoding: "10000018",
  invalidTpvp: "10000019",
  messageTooLong: "10000020",
  malformedJson: "10000023",
  invalidApiVersion: "10000024",
  unrecognisedParameter: "10000028",
  noAccess: "10000030",
  invalidZone: "10000031",
  invalidIccid: "20000001",
  unknownServerError: "30000001",
  // Invented: a value Control Center would refuse, in words of its own but with no public code.
  invalidParameter: "10000004",
  invalidStatusChange: "10000005",
  invalidAccount: "10000006",
  notFound: "20000000",
  rateLimitExceeded: "40000029",
} as const;

const CODE_BY_KIND: Record<NativeErrorKind, string> = {
  unauthorized: CODES.invalidCredentials,
  "bad-request": CODES.invalidParameter,
  "unsupported-media-type": CODES.invalidParameter,
  "invalid-transition": CODES.invalidStatusChange,
  forbidden: CODES.invalidAccount,
  "not-found": CODES.notFound,
  conflict: "10000007",
  "rate-limited": CODES.rateLimitExceeded,
  "server-error": CODES.unknownServerError,
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

/** Control Center's messages name a parameter with a capital: `ratePlan` → "RatePlan ... is invalid." */
export const capitalised = (name: string) => name[0]?.toUpperCase() + name.slice(1);

export const invalidAccount = () => ccError("bad-request", 400, CODES.invalidAccount, "Invalid accountId.");

export const missingParameter = (message: string) =>
  ccError("bad-request", 400, CODES.missingParameter, message);

export const invalidIccid = () =>
  ccError("not-found", 404, CODES.invalidIccid, "Resource not found - Invalid ICCID");

export const malformedJson = (why = "") =>
  ccError(
    "bad-request",
    400,
    CODES.malformedJson,
    `The JSON in the request is not well formed.${why ? ` ${why}` : ""}`,
  );

/** Parameters Control Center does not know, or documents but this fake does not simulate (`note` says which). */
export function unrecognised(names: readonly string[], note = ""): ControlCenterError {
  return ccError(
    "bad-request",
    400,
    CODES.unrecognisedParameter,
    `Invalid request. The request contained one or more unrecognized parameters: ${names.join(", ")}.${note ? ` ${note}` : ""}`,
  );
}

export const notSimulated = (names: readonly string[]) =>
  unrecognised(names, "Control Center documents them; cmo-sim does not simulate them.");

/** Control Center refuses a function the caller's role or account type may not use with a 400. */
export const noAccess = (detail: string) =>
  ccError("forbidden", 400, CODES.noAccess, `Your role does not have access to this API function. ${detail}`);

export function renderError(_c: Context, error: NativeError): Response {
  const errorCode = "errorCode" in error ? (error as ControlCenterError).errorCode : CODE_BY_KIND[error.kind];
  const body =
    errorCode === null ? { errorMessage: error.message } : { errorMessage: error.message, errorCode };
  return new Response(Buffer.from(JSON.stringify(body), "latin1"), {
    status: error.status,
    headers: { "content-type": "application/json;charset=ISO-8859-1", ...error.headers },
  });
}
