import type { DeviceRecord } from "../../src/inventory/generate.js";
import type { Device } from "../shared/runtime.js";
import { onceDate } from "./dates.js";
import { quotaOf, quotaStatusView } from "./quota.js";

/** Device fields the Management API edits (PUT and bulk POST), under 1NCE's own names. */
export const LABEL = "label";
export const IMEI_LOCK = "imei_lock";

export const labelOf = (device: Device): string => device.fields[LABEL] ?? device.record.label;
export const imeiLockOf = (device: Device): boolean => device.fields[IMEI_LOCK] === "true";

/** 1NCE's `iccid`: 19 digits, without the Luhn digit that `iccid_with_luhn` carries. */
export const shortIccid = (record: DeviceRecord): string => (record.iccid as string).slice(0, -1);

/** The SIM's fixed IP, one per position in the organisation's range. */
export const ipAddressOf = (record: DeviceRecord): string =>
  `10.${(record.index >> 16) & 255}.${(record.index >> 8) & 255}.${record.index & 255}`;

/**
 * Numeric ids v2 shows for a SIM, its endpoint and its IMSI (1NCE's own database ids are not
 * public): the serial digits of the ICCID and the IMSI, which are unique within the platform.
 */
export const simIdOf = (record: DeviceRecord): number => Number((record.iccid as string).slice(-10, -1));
export const imsiIdOf = (record: DeviceRecord): number => Number((record.imsi ?? "0").slice(-9));

/** A SIM as 1NCE's Management API shows it; v1 `SIM_card` and v2 `SimsSim` have the same fields. */
export function nativeSim(device: Device) {
  const r = device.record;
  const data = quotaOf(device, "data");
  const sms = quotaOf(device, "sms");
  return {
    iccid: shortIccid(r),
    iccid_with_luhn: r.iccid as string,
    imsi: r.imsi,
    imsi_2: null,
    current_imsi: r.imsi,
    msisdn: r.msisdn,
    imei: r.imei,
    imei_lock: imeiLockOf(device),
    status: device.nativeStatus,
    activation_date: onceDate(device.activatedAt),
    ip_address: ipAddressOf(r),
    // What is left, not the 500 MB granted: the CMO adapter reads usage from it.
    current_quota: Math.round(Math.max(0, data.left) * 100) / 100,
    quota_status: quotaStatusView(data),
    current_quota_SMS: Math.max(0, sms.left),
    quota_status_SMS: quotaStatusView(sms),
    label: labelOf(device),
  };
}

export type OnceSim = ReturnType<typeof nativeSim>;
