import { PLATFORMS } from "../../simulators/registry.js";
import type { ConfigInput, PlatformProfileInput } from "./schema.js";

/**
 * Every platform with the weather taken out: no latency, no rate limits, no one-at-a-time rule, no
 * planned outages and no failing async operations (faults are off by default). What contract
 * verification, benchmarks of the simulator's own cost and tests about CMO semantics run against.
 * `extra` adds to a platform's calm profile (a latency, a limit) by code.
 */
export function calmPlatforms(
  extra: Record<string, PlatformProfileInput> = {},
): NonNullable<ConfigInput["platforms"]> {
  return Object.fromEntries(
    PLATFORMS.map((p) => [
      p.code,
      {
        profile: {
          latency: 0,
          rateLimits: [],
          maxConcurrent: null,
          outages: [],
          ...(p.defaults.asyncTimeline
            ? { asyncTimeline: p.defaults.asyncTimeline.map((s) => ({ ...s, failureRate: 0 })) }
            : {}),
          ...extra[p.code],
        },
      },
    ]),
  );
}
