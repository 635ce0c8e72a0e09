import type { Context } from "hono";
import { badRequest } from "../shared/http.js";
import type { NativeError } from "../shared/types.js";

/**
 * 1NCE's error body `{error_code, error_token, message}`, documented for v2 (tokens `BadRequest`,
 * `NotFound`, `Conflict`, `InternalServerError`, all with code 1000 in the examples). v1 documents
 * no error body at all, so v1 answers in the same envelope. The numbers past 1000 are ours, so a
 * client can tell the kinds apart without parsing messages.
 */
const ERROR_CODES: Record<NativeError["kind"], [number, string]> = {
  "not-found": [1000, "NotFound"],
  "bad-request": [1001, "BadRequest"],
  "invalid-transition": [1001, "BadRequest"],
  conflict: [1002, "Conflict"],
  unauthorized: [1003, "Unauthorized"],
  forbidden: [1004, "Forbidden"],
  "rate-limited": [1005, "TooManyRequests"],
  "unsupported-media-type": [1006, "UnsupportedMediaType"],
  "server-error": [1099, "InternalServerError"],
  unavailable: [1098, "ServiceUnavailable"],
  "gateway-timeout": [1097, "GatewayTimeout"],
};

export function renderError(c: Context, error: NativeError): Response {
  const [code, token] = ERROR_CODES[error.kind];
  return c.json(
    { error_code: code, error_token: token, message: error.message },
    error.status as 400,
    error.headers,
  );
}

export const conflict = (message: string): NativeError => ({ kind: "conflict", status: 409, message });

/** What 1NCE documents and this simulator does not do: refused, so no client mistakes it for done. */
export const notSimulated = (what: string): NativeError =>
  badRequest(`${what} is documented by 1NCE but not simulated by cmo-sim`);

export const isError = (value: unknown): value is NativeError =>
  typeof value === "object" && value !== null && "kind" in value && "status" in value && "message" in value;
