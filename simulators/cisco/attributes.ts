import type { Device } from "../shared/runtime.js";

/**
 * A device's editable attributes: what Edit Device Details stored (`device.fields`, by the API's
 * own field names) over what the inventory generated. Every view reads them through here, so an
 * edit shows the same in Get Device Details, Search Devices, ctdUsages and the audit trail.
 */

const numbered = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

export const ACCOUNT_CUSTOM_FIELDS = numbered("accountCustom", 10);
/** Operator custom fields: enterprise users see them but only operator users may set them. */
export const OPERATOR_CUSTOM_FIELDS = numbered("operatorCustom", 5);
export const CUSTOMER_CUSTOM_FIELDS = numbered("customerCustom", 5);
export const CUSTOM_FIELDS = [...OPERATOR_CUSTOM_FIELDS, ...ACCOUNT_CUSTOM_FIELDS, ...CUSTOMER_CUSTOM_FIELDS];

export const OVERAGE_OVERRIDES = ["DEFAULT", "TEMPORARY_OVERRIDE", "PERMANENT_OVERRIDE"] as const;
/**
 * When a temporary override lapses (epoch ms, as text): Control Center lifts it at the end of the
 * cycle it was set in, so the end is stored with it and the value is read against the clock.
 */
export const OVERAGE_UNTIL = "overageLimitOverrideUntil";

/** Names an operator's Control Center knows, beyond its numbering: what an edit may choose from. */
export interface ControlCenterOffer {
  ratePlans: readonly string[];
  communicationPlans: readonly string[];
  /** Customers (business units) of the enterprise accounts. */
  customers: readonly string[];
  /** Rating zones, the same for every rate plan of the operator. */
  zones: readonly string[];
}

export const ratePlanOf = (d: Device): string => d.fields.ratePlan ?? d.record.ratePlan;
export const communicationPlanOf = (d: Device): string =>
  d.fields.communicationPlan ?? d.record.communicationPlan;
export const customerOf = (d: Device): string | null => d.fields.customer ?? null;
export const deviceIdOf = (d: Device): string => d.fields.deviceID ?? d.record.label;
export const modemIdOf = (d: Device): string => d.fields.modemID ?? "";
export const customOf = (d: Device, name: string): string => d.fields[name] ?? "";

export function overageOverrideOf(d: Device, now: number): string {
  const value = d.fields.overageLimitOverride ?? "DEFAULT";
  const until = Number(d.fields[OVERAGE_UNTIL]);
  return value === "TEMPORARY_OVERRIDE" && until < now ? "DEFAULT" : value;
}

/** A static address only on communication plans that hand one out; dynamic plans report null. */
export function fixedIpOf(d: Device): string | null {
  if (!/static/i.test(communicationPlanOf(d))) return null;
  const n = Number((d.record.imsi as string).slice(-6));
  return `10.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
}

/** An editable field's value as Get Device Details shows it now ("" where it shows null). */
export function currentValue(d: Device, field: string, now: number): string {
  switch (field) {
    case "status":
      return d.nativeStatus;
    case "accountId":
      return d.accountId;
    case "ratePlan":
      return ratePlanOf(d);
    case "communicationPlan":
      return communicationPlanOf(d);
    case "customer":
      return customerOf(d) ?? "";
    case "deviceID":
      return deviceIdOf(d);
    case "modemID":
      return modemIdOf(d);
    case "overageLimitOverride":
      return overageOverrideOf(d, now);
    default:
      return customOf(d, field);
  }
}
