import type { LogEntry } from "../shared/device-log.js";
import { badRequest } from "../shared/http.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeError } from "../shared/types.js";
import { connectivityOf, reachable } from "./connectivity.js";
import { DAY_MS } from "./dates.js";
import { conflict } from "./errors.js";
import { recordEvent } from "./events.js";
import { chargeSms, quotaOf } from "./quota.js";

/** The device-log kind holding MT-SMS sent through the API. */
export const SMS = "sms";

/**
 * An MT-SMS as stored: everything its status will ever be is decided at submission, so its status
 * at any moment is a function of this data and the clock (no timer to lose in a snapshot).
 */
export interface StoredSms {
  submittedAt: number;
  sourceAddress: string | null;
  sourceAddressType: number | null;
  payload: string;
  udh: string | null;
  dcs: number;
  /** The client's `expiry_date`, if it gave one. */
  expiresAt: number | null;
  /** A message still pending 24 h after submission fails (1NCE's SMS docs). */
  giveUpAt: number;
  /** When the device receives it; null when it never will (blocked, offline, expired first). */
  deliverAt: number | null;
  msc: string;
  cancelledAt?: number;
}

export type SmsPhase = "PENDING" | "DELIVERED" | "FAILED" | "EXPIRED";

/** Where a message stands at `now`, and when it got there (undefined while still pending). */
export function smsPhase(sms: StoredSms, now: number): { phase: SmsPhase; finalAt: number | undefined } {
  if (sms.deliverAt !== null && now >= sms.deliverAt) return { phase: "DELIVERED", finalAt: sms.deliverAt };
  if (sms.expiresAt !== null && sms.expiresAt <= sms.giveUpAt && now >= sms.expiresAt)
    return { phase: "EXPIRED", finalAt: sms.expiresAt };
  if (now >= sms.giveUpAt) return { phase: "FAILED", finalAt: sms.giveUpAt };
  return { phase: "PENDING", finalAt: undefined };
}

export const storedSms = (entry: LogEntry): StoredSms => entry.data as unknown as StoredSms;

/** What a client asks for; the rest of a stored message is decided at submission. */
export type SmsRequest = Omit<StoredSms, "submittedAt" | "giveUpAt" | "deliverAt" | "msc">;

/** Ours: how long a reachable device takes to receive a message (shrinks with `--time-scale`). */
const DELIVERY_MS = { min: 2_000, max: 20_000 };

/**
 * Submits an MT-SMS: spends one SMS of the quota (an exhausted quota refuses with 409) and decides
 * its fate now: a reachable device receives it within seconds; a blocked or offline one never
 * does, so it expires at the client's `expiry_date` or fails after 24 h, whichever comes first.
 */
export async function submitSms(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  request: SmsRequest,
): Promise<LogEntry | NativeError> {
  if (quotaOf(device, "sms").left <= 0)
    return conflict(`The SMS quota of SIM ${device.record.iccid} is exhausted`);
  const now = runtime.now();
  const connectivity = connectivityOf(runtime, device);
  const delay = (await runtime.nextId("sms")).stream.uniform(DELIVERY_MS.min, DELIVERY_MS.max);
  const giveUpAt = now + DAY_MS;
  const deliverAt = now + Math.round(delay * runtime.options.timeScale);
  const deadline = Math.min(giveUpAt, request.expiresAt ?? giveUpAt);
  const sms: StoredSms = {
    ...request,
    submittedAt: now,
    giveUpAt,
    deliverAt: reachable(connectivity) && deliverAt < deadline ? deliverAt : null,
    msc: connectivity.mscNumber,
  };
  const entry = await runtime.logs.append(SMS, {
    accountId: account.id,
    nativeId: device.record.nativeId,
    at: now,
    data: { ...sms },
  });
  await chargeSms(runtime, device);
  await recordEvent(runtime, account, device, { change: "sms_submitted", sms: entry.id });
  return entry;
}

/** The SIM's messages still on record, oldest first; a cancelled one is gone, as DELETE says. */
export async function smsOf(runtime: PlatformRuntime, device: Device): Promise<LogEntry[]> {
  return (
    await runtime.logs.find(SMS, { accountId: device.accountId, nativeId: device.record.nativeId })
  ).filter((entry) => storedSms(entry).cancelledAt === undefined);
}

export async function findSms(
  runtime: PlatformRuntime,
  device: Device,
  id: string,
): Promise<LogEntry | undefined> {
  const entry = await runtime.logs.get(SMS, id);
  return entry &&
    entry.nativeId === device.record.nativeId &&
    entry.accountId === device.accountId &&
    storedSms(entry).cancelledAt === undefined
    ? entry
    : undefined;
}

/** Cancels a message still buffered; one already delivered, failed or expired cannot be. Not refunded. */
export async function cancelSms(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  entry: LogEntry,
): Promise<NativeError | undefined> {
  const { phase } = smsPhase(storedSms(entry), runtime.now());
  if (phase !== "PENDING") return badRequest(`SMS ${entry.id} is ${phase} and can no longer be cancelled`);
  await runtime.logs.update(SMS, entry.id, { cancelledAt: runtime.now() });
  await recordEvent(runtime, account, device, { change: "sms_cancelled", sms: entry.id });
  return undefined;
}
