import type { Device, PlatformRuntime } from "../shared/runtime.js";
import { fixedIpOf } from "./attributes.js";
import { ccDate } from "./dates.js";

const HOUR = 3_600_000;
/** The only status in which a SIM this fake generates holds data sessions. */
const ONLINE = "ACTIVATED";

/**
 * A device's data sessions, drawn once from the seed and the ICCID: sessions start every `period`
 * ms (offset by `phase`) and last `period * share`, from activation on. Any instant therefore has a
 * current or most recent session computable without stored state, the same on every run.
 */
interface Rhythm {
  period: number;
  share: number;
  phase: number;
}

function rhythmOf(runtime: PlatformRuntime, device: Device): Rhythm {
  const stream = runtime.options.random.stream(runtime.code, "session", device.record.nativeId);
  const period = stream.uniform(2 * HOUR, 24 * HOUR);
  return { period, share: stream.uniform(0.3, 0.95), phase: stream.uniform(0, period) };
}

export interface Session {
  /** Which session of the device's rhythm; keys its dynamic address. */
  index: number;
  startedAt: number;
  /** Undefined while the session is still up. */
  endedAt: number | undefined;
}

/**
 * The period a device could hold sessions in: from activation until now, or until it left
 * ACTIVATED (its last change is the best record of when). Undefined if it never could.
 */
function window(device: Device, now: number): { from: number; until: number } | undefined {
  if (device.activatedAt === undefined) return undefined;
  const until = device.nativeStatus === ONLINE ? now : Math.min(now, device.updatedAt);
  return until >= device.activatedAt ? { from: device.activatedAt, until } : undefined;
}

/** The current or most recent session, or undefined if the device was never in one. */
function lastSession(runtime: PlatformRuntime, device: Device, now: number): Session | undefined {
  const span = window(device, now);
  if (!span) return undefined;
  const { period, share, phase } = rhythmOf(runtime, device);
  const index = Math.floor((span.until - phase) / period);
  const scheduled = phase + index * period;
  // The first session begins with the activation itself and lasts until the next one at most.
  const startedAt = Math.max(scheduled, span.from);
  const endsAt = Math.min(startedAt + period * share, scheduled + period);
  const online = device.nativeStatus === ONLINE && span.until < endsAt;
  return { index, startedAt, endedAt: online ? undefined : Math.min(endsAt, span.until) };
}

/** Sessions started since `since` (the cycle's start): Get Device Usage's `ctdSessionCount`. */
export function sessionsSince(runtime: PlatformRuntime, device: Device, since: number, now: number): number {
  const span = window(device, now);
  if (!span || span.until < since) return 0;
  const { period, phase } = rhythmOf(runtime, device);
  const from = Math.max(since, span.from);
  const regular = Math.floor((span.until - phase) / period) - Math.ceil((from - phase) / period) + 1;
  const activation = span.from >= since ? 1 : 0;
  return Math.max(0, regular) + activation;
}

/** A carrier-grade NAT address per session, unless the communication plan gives a fixed one. */
function addressOf(runtime: PlatformRuntime, device: Device, session: Session): string {
  const fixed = fixedIpOf(device);
  if (fixed) return fixed;
  const s = runtime.options.random.stream(runtime.code, "session", device.record.nativeId, session.index);
  return `100.${s.int(64, 127)}.${s.int(0, 255)}.${s.int(1, 254)}`;
}

/**
 * Get Session Details. `ipAddress` is always present, null if the device was never in session;
 * `ipv6Address` appears only for devices with IPv6, which no generated device has;
 * `dateSessionEnded` is null while the session is up.
 */
export function sessionInfo(runtime: PlatformRuntime, device: Device) {
  const session = lastSession(runtime, device, runtime.now());
  return {
    iccid: device.record.iccid as string,
    ipAddress: session ? addressOf(runtime, device, session) : null,
    dateSessionStarted: ccDate(session?.startedAt),
    dateSessionEnded: ccDate(session?.endedAt),
  };
}
