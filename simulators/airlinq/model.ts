import type { RandomStream } from "../../src/engine/random.js";
import { operationTimes } from "../shared/async-native.js";
import { isoDate } from "../shared/http.js";
import { operationPhase } from "../shared/lifecycle.js";
import type { Device, NativeOperation, PlatformRuntime } from "../shared/runtime.js";
import { PROVISIONING_FAILED } from "./errors.js";

export const BASE = "/cmp/api/v1";
/** The CMP's authorisation server sits beside the versioned API, not inside it. */
export const TOKEN_PATH = "/cmp/oauth/token";

/** A SIM as the CMP shows it. */
export function airlinqSim(device: Device) {
  const r = device.record;
  return {
    iccid: r.nativeId,
    imsi: r.imsi as string,
    msisdn: r.msisdn as string,
    imei: r.imei,
    simState: device.nativeStatus,
    plan: r.ratePlan,
    accountId: device.accountId,
    activatedAt: isoDate(device.activatedAt),
    stateChangedAt: isoDate(device.updatedAt) as string,
  };
}

export type AirlinqSim = ReturnType<typeof airlinqSim>;

/** An ICCID refused when its request was submitted: the request's results show it as FAILED. */
export interface Rejection {
  iccid: string;
  errorCode: string;
  errorMessage: string;
}

/** A MongoDB ObjectId, as the CMP's request ids are: seconds, random bytes, then a counter. */
export function requestId(now: number, id: { sequence: number; stream: RandomStream }): string {
  const seconds = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, "0");
  const random = Math.floor(id.stream.next() * 16 ** 10)
    .toString(16)
    .padStart(10, "0");
  return seconds + random + (id.sequence % 16 ** 6).toString(16).padStart(6, "0");
}

/**
 * A state-change request: IN_PROGRESS until the timeline ends, then SUCCESS, FAILED, or
 * PARTIAL_SUCCESS when some ICCIDs were refused at submission and the rest went through. While it
 * runs, each accepted ICCID shows the stage it is in (QUEUED, PROCESSING).
 */
export async function airlinqRequest(runtime: PlatformRuntime, operation: NativeOperation) {
  const phase = await operationPhase(runtime, operation, { succeeded: "SUCCESS", failed: "FAILED" });
  const provisioningFailed = phase === "FAILED";
  const targetState = operation.items[0]?.to ?? "";
  const rejected = JSON.parse(operation.extra?.rejected ?? "[]") as Rejection[];
  const results = [
    ...operation.items.map((item) => ({
      iccid: item.nativeId,
      status: phase,
      errorCode: provisioningFailed ? PROVISIONING_FAILED : null,
      errorMessage: provisioningFailed
        ? `The network did not confirm the change of ${item.nativeId} to ${targetState}`
        : null,
    })),
    ...rejected.map((r) => ({
      iccid: r.iccid,
      status: "FAILED",
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
    })),
  ];
  const successCount = results.filter((r) => r.status === "SUCCESS").length;
  const failureCount = results.filter((r) => r.status === "FAILED").length;
  const { createdAt, completedAt } = await operationTimes(runtime, operation);
  const status =
    completedAt === undefined
      ? "IN_PROGRESS"
      : failureCount === 0
        ? "SUCCESS"
        : successCount === 0
          ? "FAILED"
          : "PARTIAL_SUCCESS";
  return {
    requestId: operation.id,
    requestType: "STATE_CHANGE",
    targetState,
    reason: operation.extra?.reason ?? null,
    status,
    submittedAt: isoDate(createdAt) as string,
    completedAt: isoDate(completedAt),
    totalCount: results.length,
    successCount,
    failureCount,
    results,
  };
}

export type AirlinqRequest = Awaited<ReturnType<typeof airlinqRequest>>;
