import { describe, expect, it } from "vitest";
import { decideFault, NO_FAULTS, OutageSchedule } from "../../src/engine/faults.js";
import { Random } from "../../src/engine/random.js";
import { planTimeline, timelineStateAt } from "../../src/engine/timeline.js";

describe("async timelines", () => {
  const stages = [
    { state: "PENDING", duration: 1_000 },
    {
      state: "IN_PROGRESS",
      duration: { type: "uniform", lower: 5_000, upper: 6_000 } as const,
      failureRate: 0,
    },
  ];

  it("draws each stage's end and reads its state from the clock", () => {
    const plan = planTimeline(stages, 100, new Random(1).stream("t"));
    expect(plan.stages[0]).toEqual({ state: "PENDING", endsAt: 1_100 });
    expect(plan.outcome).toBe("succeeded");
    expect(plan.endsAt).toBe(plan.stages[1]!.endsAt);
    expect(timelineStateAt(plan, 100)).toEqual({ stage: "PENDING", done: false, outcome: undefined });
    expect(timelineStateAt(plan, 1_100)).toEqual({ stage: "IN_PROGRESS", done: false, outcome: undefined });
    expect(timelineStateAt(plan, plan.endsAt)).toEqual({
      stage: undefined,
      done: true,
      outcome: "succeeded",
    });
  });

  it("fails at the end of a stage with its failure rate and stops there", () => {
    const plan = planTimeline(
      [{ state: "A", duration: 10, failureRate: 1 }, ...stages],
      0,
      new Random(1).stream("t"),
    );
    expect(plan).toMatchObject({ outcome: "failed", endsAt: 10, stages: [{ state: "A", endsAt: 10 }] });
  });

  it("scales durations and fails at the configured rate", () => {
    const random = new Random(9);
    const plans = Array.from({ length: 20_000 }, (_, i) =>
      planTimeline([{ state: "X", duration: 60_000, failureRate: 0.02 }], 0, random.stream("p", i), 0.001),
    );
    expect(plans[0]!.endsAt).toBe(60);
    expect(plans.filter((p) => p.outcome === "failed").length / plans.length).toBeCloseTo(0.02, 2);
  });
});

describe("faults", () => {
  it("decides timeouts, errors and ghost successes at their rates, ghosts only for writes", () => {
    const spec = { ...NO_FAULTS, timeoutRate: 0.1, errorRate: 0.2, errorStatus: 502, ghostRate: 0.1 };
    const random = new Random(4);
    const counts = { none: 0, timeout: 0, error: 0, ghost: 0 };
    for (let i = 0; i < 50_000; i++) counts[decideFault(spec, random.stream("f", i), true).kind]++;
    expect(counts.timeout / 50_000).toBeCloseTo(0.1, 2);
    expect(counts.error / 50_000).toBeCloseTo(0.2, 2);
    expect(counts.ghost / 50_000).toBeCloseTo(0.1, 2);
    const reads = Array.from(
      { length: 5_000 },
      (_, i) => decideFault(spec, random.stream("r", i), false).kind,
    );
    expect(reads).not.toContain("ghost");
    expect(decideFault(spec, random.stream("x"), true, 0.5)).toSatisfy(
      (d: { kind: string; afterMs?: number }) => d.kind !== "timeout" || d.afterMs === 15_000,
    );
    expect(decideFault(NO_FAULTS, random.stream("y"), true)).toEqual({ kind: "none" });
  });

  it("knows which outage window is open and can stop it", () => {
    const outages = new OutageSchedule();
    outages.add({ start: 100, end: 200, status: 503, reason: "planned" });
    outages.add({ start: 500, status: 502, reason: "ad hoc" });
    expect(outages.activeAt(99)).toBeUndefined();
    expect(outages.activeAt(150)?.reason).toBe("planned");
    expect(outages.activeAt(200)).toBeUndefined();
    expect(outages.activeAt(10_000)?.status).toBe(502);
    expect(outages.stopAt(10_000)).toBe(1);
    expect(outages.activeAt(10_001)).toBeUndefined();
    outages.prune(10_001);
    expect(outages.list()).toHaveLength(0);
  });
});
