import { badRequest } from "../shared/http.js";
import type { NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import { isObject, unknownFields } from "./input.js";
import { type AerisError, problem } from "./problem.js";

/**
 * Our accounts stand for Aeris organisations: an account's id is both its `organization_id` and
 * its (deprecated) `company_id`, and the accounts of one tenant are one customer's organisations.
 */
export function organisation(
  runtime: PlatformRuntime,
  caller: NativeAccount,
  organisationId: string | undefined,
): NativeAccount | AerisError {
  if (organisationId === undefined || organisationId === caller.id) return caller;
  const other = runtime.accounts.get(organisationId);
  if (!other)
    return problem("not-found", 404, `Organization ${organisationId} not found`, "COMPANY_NOT_FOUND");
  if (other.tenant !== caller.tenant)
    return problem("forbidden", 403, `You do not have access to organization ${organisationId}`);
  return other;
}

/**
 * The id in an `OrganizationType` object (`on_behalf_of`, `change.owner`): `organization_id`, or
 * the deprecated `company_id`; with both, `organization_id` wins, as Aeris documents.
 */
export function organisationIdIn(
  value: unknown,
  where: string,
  extraFields: readonly string[] = [],
): string | AerisError {
  if (!isObject(value)) return badRequest(`${where} must be an object`);
  const unknown = unknownFields(value, ["organization_id", "company_id", ...extraFields], where);
  if (unknown) return unknown;
  const id = value.organization_id ?? value.company_id;
  return typeof id === "string" && id !== ""
    ? id
    : badRequest(`${where}.organization_id (or the deprecated company_id) must be a non-empty string`);
}
