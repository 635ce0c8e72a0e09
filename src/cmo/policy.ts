import type { CmoStatus } from "../config/schema.js";

/**
 * The CMO's own rules for one platform: what it lets a client do there and how it calls it. They
 * are configured beside the fake's behaviour (one profile document), but belong to the CMO, so a
 * platform pointed at a real sandbox keeps them.
 */
export interface CmoPolicy {
  /** CMO-level transitions the platform allows, as data: from status → allowed targets. */
  transitions: Partial<Record<CmoStatus, CmoStatus[]>>;
  transfer: boolean;
  syncWaitTimeoutMs: number;
  /** How the CMO paces its calls to this platform. */
  pacing: { maxWaitMs: number; passThrough: boolean };
  /** How long the CMO waits for a turn at a one-at-a-time gate, and then for the native answer. */
  callTimeoutMs: number;
}

/** The CMO's pacing unless a platform or a run says otherwise: a second of queueing, then 429. */
export const DEFAULT_PACING: CmoPolicy["pacing"] = { maxWaitMs: 1000, passThrough: false };
/** As long as the HTTP transport waits for an answer, so the two give up together by default. */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
