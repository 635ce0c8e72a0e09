/**
 * (i) What the CMO's pacing costs a native call when nothing is queued: CPU time of one admission
 * and its release, with each platform's own default rules, on a clock that moves 5 s per reading
 * so no rule ever makes a call wait (the fast path every call takes below the limits). Prints one
 * JSON line: µs of CPU per call, per platform, and for an empty rule set as the floor.
 */
import { PLATFORMS } from "../simulators/registry.js";
import { pacingLimits, resolveProfile } from "../simulators/shared/profile.js";
import type { Clock, TimerHandle } from "../src/engine/clock.js";
import { Pacer } from "../src/engine/pacing.js";

const CALLS = Number(process.argv[2] ?? 1_000_000);

/** Time that passes by itself: every reading is five seconds after the last (AIRLINQ allows one call in three). */
class SteppingClock implements Clock {
  readonly kind = "real";
  #now = Date.UTC(2026, 0, 1);
  now(): number {
    this.#now += 5000;
    return this.#now;
  }
  schedule(): TimerHandle {
    throw new Error("the fast path never waits");
  }
  sleep(): Promise<void> {
    throw new Error("the fast path never waits");
  }
  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }
}

function microsPerCall(limits: ReturnType<typeof pacingLimits>): number {
  const pacer = new Pacer(new SteppingClock(), () => limits, { waited() {}, refused() {} });
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const admission = pacer.admit("account", "read");
      if (admission instanceof Promise || !admission.admitted) throw new Error("a call had to wait");
      admission.release();
    }
  };
  run(CALLS / 10); // warm-up: let the JIT settle
  const start = process.cpuUsage();
  run(CALLS);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / CALLS;
}

const perPlatform: Record<string, number> = {};
for (const definition of PLATFORMS) {
  const profile = resolveProfile(definition.defaults);
  perPlatform[definition.code] = Number(microsPerCall(pacingLimits(profile, true, 1)).toFixed(3));
}
const floor = Number(
  microsPerCall(pacingLimits({ ...resolveProfile(PLATFORMS[0]!.defaults), rateLimits: [] }, true, 1)).toFixed(
    3,
  ),
);
const worst = Math.max(...Object.values(perPlatform));
console.log(JSON.stringify({ calls: CALLS, perPlatform, floor, worst }));
