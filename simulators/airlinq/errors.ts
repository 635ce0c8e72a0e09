import { ErrorCodes } from "../shared/error-codes.js";

/** Codes only some answers use. */
export const BULK_LIMIT_EXCEEDED = "CMP-4003";
export const SIM_NOT_FOUND = "CMP-4004";
export const REQUEST_NOT_FOUND = "CMP-4005";
export const PROVISIONING_FAILED = "CMP-5101";

/** The CMP's error codes (our design): `CMP-4xxx` for the caller's mistakes, `CMP-5xxx` for the platform's. */
export const CODES = new ErrorCodes(
  {
    "bad-request": "CMP-4001",
    "invalid-transition": "CMP-4002",
    conflict: "CMP-4009",
    unauthorized: "CMP-4010",
    forbidden: "CMP-4013",
    "unsupported-media-type": "CMP-4015",
    "rate-limited": "CMP-4029",
    "not-found": "CMP-4040",
    "server-error": "CMP-5000",
    unavailable: "CMP-5003",
    "gateway-timeout": "CMP-5004",
  },
  {
    [BULK_LIMIT_EXCEEDED]: "bad-request",
    [SIM_NOT_FOUND]: "not-found",
    [REQUEST_NOT_FOUND]: "not-found",
    [PROVISIONING_FAILED]: "server-error",
  },
);
