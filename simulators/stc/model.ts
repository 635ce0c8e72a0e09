import { operationTimes } from "../shared/async-native.js";
import { localTime } from "../shared/local-time.js";
import type { Device, NativeOperation, PlatformRuntime } from "../shared/runtime.js";
import { type Language, PROVISIONING_REJECTED, say } from "./errors.js";

export const BASE = "/api/v2";
export const TOKEN_PATH = `${BASE}/oauth/token`;

/** ConnectME writes Saudi local time (UTC+3 all year), offset included. */
const riyadh = (ms: number) => localTime(ms, 180);

/** A subscription (one SIM) as ConnectME shows it. */
export function stcSubscription(device: Device) {
  const { nativeId: iccid, msisdn, imsi, ratePlan } = device.record;
  return {
    iccid,
    msisdn: msisdn as string,
    imsi: imsi as string,
    status: device.nativeStatus,
    ratePlan,
    customerAccount: device.accountId,
    activationDate: device.activatedAt === undefined ? null : riyadh(device.activatedAt),
    lastUpdated: riyadh(device.updatedAt),
  };
}

export type StcSubscription = ReturnType<typeof stcSubscription>;

/** `TRX20260601` + a sequence: the BSS numbers transactions per Riyadh business day. */
export function transactionId(now: number, sequence: number): string {
  return `TRX${riyadh(now).slice(0, 10).replaceAll("-", "")}${String(sequence).padStart(8, "0")}`;
}

/** A status-change transaction: PENDING (at some stage of the BSS order) until COMPLETED or REJECTED. */
export async function stcTransaction(runtime: PlatformRuntime, operation: NativeOperation, lang: Language) {
  const state = await runtime.operationState(operation);
  const status = !state.done ? "PENDING" : state.outcome === "succeeded" ? "COMPLETED" : "REJECTED";
  const { nativeId: iccid, to: requestedStatus } = operation.items[0] as { nativeId: string; to: string };
  const times = await operationTimes(runtime, operation);
  return {
    transactionId: operation.id,
    type: "STATUS_CHANGE",
    iccid,
    requestedStatus,
    status,
    stage: state.stage ?? null,
    createdAt: riyadh(times.createdAt),
    updatedAt: riyadh(times.updatedAt),
    completedAt: times.completedAt === undefined ? null : riyadh(times.completedAt),
    ...(status === "REJECTED"
      ? {
          rejectionCode: PROVISIONING_REJECTED,
          rejectionReason: say(
            PROVISIONING_REJECTED,
            `The network rejected the change of ${iccid} to ${requestedStatus}`,
            lang,
          ),
        }
      : {}),
  };
}

export type StcTransaction = Awaited<ReturnType<typeof stcTransaction>>;
