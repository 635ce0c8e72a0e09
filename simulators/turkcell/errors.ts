import { ErrorCodes } from "../shared/error-codes.js";
import type { NativeErrorKind } from "../shared/types.js";

/** Codes only some answers use. */
export const LINE_NOT_FOUND = "1001";
export const ORDER_NOT_FOUND = "1002";
export const PROVISIONING_ERROR = "2001";

/**
 * What the API gateway answers itself, under a real HTTP status. Everything else reaches the
 * service bus, which answers HTTP 200 and tells the error only in `header.resultCode`.
 */
export const GATEWAY_KINDS: ReadonlySet<NativeErrorKind> = new Set([
  "unauthorized",
  "rate-limited",
  "server-error",
  "unavailable",
  "gateway-timeout",
]);

/** Turkcell's result codes (our design, "1001" for an unknown line aside): "0" is success. */
export const CODES = new ErrorCodes(
  {
    "bad-request": "1000",
    "invalid-transition": "1003",
    conflict: "1004",
    "unsupported-media-type": "1005",
    forbidden: "1006",
    "not-found": "1099",
    unauthorized: "9401",
    "rate-limited": "9429",
    "server-error": "9500",
    unavailable: "9503",
    "gateway-timeout": "9504",
  },
  { [LINE_NOT_FOUND]: "not-found", [ORDER_NOT_FOUND]: "not-found", [PROVISIONING_ERROR]: "server-error" },
);
