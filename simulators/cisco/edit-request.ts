import type { StatusVocabulary } from "../shared/types.js";
import {
  ACCOUNT_CUSTOM_FIELDS,
  type ControlCenterOffer,
  CUSTOMER_CUSTOM_FIELDS,
  OPERATOR_CUSTOM_FIELDS,
  OVERAGE_OVERRIDES,
} from "./attributes.js";
import { DAY, parseDateOrDay } from "./dates.js";
import {
  badParameter,
  type ControlCenterError,
  capitalised,
  malformedJson,
  missingParameter,
  noAccess,
  notSimulated,
  unrecognised,
} from "./errors.js";

/** Edit Device Details accepts a future `effectiveDate` up to this far ahead. */
const MAX_EFFECTIVE_DAYS = 180;
/** Invented bound (Control Center's own is not public): keeps stored text and searches over it small. */
const MAX_TEXT_LENGTH = 255;

/** Free text an account may set. */
const TEXT_FIELDS = ["deviceID", "modemID", ...ACCOUNT_CUSTOM_FIELDS, ...CUSTOMER_CUSTOM_FIELDS];
/** Documented, but about fixed IP assignment per APN, which this fake does not simulate. */
const ADDRESSING_FIELDS = ["ipv4Address", "ipv6Address", "apn", "pdpId"];
const KNOWN = new Set([
  "effectiveDate",
  "status",
  "accountId",
  "ratePlan",
  "communicationPlan",
  "customer",
  "overageLimitOverride",
  ...TEXT_FIELDS,
  ...OPERATOR_CUSTOM_FIELDS,
  ...ADDRESSING_FIELDS,
]);

/** A checked Edit Device Details body. */
export interface EditRequest {
  /** Epoch ms the change takes effect; undefined for at once. */
  effectiveAt: number | undefined;
  status?: string;
  accountId?: string;
  /** Attributes by their API names (rate plan, custom fields, overage override…). */
  fields: Record<string, string>;
}

function namedFields(offer: ControlCenterOffer): Record<string, readonly string[]> {
  return {
    ratePlan: offer.ratePlans,
    communicationPlan: offer.communicationPlans,
    customer: offer.customers,
    overageLimitOverride: OVERAGE_OVERRIDES,
  };
}

/** What an account user may not send at all, judged before any value is read. */
function refuseFields(keys: string[], body: Record<string, unknown>): ControlCenterError | undefined {
  const unknown = keys.filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) return unrecognised(unknown);
  const operatorOnly = keys.filter((k) => OPERATOR_CUSTOM_FIELDS.includes(k));
  if (operatorOnly.length > 0)
    return noAccess(`${operatorOnly.join(", ")} may be edited by operator users only.`);
  if ("ipv4Address" in body && !("apn" in body && "pdpId" in body))
    return missingParameter("One or more required fields are missing: ipv4Address needs apn and pdpId.");
  const addressing = keys.filter((k) => ADDRESSING_FIELDS.includes(k));
  return addressing.length > 0 ? notSimulated(addressing) : undefined;
}

function readEffectiveDate(value: unknown, now: number): number | undefined | ControlCenterError {
  if (value === undefined) return undefined;
  const at = typeof value === "string" ? parseDateOrDay(value) : Number.NaN;
  if (Number.isNaN(at))
    return badParameter("EffectiveDate is invalid. Expected yyyy-MM-ddZ or yyyy-MM-ddTHH:mm:ssZ.");
  if (at > now + MAX_EFFECTIVE_DAYS * DAY)
    return badParameter(`EffectiveDate cannot be more than ${MAX_EFFECTIVE_DAYS} days in the future.`);
  // Now or past: the change happens at once, as when the date is left out.
  return at > now ? at : undefined;
}

/** Reads an Edit Device Details body into the edit it asks for, or why it is refused. */
export function readEditRequest(
  body: unknown,
  offer: ControlCenterOffer,
  vocabulary: StatusVocabulary,
  now: number,
): EditRequest | ControlCenterError {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return malformedJson("The body must be a JSON object.");
  const values = body as Record<string, unknown>;
  const keys = Object.keys(values);
  const refused = refuseFields(keys, values);
  if (refused) return refused;
  if (keys.every((k) => k === "effectiveDate"))
    return missingParameter("One or more required fields are missing: at least one parameter is required.");

  const { effectiveDate, status, accountId } = values;
  if (status !== undefined && (typeof status !== "string" || !(status in vocabulary.toCmo)))
    return badParameter(`Status ${String(status)} is invalid.`);
  if (accountId !== undefined && typeof accountId !== "string" && typeof accountId !== "number")
    return badParameter("AccountId is invalid.");
  const fields: Record<string, string> = {};
  for (const [name, allowed] of Object.entries(namedFields(offer))) {
    const value = values[name];
    if (value === undefined) continue;
    if (typeof value !== "string" || !allowed.includes(value))
      return badParameter(`${capitalised(name)} ${String(value)} is invalid.`);
    fields[name] = value;
  }
  for (const name of TEXT_FIELDS) {
    const value = values[name];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.length > MAX_TEXT_LENGTH)
      return badParameter(`${capitalised(name)} is invalid: text of at most ${MAX_TEXT_LENGTH} characters.`);
    fields[name] = value;
  }
  const effectiveAt = readEffectiveDate(effectiveDate, now);
  if (typeof effectiveAt === "object") return effectiveAt;
  return {
    effectiveAt,
    ...(status !== undefined ? { status: status as string } : {}),
    ...(accountId !== undefined ? { accountId: String(accountId) } : {}),
    fields,
  };
}
