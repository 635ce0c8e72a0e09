import type { CmoStatus, PlatformCode } from "../../src/config/schema.js";
import type { DurationSpec } from "../../src/engine/latency.js";
import type { RateLimitRule } from "../../src/engine/rate-limit.js";
import type { StageSpec } from "../../src/engine/timeline.js";
import type { CellularNumbering, SatelliteNumbering } from "../../src/inventory/numbering.js";
import type { AdapterFactory } from "./adapter.js";
import type { ProfileDefaults } from "./profile.js";
import type { NativeApi, PlatformDefinition, StatusVocabulary } from "./types.js";

/**
 * The vocabulary of platform definitions: each platform states only the numbers and names that are
 * its own, and what nearly all of them share is filled in here once.
 */

/** Anywhere from `min` to `max` ms, uniformly. */
export const range = (min: number, max: number): DurationSpec => ({ type: "range", min, max });

/** A long-tailed duration given by three of its percentiles. */
export const percentiles = (p1: number, p50: number, p99: number): DurationSpec => ({
  type: "percentiles",
  p1,
  p50,
  p99,
});

/** `limit` calls a second or a minute. */
export function perWindow(
  name: "second" | "minute",
  limit: number,
  algorithm: RateLimitRule["algorithm"] = "fixed-window",
): RateLimitRule {
  return { name, limit, windowMs: name === "second" ? 1000 : 60_000, algorithm };
}

/** One stage of an asynchronous change; only the last one of a timeline may fail. */
export function stage(state: string, duration: DurationSpec, failureRate?: number): StageSpec {
  return failureRate === undefined ? { state, duration } : { state, duration, failureRate };
}

/** What a platform states about its profile; the rest is what nearly every platform shares. */
export interface DefaultsSpec {
  latency: DurationSpec;
  rateLimits: RateLimitRule[];
  asyncTimeline: StageSpec[] | null;
  transitions: Partial<Record<CmoStatus, CmoStatus[]>>;
  nativeTokenLifetimeSeconds: number;
  /** No one-at-a-time gate unless stated. */
  maxConcurrent?: number | null;
  /** No account moves unless stated. */
  transfer?: boolean;
}

/** Profile defaults in the one key order every platform's profile is shown in. */
export function profileDefaults(spec: DefaultsSpec): ProfileDefaults {
  return {
    latency: spec.latency,
    rateLimits: spec.rateLimits,
    maxConcurrent: spec.maxConcurrent ?? null,
    asyncTimeline: spec.asyncTimeline,
    transitions: spec.transitions,
    transfer: spec.transfer ?? false,
    syncWaitTimeoutMs: 30_000,
    nativeTokenLifetimeSeconds: spec.nativeTokenLifetimeSeconds,
  };
}

/** The native status each of `statuses` is asked for by: the one a generated device in it gets. */
export function targetsOf(
  initial: Readonly<Partial<Record<CmoStatus, string>>>,
  statuses: readonly CmoStatus[],
): Partial<Record<CmoStatus, string>> {
  return Object.fromEntries(statuses.map((status) => [status, initial[status]]));
}

/** How one platform of a family of asynchronous platforms differs from the others. */
export interface AsyncCarrier<N extends CellularNumbering | SatelliteNumbering> {
  code: PlatformCode;
  nativeName: string;
  numbering: N;
  statusWeights: Partial<Record<CmoStatus, number>>;
  /** Its statuses; a CMO change asks for the status a generated device of that CMO status has. */
  vocabulary: Omit<StatusVocabulary, "target">;
  latency: DurationSpec;
  rateLimit: RateLimitRule;
  /** A stage the change waits in, then the one in which the network may refuse it. */
  asyncTimeline: [StageSpec, StageSpec];
  nativeTokenLifetimeSeconds: number;
  api: NativeApi;
  adapter: AdapterFactory;
}

/** What a family of asynchronous platforms shares: the kind of network, and the CMO's rules for it. */
export interface AsyncFamily {
  connectivity: PlatformDefinition["connectivity"];
  /** The CMO transitions, given the CMO statuses the platform's vocabulary has. */
  transitions(statuses: CmoStatus[]): Partial<Record<CmoStatus, CmoStatus[]>>;
}

/**
 * A platform the CMO shows as asynchronous, whose status changes target ACTIVE, SUSPENDED and
 * TERMINATED; each lives in the simulators/ folder named after its code.
 */
export function asyncPlatform<N extends CellularNumbering | SatelliteNumbering>(
  family: AsyncFamily,
  carrier: AsyncCarrier<N>,
): PlatformDefinition {
  const { toCmo, initial, transitional, nativeTransitions } = carrier.vocabulary;
  return {
    code: carrier.code,
    family: carrier.code.toLowerCase(),
    nativeName: carrier.nativeName,
    connectivity: family.connectivity,
    cmoMode: "async",
    numbering: carrier.numbering,
    statusWeights: carrier.statusWeights,
    vocabulary: {
      toCmo,
      initial,
      target: targetsOf(initial, ["ACTIVE", "SUSPENDED", "TERMINATED"]),
      ...(transitional ? { transitional } : {}),
      nativeTransitions,
    },
    defaults: profileDefaults({
      latency: carrier.latency,
      rateLimits: [carrier.rateLimit],
      asyncTimeline: carrier.asyncTimeline,
      transitions: family.transitions(Object.values(toCmo)),
      nativeTokenLifetimeSeconds: carrier.nativeTokenLifetimeSeconds,
    }),
    api: carrier.api,
    adapter: carrier.adapter,
  };
}
