import type { TerminalDetails } from "../../src/inventory/generate.js";
import { isoDate } from "../shared/http.js";
import { operationPhase } from "../shared/lifecycle.js";
import type { Device, NativeOperation, PlatformRuntime } from "../shared/runtime.js";

/** INTELSAT's order API, as we designed it: one action per lifecycle step, each from given statuses. */
export const ACTIONS = {
  activate: { to: "ACTIVE", from: ["PROVISIONED"] },
  resume: { to: "ACTIVE", from: ["SUSPENDED"] },
  suspend: { to: "SUSPENDED", from: ["ACTIVE"] },
  deactivate: { to: "DEACTIVATED", from: ["PROVISIONED", "ACTIVE", "SUSPENDED"] },
} as const satisfies Record<string, { to: string; from: readonly string[] }>;

export type ActionName = keyof typeof ACTIONS;

export const STATUSES = [
  "PROVISIONED",
  "PENDING_ACTIVATION",
  "ACTIVE",
  "SUSPENDED",
  "PENDING_DEACTIVATION",
  "DEACTIVATED",
] as const;

/** What the API accepts from each status is exactly what its actions allow. */
export const NATIVE_TRANSITIONS: Record<string, string[]> = Object.fromEntries(
  STATUSES.map((status) => [
    status,
    [
      ...new Set(
        Object.values(ACTIONS)
          .filter((a) => (a.from as readonly string[]).includes(status))
          .map((a) => a.to),
      ),
    ],
  ]),
);

export function isAction(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

/**
 * The action that takes a terminal in `from` to `to`; when none does, the first action towards
 * `to`, which the API then refuses in its own words.
 */
export function actionFor(from: string, to: string): ActionName | undefined {
  const towards = (Object.keys(ACTIONS) as ActionName[]).filter((name) => ACTIONS[name].to === to);
  return towards.find((name) => (ACTIONS[name].from as readonly string[]).includes(from)) ?? towards[0];
}

/** Geostationary slots by longitude band, so a terminal's beam follows where it stands. */
const SATELLITES: Array<[fromLongitude: number, name: string]> = [
  [-180, "IS-18"],
  [-120, "IS-35e"],
  [-30, "IS-37e"],
  [30, "IS-33e"],
  [100, "Horizons-3e"],
];

function beamOf(t: TerminalDetails): string {
  const satellite = SATELLITES.findLast(([from]) => t.longitude >= from)?.[1] ?? "IS-18";
  const beam = 1 + Math.min(17, Math.floor((t.latitude + 90) / 10));
  return `${satellite}-B${String(beam).padStart(2, "0")}`;
}

/** A terminal as INTELSAT's API shows it; `terminalId` is the serial the Hub uses in product ids. */
export function nativeTerminal(device: Device, now: number) {
  const r = device.record;
  const t = r.terminal as TerminalDetails;
  const onAir = device.activatedAt !== undefined;
  return {
    terminalId: r.nativeId,
    serialNumber: r.imei.slice(4, 14),
    name: t.name,
    modemType: t.model,
    antennaCode: t.antennaCode,
    servicePlan: r.ratePlan,
    status: device.nativeStatus,
    pendingOrderId: device.pendingOperation ?? null,
    beamId: onAir ? beamOf(t) : null,
    mobilityType: t.mobilityType,
    location: { latitude: t.latitude, longitude: t.longitude },
    vessel: t.mobilityType === "Maritime" ? { imoNumber: t.imoNumber, mmsi: t.mmsi } : null,
    lastSeen: onAir ? isoDate(device.updatedAt) : null,
    activatedAt: isoDate(device.activatedAt),
    provisionedAt: isoDate(r.addedAt),
    updatedAt: isoDate(device.updatedAt),
    usage: { periodStart: isoDate(r.usageSince), periodEnd: isoDate(now), dataBytes: r.usageBytes },
  };
}

export type IntelsatTerminal = ReturnType<typeof nativeTerminal>;

/** An order: its status follows the profile's timeline stages, which are named after it. */
export async function nativeOrder(runtime: PlatformRuntime, operation: NativeOperation) {
  const now = runtime.now();
  const done = (await runtime.operationState(operation)).done;
  const status = await operationPhase(runtime, operation, { succeeded: "COMPLETED", failed: "FAILED" });
  const item = operation.items[0] as { nativeId: string; to: string };
  const passed = operation.plan.stages.filter((s) => s.endsAt <= now).at(-1)?.endsAt;
  const action = operation.extra?.action ?? "";
  return {
    orderId: operation.id,
    terminalId: item.nativeId,
    action,
    status,
    submittedAt: isoDate(operation.createdAt),
    updatedAt: isoDate(passed ?? operation.createdAt),
    completedAt: done ? isoDate(operation.plan.endsAt) : null,
    ...(status === "FAILED"
      ? {
          error: {
            code: "PROVISIONING_FAILED",
            message: `The satellite network did not confirm the ${action} of terminal ${item.nativeId}`,
          },
        }
      : {}),
  };
}

export type IntelsatOrder = Awaited<ReturnType<typeof nativeOrder>>;
