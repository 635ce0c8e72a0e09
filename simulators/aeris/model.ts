import { isoDate } from "../shared/http.js";
import type { Device, NativeAccount } from "../shared/runtime.js";

/**
 * The two views Aeris gives of one subscription: the SICA sim-resource (snake_case) and the
 * Subscription Search API (camelCase). Field names and case follow the vendor's files; values come
 * from the generated record.
 */

const APN = "iot.magenta.at";

/** Addresses from the carrier-grade NAT range 100.64.0.0/10, skipping its network address. */
function fixedIp(index: number): string {
  const host = index + 1;
  return `100.${64 + ((host >> 16) & 63)}.${(host >> 8) & 255}.${host & 255}`;
}

/** Stock SIMs have never been in service; terminated ones are out of it for good. */
function resourceStatus(device: Device): string {
  if (device.nativeStatus === "TERMINATED") return "RETIRED";
  return device.activatedAt === undefined ? "IN_INVENTORY" : "DEPLOYED";
}

/** One entry of `GET /iot/api/sica/subscriptions/sim-resource/{id}` → `{"sims": [...]}`. */
export function simResource(device: Device) {
  const r = device.record;
  return {
    icc: r.iccid as string,
    imsi: r.imsi as string,
    msisdn: r.msisdn as string,
    imei: r.imei,
    sim_subscription_status: device.nativeStatus,
    sim_resource_status: resourceStatus(device),
    first_activation_date: isoDate(device.activatedAt),
    installation_date: isoDate(r.addedAt),
    last_subscription_date_change: isoDate(device.updatedAt),
    customer_label: r.label,
    region_short_name: r.communicationPlan,
    product_offer_name: r.offering,
    price_profile_name: r.ratePlan,
    apns: [APN],
    fixed_ips: [fixedIp(r.index)],
    lte: true,
    enable_5g: false,
    sms_mo: true,
    sms_mt: true,
    voice: false,
    pbr_exit_date: null,
  };
}

export type SimResource = ReturnType<typeof simResource>;

/** One entry of `GET /iot/api/subscriptions/details` (every additional field group included). */
export function subscriptionDetails(device: Device, account: NativeAccount) {
  const r = device.record;
  return {
    enterprise: account.id,
    enterpriseName: account.name,
    organizationId: account.id,
    label: r.label,
    iccid: r.iccid as string,
    imsi: r.imsi as string,
    msisdn: r.msisdn as string,
    assignedImei: r.imei,
    state: device.nativeStatus,
    region: r.communicationPlan,
    firstActivatedAt: isoDate(device.activatedAt),
    provisionedAt: isoDate(r.addedAt),
    lastSubscriptionChangeDateAt: isoDate(device.updatedAt),
    subscriptionPackageName: r.ratePlan,
    subscriptionPackageDescription: r.offering,
    apns: [{ apn: APN, ordinal: 1, apnId: 1, qosId: 1, type: "HSS" }],
    ips: [{ apnName: APN, ip: fixedIp(r.index), ipVersion: "IPV4" }],
    monthlyData: r.usageBytes,
    monthlySms: r.index % 60,
  };
}

export type SubscriptionDetails = ReturnType<typeof subscriptionDetails>;
