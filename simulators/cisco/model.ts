import type { Device } from "../shared/runtime.js";

/** Control Center writes dates as `2016-06-29 00:21:33.339+0000`. */
export function ccDate(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString().replace("T", " ").replace("Z", "+0000");
}

const DAY = 86_400_000;

function blankFields(prefix: string, count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i + 1}`, ""]));
}

/** A static address only on communication plans that hand one out; dynamic plans report null. */
function fixedIp(device: Device): string | null {
  const r = device.record;
  if (!/static/i.test(r.communicationPlan)) return null;
  const n = Number((r.imsi as string).slice(-6));
  return `10.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
}

/** The fields Device Details and ctdUsages both open with, in that order. */
function identity(device: Device) {
  const r = device.record;
  return {
    iccid: r.iccid as string,
    imsi: r.imsi as string,
    msisdn: r.msisdn as string,
    imei: r.imei,
    status: device.nativeStatus,
    ratePlan: r.ratePlan,
    communicationPlan: r.communicationPlan,
  };
}

/** Get Device Details: every documented field, in the documented order, nulls where CC has them. */
export function deviceDetails(device: Device) {
  const r = device.record;
  return {
    ...identity(device),
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
    ...blankFields("operatorCustom", 5),
    ...blankFields("accountCustom", 10),
    ...blankFields("customerCustom", 5),
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
    ...identity(device),
    ctdDataUsage: r.usageBytes,
    ctdSMSUsage: Math.floor(r.usageBytes / (2 * MB)),
    ctdVoiceUsage: 0,
    ctdSessionCount: Math.ceil(r.usageBytes / (5 * MB)),
    overageLimitReached: false,
    overageLimitOverride: "DEFAULT",
  };
}

export type CtdUsage = ReturnType<typeof ctdUsage>;
