import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { Command } from "commander";
import { ConfigError } from "../config/errors.js";
import { defaultCheckers } from "../scenario/checkers.js";
import type { TargetOptions } from "../scenario/connect.js";
import { ProgressDisplay, summaryText } from "../scenario/console.js";
import { renderHtml } from "../scenario/html.js";
import { ScenarioRefused } from "../scenario/inventory.js";
import { renderJunit } from "../scenario/junit.js";
import { loadScenario } from "../scenario/load.js";
import { buildReport, canonicalJson, type Report } from "../scenario/report.js";
import { ScenarioRun } from "../scenario/runner.js";
import type { Scenario } from "../scenario/schema.js";
import { seedFlag } from "./flags.js";
import { VERSION } from "./version.js";

interface RunFlags {
  target?: string;
  clientId?: string;
  clientSecret?: string;
  tenant?: string;
  tokenUrl?: string;
  seed?: string;
  report?: string;
  html?: string;
  junit?: string;
  progress: boolean;
  reset: boolean;
  adminToken?: string;
}

/** `report.json` for one scenario; `report-<name>.json` (or the path's {name}) for several. */
function outputPath(path: string, name: string, several: boolean): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, "-");
  if (path.includes("{name}")) return path.replaceAll("{name}", slug);
  if (!several) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}-${slug}${ext}`);
}

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

function targetOptions(flags: RunFlags): TargetOptions | undefined {
  if (!flags.target) return undefined;
  const env = process.env;
  const pick = (flag: string | undefined, name: string) => flag ?? env[name];
  const options: TargetOptions = { url: flags.target, ...(flags.reset ? {} : { keepState: true }) };
  const adminToken = pick(flags.adminToken, "CMO_SIM_ADMIN_TOKEN");
  if (adminToken) options.adminToken = adminToken;
  const clientId = pick(flags.clientId, "CMO_CLIENT_ID");
  const clientSecret = pick(flags.clientSecret, "CMO_CLIENT_SECRET");
  const tenant = pick(flags.tenant, "CMO_TENANT");
  const tokenUrl = pick(flags.tokenUrl, "CMO_TOKEN_URL");
  if (clientId) options.clientId = clientId;
  if (clientSecret) options.clientSecret = clientSecret;
  if (tenant) options.tenant = tenant;
  if (tokenUrl) options.tokenUrl = tokenUrl;
  return options;
}

/**
 * Runs scenario files and reports: exit 0 when every expectation held, 1 when one failed, 2 when a
 * file is invalid or cannot be arranged on the target. Every file is validated before any runs.
 */
export async function runScenarios(files: string[], flags: RunFlags): Promise<number> {
  let scenarios: Scenario[];
  try {
    scenarios = await Promise.all(files.map((file) => loadScenario(file)));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  let seed: number | undefined;
  try {
    seed = seedFlag(flags.seed);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const target = targetOptions(flags);
  const reports: Report[] = [];
  for (const loaded of scenarios) {
    const scenario = seed === undefined ? loaded : { ...loaded, seed };
    const run = new ScenarioRun(scenario, { ...(target ? { target } : {}), checkers: defaultCheckers() });
    const progress = flags.progress
      ? new ProgressDisplay(process.stderr, scenario.name, () => run.progress())
      : undefined;
    progress?.start();
    let report: Report;
    try {
      report = buildReport(await run.execute(), VERSION);
    } catch (error) {
      if (!(error instanceof ScenarioRefused)) throw error;
      process.stderr.write(`${scenario.name}: ${error.message}\n`);
      return 2;
    } finally {
      progress?.stop();
    }
    reports.push(report);
    process.stdout.write(summaryText(report));
    const several = scenarios.length > 1;
    if (flags.report)
      await write(outputPath(flags.report, scenario.name, several), `${canonicalJson(report)}\n`);
    if (flags.html) await write(outputPath(flags.html, scenario.name, several), renderHtml(report));
  }
  if (flags.junit) await write(flags.junit, renderJunit(reports));
  return reports.every((r) => r.verdict === "passed") ? 0 : 1;
}

export function runCommand(): Command {
  return new Command("run")
    .description(
      "replay scenario files (in-process on a virtual clock, or against --target in real time) and report",
    )
    .argument("<files...>", "scenario files (YAML or JSON)")
    .option("--target <url>", "drive a running cmo-sim, or any CMO-compatible endpoint, in real time")
    .option("--client-id <id>", "client id for --target (env CMO_CLIENT_ID; default: the scenario's)")
    .option("--client-secret <secret>", "client secret for --target (env CMO_CLIENT_SECRET)")
    .option("--tenant <tenant>", "tenant for --target (env CMO_TENANT)")
    .option("--token-url <url>", "token endpoint for --target (env CMO_TOKEN_URL; default: the target's)")
    .option("--admin-token <token>", "admin token of a locked cmo-sim target (env CMO_SIM_ADMIN_TOKEN)")
    .option(
      "--no-reset",
      "with --target: keep what earlier runs left on the simulator (by default it is reset through its admin API first)",
    )
    .option("--seed <seed>", "replace the scenario's seed")
    .option("--report <file>", "write the JSON report here")
    .option("--html <file>", "write a self-contained HTML report here")
    .option("--junit <file>", "write JUnit XML here (one suite per scenario)")
    .option("--no-progress", "no progress bar or progress lines")
    .action(async (files: string[], flags: RunFlags) => {
      process.exitCode = await runScenarios(files, flags);
    });
}
