import { readdirSync } from "node:fs";
import { join } from "node:path";
import { defaultCheckers } from "../../src/scenario/checkers.js";
import { loadScenario } from "../../src/scenario/load.js";
import { buildReport, type Report } from "../../src/scenario/report.js";
import { type RunOptions, ScenarioRun } from "../../src/scenario/runner.js";
import { ROOT } from "../helpers/cli.js";

export const SCENARIOS = join(ROOT, "scenarios");
export const FIXTURES = join(ROOT, "test/scenario/fixtures");

export function shippedScenarios(): string[] {
  return readdirSync(SCENARIOS)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/** Runs a scenario file in-process (or against options.target) and builds its report. */
export async function runFile(path: string, options: RunOptions = {}): Promise<Report> {
  const scenario = await loadScenario(path);
  const result = await new ScenarioRun(scenario, { checkers: defaultCheckers(), ...options }).execute();
  return buildReport(result, "test");
}

/** A failing report's messages, so a failed assertion shows what went wrong. */
export function failures(report: Report): string[] {
  return report.expectations.filter((v) => !v.passed).map((v) => v.message);
}
