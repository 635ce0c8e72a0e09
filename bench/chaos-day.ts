/**
 * `npm run bench:chaos`: the 24-hour chaos scenario (scenarios/chaos-day.yaml), three times in one
 * process, on the virtual clock, with the default checkers — as `cmo-sim run` does it. Prints each
 * run's wall time and the SHA-256 of its report without the `run` key: the three must be equal.
 * `--json` ends the output with one JSON line for bench/run.ts.
 */
import { fileURLToPath } from "node:url";
import { defaultCheckers } from "../src/scenario/checkers.js";
import { loadScenario } from "../src/scenario/load.js";
import { buildReport, reportDigest } from "../src/scenario/report.js";
import { ScenarioRun } from "../src/scenario/runner.js";

const FILE = fileURLToPath(new URL("../scenarios/chaos-day.yaml", import.meta.url));
const RUNS = 3;
const json = process.argv.includes("--json");

const scenario = await loadScenario(FILE);
const runs: Array<{ wallMs: number; cpuMs: number; operations: number; requests: number; digest: string }> =
  [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const report = buildReport(
    await new ScenarioRun(scenario, { checkers: defaultCheckers() }).execute(),
    "bench",
  );
  const used = process.cpuUsage(cpu);
  runs.push({
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round((used.user + used.system) / 1000),
    operations: report.summary.operations,
    requests: report.summary.requests,
    digest: reportDigest(report),
  });
  const r = runs[i] as (typeof runs)[number];
  process.stdout.write(
    `run ${i + 1}: ${(r.wallMs / 1000).toFixed(1)} s wall, ${(r.cpuMs / 1000).toFixed(1)} s CPU, ${r.operations} operations, ${r.requests} requests, report ${r.digest.slice(0, 16)}… (${report.verdict})\n`,
  );
}
const identical = runs.every((r) => r.digest === runs[0]?.digest);
const sorted = runs.map((r) => r.wallMs).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] as number;
process.stdout.write(
  `median ${(median / 1000).toFixed(1)} s; reports ${identical ? "identical" : "DIFFER"}\n`,
);
if (json) process.stdout.write(`${JSON.stringify({ wallMs: median, runs, identical })}\n`);
process.exit(identical ? 0 : 1);
