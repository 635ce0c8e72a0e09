import type { Context } from "hono";
import { INVENTORY_EPOCH } from "../../src/inventory/generate.js";
import { badRequest } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeError } from "../shared/types.js";
import { DAY_MS, dayStart } from "./dates.js";
import { isError } from "./errors.js";
import { singleQuery } from "./request.js";
import { SMS } from "./sms.js";

/** "The output is limited to the last 6 months" (v1 spec). */
const MONTHS_KEPT = 6;
const MB = 1024 * 1024;
/** Ours: the share of a day's data that went down to the device. */
const DOWNLINK_SHARE = 0.75;

export interface UsageWindow {
  /** First and last day (midnight UTC), both included. */
  from: number;
  to: number;
}

function readDay(c: Context, name: string): number | undefined | NativeError {
  const raw = singleQuery(c, name);
  if (raw === undefined || isError(raw)) return raw;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2024-02-30 over into March; a real date reads back as itself.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== raw)
    return badRequest(`${name} must be a date in the format YYYY-MM-DD`);
  return ms;
}

/**
 * `start_dt` / `end_dt`, both optional: a missing start is six months back, a missing end today.
 * Days outside the last six months are cut off, as documented, not refused.
 */
export function readUsageWindow(c: Context, now: number): UsageWindow | NativeError {
  const start = readDay(c, "start_dt");
  if (isError(start)) return start;
  const end = readDay(c, "end_dt");
  if (isError(end)) return end;
  if (start !== undefined && end !== undefined && start > end)
    return badRequest("start_dt must not be after end_dt");
  const earliest = new Date(dayStart(now));
  earliest.setUTCMonth(earliest.getUTCMonth() - MONTHS_KEPT);
  return {
    from: Math.max(earliest.getTime(), start ?? earliest.getTime()),
    to: Math.min(dayStart(now), end ?? dayStart(now)),
  };
}

/**
 * The generated data volume spread over the days of the inventory's usage period, in seeded
 * shares: the same SIM always used the same amount on the same day, and the days add up to what
 * its data quota says was spent.
 */
function dataByDay(runtime: PlatformRuntime, device: Device): Map<number, number> {
  const r = device.record;
  const first = dayStart(Math.max(r.usageSince, device.activatedAt ?? r.usageSince));
  const days: number[] = [];
  for (let day = first; day < INVENTORY_EPOCH; day += DAY_MS) days.push(day);
  const s = runtime.options.random.stream(runtime.code, "usage", r.nativeId);
  const weights = days.map(() => 0.2 + s.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  return new Map(days.map((day, i) => [day, (r.usageBytes * (weights[i] as number)) / sum / MB]));
}

const CURRENCY = { id: 1, symbol: "€", code: "EUR" };
const fixed6 = (n: number) => n.toFixed(6);

/** v1 `DailyUsage`: one entry per day with traffic, oldest first; volumes and costs are strings. */
export async function dailyUsage(runtime: PlatformRuntime, device: Device, window: UsageWindow) {
  const data = dataByDay(runtime, device);
  const smsByDay = new Map<number, number>();
  const sent = await runtime.logs.find(SMS, {
    accountId: device.accountId,
    nativeId: device.record.nativeId,
    since: window.from,
    until: window.to + DAY_MS - 1,
  });
  for (const { at } of sent) {
    const day = dayStart(at);
    smsByDay.set(day, (smsByDay.get(day) ?? 0) + 1);
  }
  const days = [...new Set([...data.keys(), ...smsByDay.keys()])]
    .filter((day) => day >= window.from && day <= window.to)
    .sort((a, b) => a - b);
  return {
    stats: days.map((day) => {
      const mb = data.get(day) ?? 0;
      const down = Math.round(mb * DOWNLINK_SHARE * 1e6) / 1e6;
      const mt = smsByDay.get(day) ?? 0;
      return {
        date: new Date(day).toISOString(),
        data: {
          // 1NCE's cost mirrors the volume one to one; no money value stands behind it.
          cost: fixed6(mb),
          currency: CURRENCY,
          traffic_type: { description: "Data", id: 1, unit: "MB" },
          volume: fixed6(mb),
          volume_rx: fixed6(down),
          volume_tx: fixed6(Math.max(0, mb - down)),
        },
        sms: {
          cost: String(mt),
          currency: CURRENCY,
          traffic_type: { description: "SMS", id: 1, unit: "SMS" },
          volume: String(mt),
          // rx counts MO (none are simulated), tx counts MT.
          volume_rx: "0",
          volume_tx: String(mt),
        },
      };
    }),
  };
}
