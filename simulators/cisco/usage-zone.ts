import type { Context } from "hono";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import { type ControlCenterOffer, ratePlanOf } from "./attributes.js";
import { CYCLES_KEPT, cycleEnd, cycleStart, shiftCycle } from "./cycle.js";
import { ccStamp, parseDay } from "./dates.js";
import { badParameter, CODES, type ControlCenterError, ccError } from "./errors.js";
import { SMS, type SmsData } from "./sms-message.js";

export const ZONE_PARAMS: ReadonlySet<string> = new Set([
  "cycleStartDate",
  "ratePlan",
  "zone",
  "isActiveRatePlan",
]);
/** Rate plans are never republished here, so every device is on version 1 of its plan. */
const RATE_PLAN_VERSION = "1";

/** Data volume of a cycle: the generated cycle-to-date figure now, a seeded variation of it before. */
function dataUsage(runtime: PlatformRuntime, device: Device, start: number, now: number): number {
  const usage = device.record.usageBytes;
  if (start === cycleStart(now)) return usage;
  if (device.activatedAt === undefined || device.activatedAt > cycleEnd(start)) return 0;
  const s = runtime.options.random.stream(runtime.code, "zone-usage", device.record.nativeId, start);
  return Math.round(usage * s.uniform(0.6, 1.4));
}

/** How a cycle's data splits over the zones: mostly home (the first zone), sometimes roaming. */
function zoneShares(runtime: PlatformRuntime, device: Device, start: number, zones: readonly string[]) {
  const s = runtime.options.random.stream(runtime.code, "zone-usage", device.record.nativeId, start, "zones");
  const [home, ...away] = zones;
  if (away.length === 0 || s.next() < 0.6) return [{ zone: home as string, share: 1 }];
  const roamed = s.uniform(0.02, 0.25);
  const weights = away.map(() => s.next());
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return [
    { zone: home as string, share: 1 - roamed },
    ...away.map((zone, i) => ({ zone, share: (roamed * (weights[i] as number)) / total })),
  ];
}

const orNull = (n: number) => (n > 0 ? n : null);

/** The zone records of one cycle; zones with no usage at all are left out. */
async function zoneRecords(
  runtime: PlatformRuntime,
  device: Device,
  offer: ControlCenterOffer,
  start: number,
  now: number,
) {
  const bytes = dataUsage(runtime, device, start, now);
  const messages = (
    await runtime.logs.find(SMS, {
      nativeId: device.record.nativeId,
      since: start,
      until: Math.min(now, cycleEnd(start)),
    })
  ).map((entry) => (entry.data as SmsData).msgType);
  const count = (type: string) => messages.filter((t) => t === type).length;
  const ratePlan = ratePlanOf(device);
  return zoneShares(runtime, device, start, offer.zones).flatMap(({ zone, share }, i) => {
    const data = Math.round(bytes * share);
    // Messages are rated in the home zone.
    const [mt, mo] = i === 0 ? [count("MT"), count("MO")] : [0, 0];
    if (data === 0 && mt === 0 && mo === 0) return [];
    return [
      {
        ratePlan,
        ratePlanVersion: RATE_PLAN_VERSION,
        zone,
        dataUsage: orNull(data),
        dataUsageUnit: data > 0 ? "bytes" : null,
        voiceMTUsage: null,
        voiceMTUsageUnit: null,
        voiceMOUsage: null,
        voiceMOUsageUnit: null,
        // The letter case captured from a live Control Center, not the docs' camel case.
        smsmtusage: orNull(mt),
        smsmousage: orNull(mo),
      },
    ];
  });
}

/** The cycle a request names (its first day, one of the last three cycles), or the current one. */
function requestedCycle(raw: string | undefined, now: number): number | ControlCenterError {
  if (raw === undefined) return cycleStart(now);
  const day = parseDay(raw);
  if (!day) return badParameter("CycleStartDate is invalid. Expected format yyyy-MM-ddZ.");
  const start = Date.UTC(day.year, day.month - 1, day.day);
  const kept = Array.from({ length: CYCLES_KEPT }, (_, k) => shiftCycle(now, -k));
  return kept.includes(start)
    ? start
    : badParameter("CycleStartDate must be the first day of one of the last three billing cycles.");
}

/**
 * Get Device Usage by Zone: one cycle's usage by rate plan and zone. Usage is rated on the plan the
 * device is on now (a plan changed mid-cycle does not split it), and there are no inactive plans,
 * so `isActiveRatePlan=false` finds nothing.
 */
export async function usageInZone(
  c: Context,
  runtime: PlatformRuntime,
  device: Device,
  offer: ControlCenterOffer,
): Promise<object | ControlCenterError> {
  const now = runtime.now();
  const start = requestedCycle(c.req.query("cycleStartDate"), now);
  if (typeof start !== "number") return start;
  const ratePlan = c.req.query("ratePlan");
  if (ratePlan !== undefined && !offer.ratePlans.includes(ratePlan))
    return badParameter(`RatePlan ${ratePlan} is invalid.`);
  const zone = c.req.query("zone");
  if (zone !== undefined && !offer.zones.includes(zone))
    return ccError("bad-request", 400, CODES.invalidZone, "Invalid Zone.");
  const active = c.req.query("isActiveRatePlan");
  if (active !== undefined && active !== "true" && active !== "false")
    return badParameter(`IsActiveRatePlan ${active} is invalid: true or false.`);

  const plan = ratePlanOf(device);
  const wanted = active !== "false" && (ratePlan === undefined || ratePlan === plan);
  const records = wanted
    ? (await zoneRecords(runtime, device, offer, start, now)).filter(
        (r) => zone === undefined || r.zone === zone,
      )
    : [];
  return {
    iccid: device.record.iccid as string,
    // Live answers spell it `timeStamp`, whatever the docs say.
    timeStamp: ccStamp(now),
    cycleStartDate: ccStamp(start),
    // The cycle's last whole second, as live bodies end it.
    cycleEndDate: ccStamp(cycleEnd(start) - 999),
    deviceCycleUsageInZones: records.length > 0 ? { [`${plan}, ${RATE_PLAN_VERSION}`]: records } : {},
  };
}
