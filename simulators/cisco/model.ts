import type { Device } from "../shared/runtime.js";

/** Control Center writes dates as `2016-06-29 00:21:33.339+0000`. */
export function ccDate(ms: number | undefined): string | null {
  if (ms === undefined) return null;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}+0000`;
}

const DAY = 86_400_000;

/** A static address only on communication plans that hand one out; dynamic plans report null. */
function fixedIp(device: Device): string | null {
  const r = device.record;
  if (!/static/i.test(r.communicationPlan)) return null;
  const n = Number((r.imsi as string).slice(-6));
  return `10.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Get Device Details: every documented field, in the documented order, nulls where CC has them.
 * Written out as one literal: this runs for every device read, and spreading helper objects into it
 * cost more than the rest of the request.
 */
export function deviceDetails(device: Device) {
  const r = device.record;
  return {
    iccid: r.iccid as string,
    imsi: r.imsi as string,
    msisdn: r.msisdn as string,
    imei: r.imei,
    status: device.nativeStatus,
    ratePlan: r.ratePlan,
    communicationPlan: r.communicationPlan,
    customer: null as string | null,
    endConsumerId: null as string | null,
    dateActivated: ccDate(device.activatedAt),
    dateAdded: ccDate(r.addedAt) as string,
    dateUpdated: ccDate(device.updatedAt) as string,
    // Shipped = moved from the operator's stock into the enterprise account, before first use.
    dateShipped: ccDate(Math.min(r.addedAt + DAY, device.activatedAt ?? Number.POSITIVE_INFINITY)),
    accountId: device.accountId,
    fixedIPAddress: fixedIp(device),
    fixedIpv6Address: null as string | null,
    operatorCustom1: "",
    operatorCustom2: "",
    operatorCustom3: "",
    operatorCustom4: "",
    operatorCustom5: "",
    accountCustom1: "",
    accountCustom2: "",
    accountCustom3: "",
    accountCustom4: "",
    accountCustom5: "",
    accountCustom6: "",
    accountCustom7: "",
    accountCustom8: "",
    accountCustom9: "",
    accountCustom10: "",
    customerCustom1: "",
    customerCustom2: "",
    customerCustom3: "",
    customerCustom4: "",
    customerCustom5: "",
    simNotes: null as string | null,
    deviceID: r.label as string | null,
    modemID: "",
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
    ratePlan: device.record.ratePlan,
    communicationPlan: device.record.communicationPlan,
  };
}

export type SearchItem = ReturnType<typeof searchItem>;

export interface SearchPage {
  pageNumber: number;
  devices: SearchItem[];
  lastPage: boolean;
}

const MB = 1024 * 1024;

/** Get Device Usage (cycle to date): data in bytes; SMS and sessions follow the data volume. */
export function ctdUsage(device: Device) {
  const r = device.record;
  return {
    iccid: r.iccid as string,
    imsi: r.imsi as string,
    msisdn: r.msisdn as string,
    imei: r.imei,
    status: device.nativeStatus,
    ratePlan: r.ratePlan,
    communicationPlan: r.communicationPlan,
    ctdDataUsage: r.usageBytes,
    ctdSMSUsage: Math.floor(r.usageBytes / (2 * MB)),
    ctdVoiceUsage: 0,
    ctdSessionCount: Math.ceil(r.usageBytes / (5 * MB)),
    overageLimitReached: false,
    overageLimitOverride: "DEFAULT",
  };
}

export type CtdUsage = ReturnType<typeof ctdUsage>;
