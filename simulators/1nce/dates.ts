import { utcText } from "../shared/utc-text.js";

/**
 * 1NCE writes dates three ways: SIM objects and v1 events `2019-03-26T13:03:17.000+0000`, SMS,
 * quotas and v2 events plain ISO (`…000Z`), v2 locations `2023-08-06 09:59:05` (no zone).
 */
export function onceDate(ms: number | undefined): string | null {
  return ms === undefined ? null : utcText(ms, "T", "+0000");
}

export function spacedDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

export const DAY_MS = 86_400_000;

/** Midnight UTC of the day `ms` falls in. */
export const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
