import type { Device } from "../shared/runtime.js";
import {
  communicationPlanOf,
  customerOf,
  deviceIdOf,
  fixedIpOf,
  modemIdOf,
  overageOverrideOf,
  ratePlanOf,
} from "./attributes.js";
import { ccDate, DAY } from "./dates.js";

/**
 * Get Device Details: every documented field, in the documented order, nulls where CC has them.
 * Written out as one literal: this runs for every device read, and spreading helper objects into it
 * cost more than the rest of the request.
 */
export function deviceDetails(device: Device) {
  const r = device.record;
  const f = device.fields;
  return {
    iccid: r.iccid as string,
    imsi: r.imsi as string,
    msisdn: r.msisdn as string,
    imei: r.imei,
    status: device.nativeStatus,
    ratePlan: ratePlanOf(device),
    communicationPlan: communicationPlanOf(device),
    customer: customerOf(device),
    endConsumerId: null as string | null,
    dateActivated: ccDate(device.activatedAt),
    dateAdded: ccDate(r.addedAt) as string,
    dateUpdated: ccDate(device.updatedAt) as string,
    // Shipped = moved from the operator's stock into the enterprise account, before first use.
    dateShipped: ccDate(Math.min(r.addedAt + DAY, device.activatedAt ?? Number.POSITIVE_INFINITY)),
    accountId: device.accountId,
    fixedIPAddress: fixedIpOf(device),
    fixedIpv6Address: null as string | null,
    operatorCustom1: f.operatorCustom1 ?? "",
    operatorCustom2: f.operatorCustom2 ?? "",
    operatorCustom3: f.operatorCustom3 ?? "",
    operatorCustom4: f.operatorCustom4 ?? "",
    operatorCustom5: f.operatorCustom5 ?? "",
    accountCustom1: f.accountCustom1 ?? "",
    accountCustom2: f.accountCustom2 ?? "",
    accountCustom3: f.accountCustom3 ?? "",
    accountCustom4: f.accountCustom4 ?? "",
    accountCustom5: f.accountCustom5 ?? "",
    accountCustom6: f.accountCustom6 ?? "",
    accountCustom7: f.accountCustom7 ?? "",
    accountCustom8: f.accountCustom8 ?? "",
    accountCustom9: f.accountCustom9 ?? "",
    accountCustom10: f.accountCustom10 ?? "",
    customerCustom1: f.customerCustom1 ?? "",
    customerCustom2: f.customerCustom2 ?? "",
    customerCustom3: f.customerCustom3 ?? "",
    customerCustom4: f.customerCustom4 ?? "",
    customerCustom5: f.customerCustom5 ?? "",
    simNotes: null as string | null,
    deviceID: deviceIdOf(device) as string | null,
    modemID: modemIdOf(device),
    globalSimType: "",
    eid: r.eid ?? null,
    simProfileId: "",
  };
}

export type DeviceDetails = ReturnType<typeof deviceDetails>;

/** One entry of Search Devices: Control Center lists only these four fields. */
export function searchItem(device: Device) {
  return {
    iccid: device.record.iccid as string,
    status: device.nativeStatus,
    ratePlan: ratePlanOf(device),
    communicationPlan: communicationPlanOf(device),
  };
}

export type SearchItem = ReturnType<typeof searchItem>;

export interface SearchPage {
  pageNumber: number;
  devices: SearchItem[];
  lastPage: boolean;
}

/** What the cycle so far holds besides generated data volume: counted from the device's SMS and sessions. */
export interface CycleCounts {
  sms: number;
  sessions: number;
}

/** Get Device Usage (cycle to date): data in bytes as generated; SMS and sessions as they happened. */
export function ctdUsage(device: Device, counts: CycleCounts, now: number) {
  // The same leading fields as the device's details; a usage read is rare enough to build them whole.
  const { iccid, imsi, msisdn, imei, status, ratePlan, communicationPlan } = deviceDetails(device);
  return {
    iccid,
    imsi,
    msisdn,
    imei,
    status,
    ratePlan,
    communicationPlan,
    ctdDataUsage: device.record.usageBytes,
    ctdSMSUsage: counts.sms,
    ctdVoiceUsage: 0,
    ctdSessionCount: counts.sessions,
    overageLimitReached: false,
    overageLimitOverride: overageOverrideOf(device, now),
  };
}

export type CtdUsage = ReturnType<typeof ctdUsage>;
