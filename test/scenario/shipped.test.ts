import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareReports, type Report } from "../../src/scenario/report.js";
import { failures, runFile, SCENARIOS, shippedScenarios } from "./helpers.js";

const reports = new Map<string, Report>();

describe("shipped scenarios", () => {
  it("ships the scenarios the issue asks for", () => {
    expect(shippedScenarios()).toEqual([
      "1nce-burst.yaml",
      "batch-partial-failure.yaml",
      "chaos-day.yaml",
      "gateway-pacing.yaml",
      "happy-path.yaml",
      "outage-recovery.yaml",
      "satellite-activations.yaml",
      "tmsp-slow-day.yaml",
      "token-expiry.yaml",
    ]);
  });

  for (const file of shippedScenarios()) {
    it(`${file} passes`, { timeout: 120_000 }, async () => {
      const report = await runFile(join(SCENARIOS, file));
      reports.set(file, report);
      expect(failures(report)).toEqual([]);
      expect(report.verdict).toBe("passed");
      expect(report.summary.operations).toBeGreaterThan(0);
    });
  }

  it("shows what each scenario is about in its report", () => {
    const burst = reports.get("1nce-burst.yaml") as Report;
    expect(burst.platforms["1NCE"]?.statuses["429"]).toBeGreaterThan(0);
    expect(burst.summary.retries).toBeGreaterThan(0);
    const outage = reports.get("outage-recovery.yaml") as Report;
    expect(outage.events).toMatchObject([
      { type: "outage", platforms: ["TMUS"], at: 600_000, until: 1_080_000 },
    ]);
    const satellites = reports.get("satellite-activations.yaml") as Report;
    expect(satellites.platforms.GALAXY1?.completion.p50).toBeGreaterThan(60_000);
    const pacing = reports.get("gateway-pacing.yaml") as Report;
    // Steady traffic queued now and then, and never met a 429; the burst was refused, quickly.
    expect(pacing.platforms.JASPER?.pacing).toMatchObject({
      waited: expect.any(Number),
      refused: { rate: 0 },
    });
    expect(pacing.platforms.JASPER?.pacing?.waited).toBeGreaterThan(0);
    expect(pacing.platforms.JASPER?.pacing?.meanWaitMs).toBeGreaterThan(0);
    expect(pacing.platforms.JASPER?.statuses["429"]).toBeUndefined();
    expect(pacing.platforms["1NCE"]?.pacing?.refused.rate).toBeGreaterThan(0);
    const chaos = reports.get("chaos-day.yaml") as Report;
    expect(chaos.time.trafficEndMs).toBe(24 * 3_600_000);
    expect(chaos.summary.operations).toBeGreaterThan(2_000);
    expect(chaos.events.every((e) => e.error === undefined)).toBe(true);
  });

  it("replays the 24-hour chaos day byte for byte (wall-clock facts aside)", {
    timeout: 120_000,
  }, async () => {
    const first = reports.get("chaos-day.yaml") as Report;
    const again = await runFile(join(SCENARIOS, "chaos-day.yaml"));
    expect(compareReports(first, again)).toEqual({ same: true });
    expect(again.run.startedAt).not.toBe(undefined);
  });
});
