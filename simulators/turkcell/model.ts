import { operationTimes } from "../shared/async-native.js";
import { operationPhase } from "../shared/lifecycle.js";
import { localTime } from "../shared/local-time.js";
import type { Device, NativeOperation, PlatformRuntime } from "../shared/runtime.js";
import { PROVISIONING_ERROR } from "./errors.js";

export const BASE = "/m2m/v1";
/** The gateway's token endpoint: plain OAuth2, outside the enveloped service API. */
export const TOKEN_PATH = "/m2m/oauth/token";
export const COUNTRY_CODE = "90";

/** Every answer's frame; `body` is null when `header` reports an error. */
export interface Envelope<T> {
  header: { resultCode: string; resultDescription: string };
  body: T | null;
}

export const SUCCESS = { resultCode: "0", resultDescription: "SUCCESS" };

/** Istanbul local time (UTC+3 all year) without a zone, as Turkcell writes it: `2026-06-01 15:00:00`. */
const istanbul = (ms: number) => localTime(ms, 180).slice(0, 19).replace("T", " ");

/** A line as Turkcell shows it; MSISDNs are national numbers (5xx…), without the country code. */
export function turkcellLine(device: Device) {
  const r = device.record;
  return {
    iccid: r.nativeId,
    msisdn: (r.msisdn as string).slice(COUNTRY_CODE.length),
    imsi: r.imsi as string,
    lineStatus: device.nativeStatus,
    tariff: r.ratePlan,
    activationDate: device.activatedAt === undefined ? null : istanbul(device.activatedAt),
  };
}

export type TurkcellLine = ReturnType<typeof turkcellLine>;

/** Numeric order ids, as Turkcell's order management issues them. */
export const orderId = (sequence: number) => String(3_000_000_000 + sequence);

/** A line status order: WAITING, IN_PROCESS (the profile's stages), then COMPLETED or ERROR. */
export async function turkcellOrder(runtime: PlatformRuntime, operation: NativeOperation) {
  const orderStatus = await operationPhase(runtime, operation, { succeeded: "COMPLETED", failed: "ERROR" });
  const item = operation.items[0] as { nativeId: string; to: string };
  const times = await operationTimes(runtime, operation);
  return {
    orderId: operation.id,
    orderType: "LINE_STATUS_CHANGE",
    iccid: item.nativeId,
    targetStatus: item.to,
    orderStatus,
    createDate: istanbul(times.createdAt),
    updateDate: istanbul(times.updatedAt),
    ...(orderStatus === "ERROR"
      ? {
          errorCode: PROVISIONING_ERROR,
          errorDescription: `Network provisioning of ${item.to} failed for line ${item.nativeId}`,
        }
      : {}),
  };
}

export type TurkcellOrder = Awaited<ReturnType<typeof turkcellOrder>>;
