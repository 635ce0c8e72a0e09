import type { Device, PlatformRuntime } from "../shared/runtime.js";
import { onceDate } from "./dates.js";

/** 1NCE's one product: a lifetime flat of 500 MB and 250 SMS (its product page and spec examples). */
export const QUOTA_MB = 500;
const QUOTA_SMS = 250;
/** The documented threshold: a quota "reaches" it at 20 % left or less. */
const THRESHOLD_PERCENT = 20;
/** The flat runs ten years from activation (the generated offering's name says so). */
const LIFETIME_YEARS = 10;
/** v2: 1 MB = 1024 KB. */
const MB = 1024 * 1024;
/** Ours: the throttle a 1NCE data quota reports; not published. */
const PEAK_THROUGHPUT_BPS = 1_000_000;

export type QuotaService = "data" | "sms";

/** One quota of a SIM, whichever version renders it. `left` may be negative (v2 says so). */
export interface Quota {
  service: QuotaService;
  total: number;
  left: number;
  createdAt: number;
  expiresAt: number;
  thresholdAt: number | undefined;
  exhaustedAt: number | undefined;
}

const stamp = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/** Device fields holding what the API changed about the SMS quota. */
const SMS_USED = "sms_used";
const SMS_THRESHOLD_AT = "sms_threshold_at";
const SMS_EXHAUSTED_AT = "sms_exhausted_at";

export function quotaOf(device: Device, service: QuotaService): Quota {
  const r = device.record;
  const createdAt = device.activatedAt ?? r.addedAt;
  const total = service === "data" ? QUOTA_MB : QUOTA_SMS;
  const expiry = new Date(createdAt);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + LIFETIME_YEARS);
  const base = { service, total, createdAt, expiresAt: expiry.getTime() };
  if (service === "sms") {
    return {
      ...base,
      left: total - Number(device.fields[SMS_USED] ?? 0),
      thresholdAt: stamp(device.fields[SMS_THRESHOLD_AT]),
      exhaustedAt: stamp(device.fields[SMS_EXHAUSTED_AT]),
    };
  }
  const left = total - r.usageBytes / MB;
  // The generated usage carries no history; its last change stands in for when a level was crossed.
  return {
    ...base,
    left,
    thresholdAt: left <= thresholdVolume(total) ? r.updatedAt : undefined,
    exhaustedAt: left <= 0 ? r.updatedAt : undefined,
  };
}

const thresholdVolume = (total: number) => (total * THRESHOLD_PERCENT) / 100;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** Spends one SMS of the quota, stamping the levels it crosses (v2's volume may go below zero). */
export async function chargeSms(runtime: PlatformRuntime, device: Device): Promise<void> {
  const quota = quotaOf(device, "sms");
  const left = quota.left - 1;
  const now = runtime.now();
  const fields: Record<string, string> = { [SMS_USED]: String(quota.total - left) };
  if (left <= thresholdVolume(quota.total) && quota.thresholdAt === undefined)
    fields[SMS_THRESHOLD_AT] = String(now);
  if (left <= 0 && quota.exhaustedAt === undefined) fields[SMS_EXHAUSTED_AT] = String(now);
  await runtime.setFields(device.record.nativeId, fields);
}

/** The SIM object's `quota_status` / `quota_status_SMS`: 0 above 20 %, 1 at or below, 2 at nothing left. */
export function quotaStatusView(quota: Quota) {
  const level = quota.left <= 0 ? 2 : quota.left <= thresholdVolume(quota.total) ? 1 : 0;
  return {
    id: level,
    description: ["More than 20% available", "Less than 20% available", "Exhausted"][level] as string,
    threshold_reached_date: onceDate(quota.thresholdAt),
    quota_exceeded_date: onceDate(quota.exhaustedAt),
  };
}

/** v1 `Quota`: what is left never shows below zero. */
export function quotaV1(quota: Quota) {
  return {
    volume: round6(Math.max(0, quota.left)),
    total_volume: quota.total,
    expiry_date: new Date(quota.expiresAt).toISOString(),
    ...(quota.service === "data" ? { peak_throughput: PEAK_THROUGHPUT_BPS } : {}),
    last_volume_added: quota.total,
    last_status_change_date: new Date(
      quota.exhaustedAt ?? quota.thresholdAt ?? quota.createdAt,
    ).toISOString(),
    threshold_percentage: THRESHOLD_PERCENT,
  };
}

/**
 * v2 `SimsQuota`. Its status ids follow the schema's description (0 EXHAUSTED, 1 ACTIVE, 2 EXPIRED);
 * the schema's own example pairs 0 with ACTIVE, which contradicts it.
 */
export function quotaV2(quota: Quota, device: Device, now: number) {
  const status =
    now >= quota.expiresAt
      ? { id: 2, description: "EXPIRED" }
      : quota.left <= 0
        ? { id: 0, description: "EXHAUSTED" }
        : { id: 1, description: "ACTIVE" };
  return {
    id: device.record.index * 2 + (quota.service === "data" ? 1 : 2),
    status,
    volume: round6(quota.left),
    total_volume: quota.total,
    accumulated_total_volume: quota.total,
    last_volume_added: quota.total,
    service: quota.service,
    threshold_percentage: THRESHOLD_PERCENT,
    threshold_volume: thresholdVolume(quota.total),
    expiry_date: new Date(quota.expiresAt).toISOString(),
    created_at: new Date(quota.createdAt).toISOString(),
  };
}
