import type { DeviceRecord } from "../../src/inventory/generate.js";
import { badRequest } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { AerisError } from "./problem.js";

/**
 * How Aeris lets a caller name a subscription. Each endpoint documents its own subset, and every
 * SICA one says the value "is case insensitive".
 */
export const SIM_RESOURCE_IDENTIFIERS = ["IMSI", "IMEI", "MSISDN", "ICC"] as const;
export const SUBSCRIPTION_LIST_IDENTIFIERS = ["IMSI", "MSISDN", "ICC"] as const;
export const ARP_IDENTIFIERS = ["IMSI", "MSISDN"] as const;

export type IdentifierType = (typeof SIM_RESOURCE_IDENTIFIERS)[number];

export function identifierType<T extends IdentifierType>(
  value: unknown,
  allowed: readonly T[],
  name: string,
): T | AerisError {
  const upper = typeof value === "string" ? value.toUpperCase() : undefined;
  const found = allowed.find((type) => type === upper);
  return found ?? badRequest(`${name} must be one of ${allowed.join(", ")} (case insensitive)`);
}

/** The record field each identifier type names, for ordering and comparing. */
export function identifierOf(r: DeviceRecord, type: IdentifierType): string {
  const values: Record<IdentifierType, string | undefined> = {
    ICC: r.iccid,
    IMSI: r.imsi,
    MSISDN: r.msisdn,
    IMEI: r.imei,
  };
  return values[type] ?? "";
}

/**
 * A subscription of `accountId` by one identifier. ICC, IMSI and MSISDN come from numbered ranges
 * and are found at once; IMEIs are random per device, so an IMEI costs a scan of the organisation.
 */
export async function findSubscription(
  runtime: PlatformRuntime,
  accountId: string,
  type: IdentifierType,
  value: string,
): Promise<Device | undefined> {
  if (type === "ICC") return runtime.findDevice(accountId, value);
  if (type === "IMSI") return runtime.findDeviceBy(accountId, "imsi", value);
  if (type === "MSISDN") return runtime.findDeviceBy(accountId, "msisdn", value);
  const { devices } = await runtime.scanDevices(accountId, (d) => d.record.imei === value, 0, 1, false);
  return devices[0];
}
