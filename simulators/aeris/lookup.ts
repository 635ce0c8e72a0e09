import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import { type AerisError, problem } from "./problem.js";

/** How Aeris lets a caller name a subscription; upper case only, as documented. */
export const IDENTIFIER_TYPES = ["ICC", "IMSI", "MSISDN"] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export function isIdentifierType(value: unknown): value is IdentifierType {
  return typeof value === "string" && (IDENTIFIER_TYPES as readonly string[]).includes(value);
}

export function findSubscription(
  runtime: PlatformRuntime,
  accountId: string,
  type: IdentifierType,
  value: string,
): Device | undefined {
  if (type === "ICC") return runtime.findDevice(accountId, value);
  return runtime.findDeviceBy(accountId, type === "IMSI" ? "imsi" : "msisdn", value);
}

/**
 * The organisation a call acts for: the caller's own, or another one of the same customer
 * (`on_behalf_of.organization_id`, `q=company==…`). Our accounts stand for Aeris organisations.
 */
export function organisation(
  runtime: PlatformRuntime,
  caller: NativeAccount,
  organisationId: string | undefined,
): NativeAccount | AerisError {
  if (organisationId === undefined || organisationId === caller.id) return caller;
  const other = runtime.accounts.get(organisationId);
  if (!other) return problem("not-found", 404, `Company ${organisationId} not found`, "COMPANY_NOT_FOUND");
  if (other.tenant !== caller.tenant)
    return problem("forbidden", 403, `You do not have access to organization ${organisationId}`);
  return other;
}
