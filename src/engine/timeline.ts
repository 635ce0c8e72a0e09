import { type DurationSpec, durationSampler } from "./latency.js";
import type { RandomStream } from "./random.js";

/**
 * Async completion as data: each stage's end time and the outcome are drawn when the operation is
 * accepted, so the plan can be stored, snapshotted and resumed, and reading an operation's state
 * is a pure function of the plan and the clock.
 */
export interface StageSpec {
  /** The platform's own name for this stage ("PENDING", "IN_PROGRESS", "ACTIVATING"…). */
  state: string;
  duration: DurationSpec;
  /** Probability that the operation fails at the end of this stage. */
  failureRate?: number | undefined;
}

export interface TimelinePlan {
  startedAt: number;
  /** End time of each stage that will run; fewer than the specs when a stage fails. */
  stages: Array<{ state: string; endsAt: number }>;
  outcome: "succeeded" | "failed";
  /** When the operation reaches its outcome. */
  endsAt: number;
}

export function planTimeline(
  specs: readonly StageSpec[],
  startedAt: number,
  stream: RandomStream,
  scale = 1,
): TimelinePlan {
  const stages: TimelinePlan["stages"] = [];
  let at = startedAt;
  let outcome: TimelinePlan["outcome"] = "succeeded";
  for (const spec of specs) {
    at += Math.max(0, Math.round(durationSampler(spec.duration, scale)(stream)));
    stages.push({ state: spec.state, endsAt: at });
    if (stream.bernoulli(spec.failureRate ?? 0)) {
      outcome = "failed";
      break;
    }
  }
  return { startedAt, stages, outcome, endsAt: at };
}

export interface TimelineState {
  /** The running stage's name, or undefined once the plan has ended. */
  stage: string | undefined;
  done: boolean;
  outcome: TimelinePlan["outcome"] | undefined;
}

export function timelineStateAt(plan: TimelinePlan, now: number): TimelineState {
  if (now >= plan.endsAt) return { stage: undefined, done: true, outcome: plan.outcome };
  const running = plan.stages.find((s) => now < s.endsAt);
  return { stage: running?.state, done: false, outcome: undefined };
}
