import { isoDate } from "../shared/http.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import { findPackage, type SubscriptionPackage } from "./catalogue.js";

/**
 * What a subscription is now: the generated record, overlaid with what Aeris requests changed
 * (stored as device fields under the names below). Both of Aeris' views, the SICA sim-resource
 * and the Search API, are drawn from this one place.
 */

/** Device fields the Aeris fake keeps, by Aeris' own names where it has one. */
export const FIELD = {
  package: "subscriptionPackageId",
  packageChangedAt: "lastSubscriptionPackageChangeAt",
  region: "region",
  arpTadigCode: "arpTadigCode",
  arpAssignedAt: "arpAssignmentTime",
  oldCompanyId: "oldCompanyId",
} as const;

/** Custom fields are stored one device field each, under this prefix and the field's name. */
export const CUSTOM_FIELD_PREFIX = "customField:";

export interface Subscription {
  device: Device;
  organisation: NativeAccount;
  package: SubscriptionPackage;
  region: string;
  packageChangedAt: string | null;
  arpTadigCode: string | null;
  arpAssignedAt: string | null;
  oldCompanyId: string | null;
  customFields: Array<{ fieldName: string; fieldValue: string }>;
  activatedAt: string | null;
  addedAt: string | null;
  updatedAt: string | null;
  codes: SimCodes;
}

/** PIN and PUK codes, derived from the identifiers: the generated record holds none. */
interface SimCodes {
  pin1: string;
  pin2: string;
  puk1: string;
  puk2: string;
}

/** Digits from the end of an identifier, before its last `skip` (a check digit). */
const tail = (digits: string, length: number, skip = 0) =>
  digits.slice(0, digits.length - skip).slice(-length);

function simCodes(iccid: string, imsi: string): SimCodes {
  return { pin1: tail(iccid, 4, 1), pin2: tail(imsi, 4), puk1: tail(iccid, 8, 1), puk2: tail(imsi, 8) };
}

/**
 * Builds subscriptions for one answer. A request's changes land on the clock when it completes;
 * one read in the instant between its completion and that timer still sees them, as it sees the
 * request COMPLETED (edits due are looked up once per answer, not per subscription).
 */
export async function subscriptionReader(
  runtime: PlatformRuntime,
): Promise<(device: Device) => Subscription> {
  const now = runtime.now();
  const due = new Map<string, Record<string, string>>();
  for (const edit of await runtime.scheduledEdits()) {
    if (edit.at > now || !edit.fields) continue;
    due.set(edit.nativeId, { ...due.get(edit.nativeId), ...edit.fields });
  }
  return (device) => subscriptionOf(runtime, device, due.get(device.record.nativeId));
}

function subscriptionOf(
  runtime: PlatformRuntime,
  device: Device,
  pending: Record<string, string> | undefined,
): Subscription {
  const fields = pending ? { ...device.fields, ...pending } : device.fields;
  const r = device.record;
  const packageId = fields[FIELD.package];
  const changed = packageId === undefined ? undefined : findPackage(runtime, packageId);
  const organisation = runtime.accounts.get(device.accountId);
  if (!organisation) throw new Error(`${runtime.code}: device ${r.nativeId} has no account`);
  return {
    device,
    organisation,
    package: changed ?? { id: r.ratePlan, description: r.offering },
    region: fields[FIELD.region] ?? r.communicationPlan,
    packageChangedAt: fields[FIELD.packageChangedAt] ?? null,
    arpTadigCode: fields[FIELD.arpTadigCode] ?? null,
    arpAssignedAt: fields[FIELD.arpAssignedAt] ?? null,
    oldCompanyId: fields[FIELD.oldCompanyId] ?? null,
    customFields: Object.entries(fields)
      .filter(([name]) => name.startsWith(CUSTOM_FIELD_PREFIX))
      .map(([name, value]) => ({ fieldName: name.slice(CUSTOM_FIELD_PREFIX.length), fieldValue: value })),
    activatedAt: isoDate(device.activatedAt),
    addedAt: isoDate(r.addedAt),
    updatedAt: isoDate(device.updatedAt),
    codes: simCodes(r.iccid ?? "", r.imsi ?? ""),
  };
}
