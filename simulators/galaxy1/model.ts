import type { TerminalDetails } from "../../src/inventory/generate.js";
import { isoDate } from "../shared/http.js";
import type { Device } from "../shared/runtime.js";

/** GALAXY1 names the service by how the terminal moves; the CMO names the mobility itself. */
export const SERVICE_TYPES: Record<TerminalDetails["mobilityType"], string> = {
  Fixed: "FIXED",
  Maritime: "MARITIME",
  "Land mobile": "LAND_MOBILE",
};

export const MOBILITY_OF_SERVICE: Record<string, string> = Object.fromEntries(
  Object.entries(SERVICE_TYPES).map(([mobility, service]) => [service, mobility]),
);

/** A terminal as GALAXY1 shows it: status may be ACTIVATING or SUSPENDING while a change runs. */
export function nativeTerminal(device: Device, now: number) {
  const r = device.record;
  const t = r.terminal as TerminalDetails;
  return {
    terminalId: r.nativeId,
    imei: r.imei,
    serviceType: SERVICE_TYPES[t.mobilityType],
    status: device.nativeStatus,
    plan: r.ratePlan,
    lastRegistration: device.activatedAt === undefined ? null : isoDate(device.updatedAt),
    label: t.name,
    model: t.model,
    antennaCode: t.antennaCode,
    position: { lat: t.latitude, lon: t.longitude },
    vessel: t.mobilityType === "Maritime" ? { imo: t.imoNumber, mmsi: t.mmsi } : null,
    createdAt: isoDate(r.addedAt),
    activatedAt: isoDate(device.activatedAt),
    updatedAt: isoDate(device.updatedAt),
    usage: { from: isoDate(r.usageSince), to: isoDate(now), kilobytes: r.usageBytes / 1024 },
  };
}

export type Galaxy1Terminal = ReturnType<typeof nativeTerminal>;
