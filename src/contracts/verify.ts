import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PLATFORMS } from "../../simulators/registry.js";
import { readPact } from "./pact-file.js";
import type { BrokerOptions, JobResult, VerifierMismatch, VerifyJob } from "./verify-run.js";

/**
 * Verifies pact files against a running simulator with cmo-sim's provider states, and reports one
 * verdict per interaction. The verification runs in a child process because Pact's native verifier
 * writes its own report to standard output; that report is kept in `output` for whoever wants it.
 */

export interface InteractionOutcome {
  provider: string;
  description: string;
  passed: boolean;
  /** Why it failed, one readable line each: where, what was expected, what came back. */
  problems: string[];
}

export interface VerificationReport {
  passed: boolean;
  interactions: InteractionOutcome[];
  /** Verifications that could not run at all (unreachable broker, no pacts found…). */
  failures: string[];
  /** Pact's own report, as its verifier printed it. */
  output: string;
}

const PLATFORM_PROVIDER = /^(.+)-platform$/i;

/** The platform a provider name stands for (`tmsp-platform` → TMSP), if it names one. */
export function platformOfProvider(provider: string): string | undefined {
  const code = PLATFORM_PROVIDER.exec(provider)?.[1]?.toUpperCase();
  return code && PLATFORMS.some((p) => p.code === code) ? code : undefined;
}

function jobFor(provider: string, simUrl: string, pactFiles: string[], broker?: BrokerOptions): VerifyJob {
  const root = simUrl.replace(/\/+$/, "");
  const platform = platformOfProvider(provider);
  return {
    provider,
    simUrl: root,
    providerBaseUrl: platform ? `${root}/platforms/${platform.toLowerCase()}` : root,
    platform,
    pactFiles,
    broker,
  };
}

/**
 * One job per provider named in the files: `<code>-platform` pacts go to that native fake, every
 * other provider to the CMO front.
 */
export function planJobs(files: readonly string[], simUrl: string): VerifyJob[] {
  const byProvider = new Map<string, string[]>();
  for (const file of files) {
    const { provider } = readPact(file);
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), file]);
  }
  return [...byProvider].map(([provider, pactFiles]) => jobFor(provider, simUrl, pactFiles));
}

/** A job that fetches the provider's pacts from a Pact Broker instead of files. */
export function brokerJob(provider: string, simUrl: string, broker: BrokerOptions): VerifyJob {
  return jobFor(provider, simUrl, [], broker);
}

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function describeMismatch(m: VerifierMismatch & { key?: string }): string {
  const where =
    m.type === "StatusMismatch"
      ? "status"
      : m.type === "HeaderMismatch"
        ? `header ${m.key ?? ""}`
        : m.path || "body";
  const detail = m.mismatch ?? "";
  const values =
    m.expected !== undefined || m.actual !== undefined
      ? ` (expected ${show(m.expected)}, actual ${show(m.actual)})`
      : "";
  return `${where}: ${detail}${values}`.trim();
}

/** Each interaction's verdict; Pact's failures that name no interaction (a pact that would not load) go in `leftOver`. */
function outcomes(result: JobResult, leftOver: string[]): InteractionOutcome[] {
  const unused = [...result.errors];
  const stateProblems = result.stateErrors.map((e) => `provider state "${e.state}": ${e.message}`);
  const verdicts = result.interactions.map(({ description, result: verdict }) => {
    const index = unused.findIndex(
      (e) => e.interaction === description || e.interaction.endsWith(` - ${description}`),
    );
    const error = index >= 0 ? unused.splice(index, 1)[0] : undefined;
    const problems = error
      ? [...error.mismatches.map(describeMismatch), ...(error.message ? [error.message] : [])]
      : [];
    const passed = !error && /^ok$/i.test(verdict);
    return {
      provider: result.job.provider,
      description,
      passed,
      problems: passed ? [] : [...problems, ...(problems.length === 0 ? stateProblems : [])],
    };
  });
  for (const e of unused) leftOver.push(`${result.job.provider}: ${e.message ?? e.interaction}`);
  return verdicts;
}

function workerModule(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  // Run from the TypeScript sources (tests, `npm start`) the child needs tsx too; built, it does not.
  const fromSource = here.endsWith(".ts");
  return {
    path: join(dirname(here), `verify-worker.${fromSource ? "ts" : "js"}`),
    execArgv: fromSource ? ["--import", "tsx"] : [],
  };
}

export async function verifyPacts(jobs: VerifyJob[], timeoutMs = 600_000): Promise<VerificationReport> {
  const { path, execArgv } = workerModule();
  const child = fork(path, [], {
    execArgv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, PACT_DO_NOT_TRACK: "true" },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const results = await new Promise<JobResult[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`verification did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once("message", (message: { results: JobResult[] }) => {
      clearTimeout(timer);
      resolve(message.results);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the verifier process ended (${code}) without a result:\n${output.slice(-2000)}`));
    });
    child.send({ jobs });
  });
  const leftOver: string[] = [];
  const interactions = results.flatMap((r) => outcomes(r, leftOver));
  const failures = leftOver.concat(
    results.flatMap((r) =>
      r.failure
        ? [`${r.job.provider}: ${r.failure}`]
        : r.interactions.length === 0 && r.stateErrors.length > 0
          ? r.stateErrors.map((e) => `${r.job.provider}: provider state "${e.state}": ${e.message}`)
          : [],
    ),
  );
  return {
    passed: failures.length === 0 && interactions.length > 0 && interactions.every((i) => i.passed),
    interactions,
    failures,
    // The verifier colours its report; the kept copy is plain text.
    output: output.replace(/\u001b\[[0-9;]*m/g, ""),
  };
}

/** The report as `cmo-sim verify` prints it: one line per interaction, its problems indented below. */
export function reportLines(report: VerificationReport): string[] {
  const lines: string[] = [];
  for (const i of report.interactions) {
    lines.push(`${i.passed ? "✓" : "✗"} ${i.provider}: ${i.description}`);
    for (const problem of i.problems) lines.push(`    ${problem}`);
  }
  for (const failure of report.failures) lines.push(`✗ ${failure}`);
  const failed = report.interactions.filter((i) => !i.passed).length;
  lines.push(
    `${report.interactions.length - failed} of ${report.interactions.length} interactions verified${report.failures.length > 0 ? `, ${report.failures.length} verification(s) could not run` : ""}`,
  );
  return lines;
}
