import { type CmoPolicy, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_PACING } from "../../src/cmo/policy.js";
import type { Operation, PlatformProfileInput } from "../../src/config/schema.js";
import type { FaultSpec } from "../../src/engine/faults.js";
import { NO_FAULTS } from "../../src/engine/faults.js";
import { type DurationSpec, typicalDuration } from "../../src/engine/latency.js";
import type { PacingLimits } from "../../src/engine/pacing.js";
import type { RateLimitRule } from "../../src/engine/rate-limit.js";
import type { StageSpec } from "../../src/engine/timeline.js";

export interface OutagePlan {
  /** ms after the run starts, or an ISO date-time. */
  start: number | string;
  durationMs?: number | undefined;
  status: number;
  reason: string;
}

/** What the fake does: its latency, faults, outages, rate limits and native lifecycle timing. */
export interface FakeBehaviour {
  latency: DurationSpec;
  operations: Partial<
    Record<Operation, { latency?: DurationSpec | undefined; faults?: Partial<FaultSpec> | undefined }>
  >;
  faults: FaultSpec;
  outages: OutagePlan[];
  rateLimits: RateLimitRule[];
  maxConcurrent: number | null;
  /** Stages of the platform's native async operations; absent for platforms that change at once. */
  asyncTimeline: StageSpec[] | null;
  nativeTokenLifetimeSeconds: number;
}

/**
 * A platform profile with every field present: defaults from the platform, overridden by config.
 * One document as users write it, holding the fake's behaviour and the CMO's policy for it.
 */
export interface Profile extends FakeBehaviour, CmoPolicy {}

/** Profile defaults a platform states in its own folder; faults default to none, pacing to the CMO's own. */
export type ProfileDefaults = Omit<
  Profile,
  "faults" | "outages" | "operations" | "pacing" | "callTimeoutMs"
> &
  Partial<Pick<Profile, "faults" | "outages" | "operations" | "pacing" | "callTimeoutMs">>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Objects merge key by key, everything else (arrays included) replaces: overriding a rate-limit
 * list or a transition list states the whole new list, which is what a profile author means.
 * Duration models replace whole too, since merging two models' fields would mix their shapes.
 */
export function mergeDeep<T>(base: T, override: unknown, replaceWhole: ReadonlySet<string> = new Set()): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    out[key] = replaceWhole.has(key) ? value : mergeDeep(out[key], value, replaceWhole);
  }
  return out as T;
}

const WHOLE_VALUES = new Set(["latency", "duration", "transitions"]);

export function resolveProfile(
  defaults: ProfileDefaults,
  ...overrides: Array<PlatformProfileInput | undefined>
): Profile {
  let profile: Profile = {
    operations: {},
    outages: [],
    callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
    ...defaults,
    faults: { ...NO_FAULTS, ...defaults.faults },
    pacing: { ...DEFAULT_PACING, ...defaults.pacing },
  };
  for (const override of overrides) profile = mergeDeep(profile, override, WHOLE_VALUES);
  return profile;
}

/**
 * What the CMO's pacing queue keeps to, from the live profile. `latencyScale` is the time scale where
 * latency is applied (0 where it is not): it tells how long a call should take before any has.
 */
export function pacingLimits(
  profile: Pick<FakeBehaviour, "rateLimits" | "maxConcurrent" | "latency"> &
    Pick<CmoPolicy, "pacing" | "callTimeoutMs">,
  mayWait: boolean,
  latencyScale: number,
): PacingLimits {
  return {
    rules: profile.rateLimits,
    maxConcurrent: profile.maxConcurrent,
    maxWaitMs: profile.pacing.maxWaitMs,
    gateWaitMs: profile.callTimeoutMs,
    typicalCallMs: latencyScale === 0 ? 0 : typicalDuration(profile.latency) * latencyScale,
    passThrough: profile.pacing.passThrough,
    mayWait,
  };
}

/** The effective latency and faults of one operation. */
export function operationProfile(
  profile: FakeBehaviour,
  operation: Operation,
): { latency: DurationSpec; faults: FaultSpec } {
  const op = profile.operations[operation];
  return {
    latency: op?.latency ?? profile.latency,
    faults: op?.faults ? { ...profile.faults, ...op.faults } : profile.faults,
  };
}
