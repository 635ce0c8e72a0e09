import type { PlatformRuntime } from "../shared/runtime.js";
import { APN, fixedIp, msisdnPool, operatorId } from "./catalogue.js";
import type { Subscription } from "./subscription.js";

/**
 * A Search API `SubscriptionResponse` (camelCase), fields in the vendor's order. The base fields
 * always come; the others only with the `additionalFields` group the vendor's field descriptions
 * tie them to. A field the subscription has no value for is null.
 */

export const ADDITIONAL_FIELDS = [
  "CUSTOM_FIELDS",
  "DATES",
  "ENTERPRISE",
  "INDIVIDUAL_APN",
  "LABEL",
  "LOCK_STATE",
  "SECURITY_LOCK",
  "PACKAGE",
  "SIM_SPEC",
  "MONTHLY_DATA",
  "MONTHLY_SMS",
] as const;
export type AdditionalField = (typeof ADDITIONAL_FIELDS)[number];

/** Which fields each group brings (the vendor names the groups in the fields' descriptions). */
const GROUP_FIELDS = {
  CUSTOM_FIELDS: ["customFields"],
  DATES: [
    "firstActivatedAt",
    "installationDateAt",
    "lastSubscriptionPackageChangeAt",
    "lastSubscriptionChangeDateAt",
    "parameterBasedRegistrationExitAt",
    "provisionedAt",
  ],
  ENTERPRISE: ["enterpriseName"],
  INDIVIDUAL_APN: ["apns"],
  LABEL: ["label"],
  LOCK_STATE: ["subscriptionStateLocked", "subscriptionStateLockingReason", "subscriptionStateBeforeLock"],
  SECURITY_LOCK: [
    "subscriptionSecurityLocked",
    "subscriptionSecurityLockingReason",
    "subscriptionStateBeforeSecurityLock",
  ],
  PACKAGE: ["subscriptionPackageName", "subscriptionPackageDescription"],
  SIM_SPEC: ["simSpecificationId", "simSpecificationType", "simSpecificationDescription"],
  MONTHLY_DATA: ["monthlyData"],
  MONTHLY_SMS: ["monthlySms"],
} as const satisfies Record<AdditionalField, ReadonlyArray<keyof AllFields>>;

/** Every field, base and grouped. The fake never locks a subscription: both lock groups say "unlocked". */
function allFields(runtime: PlatformRuntime, s: Subscription) {
  const r = s.device.record;
  const iccid = r.iccid as string;
  const operator = operatorId(runtime);
  const pool = msisdnPool(runtime, s.region);
  return {
    arpTadigCode: s.arpTadigCode,
    customFields: s.customFields,
    enterprise: s.organisation.id,
    enterpriseName: s.organisation.name,
    region: s.region,
    label: r.label,
    firstActivatedAt: s.activatedAt,
    iccid,
    detectedImei: r.imei,
    assignedImei: r.imei,
    imsi: r.imsi as string,
    installationDateAt: s.addedAt,
    apns: [{ ordinal: 1, apn: APN.name, apnId: 1, qosId: 1, type: "HSS", contextEntityId: 1 }],
    ips: [
      {
        apnName: APN.name,
        ip: fixedIp(r.index),
        ipVersion: "IPV4",
        operatorId: operator,
        server: "RADIUS1",
        subnet: "100.64.0.0/10",
      },
    ],
    lastSubscriptionPackageChangeAt: s.packageChangedAt,
    lastSubscriptionChangeDateAt: s.updatedAt,
    msisdn: r.msisdn as string,
    // The 13-digit card serial printed on the SIM: the ICCID without issuer prefix and check digit.
    nsce: iccid.slice(-14, -1),
    ...s.codes,
    remainingCommitmentTime: null,
    nonHosted: false,
    oldCompanyId: s.oldCompanyId,
    operatorId: operator,
    organizationId: s.organisation.id,
    monthlyData: r.usageBytes,
    monthlySms: r.index % 60,
    parameterBasedRegistrationExitAt: null,
    poolId: pool.id,
    poolShortName: pool.shortName,
    resellerId: null,
    schemeId: null,
    state: s.device.nativeStatus,
    simSpecificationId: `${operator}_SIMSPEC_IOT`,
    simSpecificationType: "SIM",
    simSpecificationDescription: "Magenta IoT SIM, industrial grade",
    profileSpecificationId: null,
    subscriptionPackageName: s.package.id,
    subscriptionPackageDescription: s.package.description,
    subscriptionStateLocked: false,
    subscriptionStateLockingReason: null,
    subscriptionStateBeforeLock: null,
    subscriptionSecurityLocked: false,
    subscriptionSecurityLockingReason: null,
    subscriptionStateBeforeSecurityLock: null,
    provisionedAt: s.addedAt,
  };
}

type AllFields = ReturnType<typeof allFields>;
type GroupedField = (typeof GROUP_FIELDS)[AdditionalField][number];

/** What a reader (the CMO adapter) can rely on: base fields always, grouped ones when asked for. */
export type SubscriptionDetails = Omit<AllFields, GroupedField> & Partial<Pick<AllFields, GroupedField>>;

export function subscriptionResponse(
  runtime: PlatformRuntime,
  s: Subscription,
  groups: ReadonlySet<AdditionalField>,
): SubscriptionDetails {
  const fields: Record<string, unknown> = allFields(runtime, s);
  for (const group of ADDITIONAL_FIELDS) {
    if (groups.has(group)) continue;
    for (const name of GROUP_FIELDS[group]) delete fields[name];
  }
  return fields as SubscriptionDetails;
}
