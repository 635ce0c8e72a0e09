import type { Device } from "../shared/runtime.js";

/** 1NCE writes dates as `2019-03-26T13:03:17.000+0000`. */
export function onceDate(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString().replace("Z", "+0000");
}

/** The data volume of 1NCE's lifetime flat, in MB. */
export const QUOTA_MB = 500;

/** A SIM as 1NCE's Management API v1 shows it (field names and case as documented). */
export function nativeSim(device: Device) {
  const r = device.record;
  const iccid = r.iccid as string;
  const usedMb = r.usageBytes / (1024 * 1024);
  const left = Math.max(0, QUOTA_MB - usedMb);
  return {
    iccid: iccid.slice(0, -1),
    iccid_with_luhn: iccid,
    imsi: r.imsi,
    imsi_2: null,
    current_imsi: r.imsi,
    msisdn: r.msisdn,
    imei: r.imei,
    imei_lock: false,
    status: device.nativeStatus,
    activation_date: onceDate(device.activatedAt),
    ip_address: `10.${(r.index >> 16) & 255}.${(r.index >> 8) & 255}.${r.index & 255}`,
    current_quota: Math.round(left * 100) / 100,
    quota_status: {
      id: left > 0 ? 0 : 2,
      description: left > 0 ? "More than 20% available" : "Exhausted",
      threshold_reached_date: null,
      quota_exceeded_date: left > 0 ? null : onceDate(device.updatedAt),
    },
    current_quota_SMS: 250,
    quota_status_SMS: {
      id: 0,
      description: "More than 20% available",
      threshold_reached_date: null,
      quota_exceeded_date: null,
    },
    label: r.label,
  };
}

export type OnceSim = ReturnType<typeof nativeSim>;
