import type { RandomStream } from "./random.js";

/** Per-request failure behaviour of a platform operation. Rates are probabilities in [0, 1]. */
export interface FaultSpec {
  /** The platform answers with its own error envelope and this status. */
  errorRate: number;
  errorStatus: number;
  /** The request hangs for `timeoutMs`, then fails as the platform's gateway would (504). */
  timeoutRate: number;
  timeoutMs: number;
  /** The change is applied but the answer is lost (writes only). */
  ghostRate: number;
  ghostMode: "gateway-timeout" | "connection-reset";
}

export type FaultDecision =
  | { kind: "none" }
  | { kind: "error"; status: number }
  | { kind: "timeout"; afterMs: number }
  | { kind: "ghost"; mode: FaultSpec["ghostMode"] };

export const NO_FAULTS: FaultSpec = {
  errorRate: 0,
  errorStatus: 500,
  timeoutRate: 0,
  timeoutMs: 30_000,
  ghostRate: 0,
  ghostMode: "gateway-timeout",
};

const NONE: FaultDecision = { kind: "none" };

/**
 * One uniform decides among the outcomes (timeout, then error, then ghost), so raising one rate
 * never reshuffles which requests hit another.
 */
export function decideFault(
  spec: FaultSpec,
  stream: RandomStream,
  isWrite: boolean,
  scale = 1,
): FaultDecision {
  const total = spec.timeoutRate + spec.errorRate + (isWrite ? spec.ghostRate : 0);
  if (total <= 0) return NONE;
  const u = stream.next();
  if (u < spec.timeoutRate) return { kind: "timeout", afterMs: spec.timeoutMs * scale };
  if (u < spec.timeoutRate + spec.errorRate) return { kind: "error", status: spec.errorStatus };
  if (isWrite && u < total) return { kind: "ghost", mode: spec.ghostMode };
  return NONE;
}

export interface OutageWindow {
  /** Simulated epoch ms. */
  start: number;
  /** Open-ended when absent (until stopped). */
  end?: number | undefined;
  /** The status the platform answers with while down. */
  status: number;
  reason: string;
}

/** Outage windows of one platform: planned ones from profiles and scenarios, ad-hoc ones from the admin API. */
export class OutageSchedule {
  #windows: OutageWindow[] = [];

  list(): readonly OutageWindow[] {
    return this.#windows;
  }

  add(window: OutageWindow): void {
    this.#windows.push(window);
  }

  activeAt(now: number): OutageWindow | undefined {
    return this.#windows.find((w) => w.start <= now && (w.end === undefined || now < w.end));
  }

  /** Ends every window open at `now`; returns how many were ended. */
  stopAt(now: number): number {
    let ended = 0;
    for (const w of this.#windows) {
      if (w.start <= now && (w.end === undefined || now < w.end)) {
        w.end = now;
        ended++;
      }
    }
    return ended;
  }

  replace(windows: OutageWindow[]): void {
    this.#windows = windows.map((w) => ({ ...w }));
  }

  /** Drops windows that ended before `now`, so a long run does not accumulate them. */
  prune(now: number): void {
    this.#windows = this.#windows.filter((w) => w.end === undefined || w.end > now);
  }
}
