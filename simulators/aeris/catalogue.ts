import type { CellularNumbering } from "../../src/inventory/numbering.js";
import type { PlatformRuntime } from "../shared/runtime.js";

/**
 * What the operator configured on its Aeris tenant and the fake makes up (invented values, real
 * field names): subscription packages, regions, the APN and its fixed-IP pool.
 */

export const APN = { name: "iot.magenta.at", description: "Magenta IoT private APN" } as const;
export const FIXED_IP_SUBNET = "100.64.0.0/10";

export interface SubscriptionPackage {
  id: string;
  description: string;
}

interface Region {
  short_name: string;
  description: string;
  quarantine_period: number;
  number_length: number;
  pool_id: string;
  status: "ACTIVE" | "INACTIVE";
}

/** Days an MSISDN stays reserved after termination (the regions' `quarantine_period`). */
const QUARANTINE_DAYS = 90;

function cellular(runtime: PlatformRuntime): CellularNumbering {
  const plan = runtime.definition.numbering;
  if (plan.kind !== "cellular") throw new Error(`${runtime.code} is not a cellular platform`);
  return plan;
}

/** The numbering plan lists rate plans and offerings side by side: package id and its description. */
function subscriptionPackages(runtime: PlatformRuntime): SubscriptionPackage[] {
  const plan = cellular(runtime);
  return plan.ratePlans.map((id, i) => ({ id, description: plan.offerings[i] ?? id }));
}

export function findPackage(runtime: PlatformRuntime, id: string): SubscriptionPackage | undefined {
  return subscriptionPackages(runtime).find((p) => p.id === id);
}

/**
 * The communication plans of the numbering plan are the tenant's regions; `numberLength` is the
 * length of the MSISDNs a region hands out, the asking subscription's own.
 */
export function regions(runtime: PlatformRuntime, numberLength: number): Region[] {
  const plan = cellular(runtime);
  return plan.communicationPlans.map((name) => ({
    short_name: name,
    description: `Region ${name}`,
    quarantine_period: QUARANTINE_DAYS,
    number_length: numberLength,
    pool_id: msisdnPool(runtime, name).id,
    status: "ACTIVE",
  }));
}

/** Each region hands out MSISDNs from a pool of its own. */
export function msisdnPool(runtime: PlatformRuntime, region: string): { id: string; shortName: string } {
  const plan = cellular(runtime);
  const index = plan.communicationPlans.indexOf(region) + 1;
  return { id: `${plan.mcc}${plan.mnc}P${String(index).padStart(5, "0")}`, shortName: `POOL_${region}` };
}

export function isRegion(runtime: PlatformRuntime, name: string): boolean {
  return cellular(runtime).communicationPlans.includes(name);
}

/** Addresses from the carrier-grade NAT range 100.64.0.0/10, skipping its network address. */
export function fixedIp(index: number): string {
  const host = index + 1;
  return `100.${64 + ((host >> 16) & 63)}.${(host >> 8) & 255}.${host & 255}`;
}

/** The operator id Aeris shows on subscriptions: here the network's MCC and MNC. */
export function operatorId(runtime: PlatformRuntime): string {
  const plan = cellular(runtime);
  return plan.mcc + plan.mnc;
}
