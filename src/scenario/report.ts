import { createHash } from "node:crypto";
import { formatDuration } from "../config/duration.js";
import type { EventRecord } from "./events.js";
import { globalVerdicts, stepVerdicts, trafficOf, type Verdict } from "./expectations.js";
import { type FindingGroup, groupFindings } from "./findings.js";
import {
  errorClass,
  type MonitorRecordView,
  type MonitorState,
  operationFailed,
  statusClass,
} from "./record.js";
import type { RunResult } from "./runner.js";
import {
  COMPLETION_BOUNDS,
  type Histogram,
  histogram,
  LATENCY_BOUNDS,
  type Summary,
  summarize,
  tally,
} from "./stats.js";

export interface PlatformStats {
  requests: number;
  operations: number;
  failedOperations: number;
  /** HTTP statuses of every request (retries and monitor polls included). */
  statuses: Record<string, number>;
  /** Error answers by class, every request counted. */
  errors: Record<string, number>;
  /** Failed operations by the class of their final outcome. */
  operationErrors: Record<string, number>;
  latency: Summary;
  latencyHistogram: Histogram;
  monitors: { accepted: number; done: number; failed: number; lost: number };
  completion: Summary;
  completionHistogram: Histogram;
  /** The CMO's own queueing of its calls to this platform (pacing), where the simulator tells. */
  pacing?: PacingStats;
}

export interface PacingStats {
  /** Native calls the CMO sent to the platform. */
  calls: number;
  /** How many of them queued first, and for how long on average (ms). */
  waited: number;
  meanWaitMs: number;
  /** Calls the CMO refused instead of queueing: no rate-limit slot in time (429), no turn at the gate (504). */
  refused: { rate: number; gate: number };
}

export interface StepReport {
  index: number;
  name: string;
  operation?: string;
  product?: string;
  request?: string;
  status?: number;
  detail?: string;
  startedAtMs?: number;
  tookMs?: number;
  attempts?: number[];
  monitor?: { state: MonitorState; afterMs?: number; entries: Array<{ platform: string; state: string }> };
  passed: boolean;
}

export interface OperationRow {
  id: number;
  source: string;
  operation: string;
  scope: string;
  product?: string;
  atMs: number;
  tookMs: number;
  status: number;
  attempts: number;
  failed: boolean;
  detail?: string;
  reconciled?: boolean;
  monitor?: { state: MonitorState; afterMs?: number };
}

/**
 * The JSON report. Everything but `run` is a function of the scenario file and its seed (on a
 * virtual clock): keys and lists are built in a fixed order, times are simulated ms after the
 * start. Wall-clock facts (when, how long, where) live under `run`, which comparisons skip.
 */
export interface Report {
  scenario: {
    name: string;
    description?: string;
    seed: number | string;
    clock: string;
    timeScale: number;
    mode: string;
  };
  verdict: "passed" | "failed";
  time: { start?: string; trafficEndMs: number; endMs: number };
  summary: {
    operations: number;
    failedOperations: number;
    requests: number;
    retries: number;
    /** Status changes refused on a retry that a read showed were applied by an earlier attempt. */
    reconciled: number;
    tokenRequests: number;
    monitors: { accepted: number; done: number; failed: number; lost: number };
    expectations: { passed: number; failed: number };
    findings: number;
  };
  expectations: Verdict[];
  steps: StepReport[];
  platforms: Record<string, PlatformStats>;
  events: EventRecord[];
  /** Checker findings grouped by kind, subject, path, rule and expectation, with counts. */
  findings: FindingGroup[];
  notes: string[];
  operations: OperationRow[];
  run: RunResult["run"] & { mode: string; version: string };
}

const round = (ms: number) => Math.round(ms);

/** How the CMO queued its calls to a platform: "12/40 queued, mean 310 ms; 3 refused". */
export function pacingText(pacing: PacingStats | undefined): string {
  if (!pacing) return "";
  const refused = pacing.refused.rate + pacing.refused.gate;
  return `${pacing.waited}/${pacing.calls} queued${pacing.waited ? `, mean ${formatDuration(pacing.meanWaitMs)}` : ""}${refused ? `; ${refused} refused` : ""}`;
}

/** How a monitor ended and how long after its 202. */
function monitorOutcome(m: MonitorRecordView): { state: MonitorState; afterMs?: number } {
  return {
    state: m.state,
    ...(m.finishedAt === undefined ? {} : { afterMs: round(m.finishedAt - m.acceptedAt) }),
  };
}

function monitorCounts(states: Array<MonitorState | undefined>) {
  const present = states.filter((s): s is MonitorState => s !== undefined);
  return {
    accepted: present.length,
    done: present.filter((s) => s === "DONE").length,
    failed: present.filter((s) => s === "FAILED").length,
    lost: present.filter((s) => s === "LOST").length,
  };
}

export function buildReport(result: RunResult, version: string): Report {
  const s = result.scenario;
  const traffic = trafficOf(result);
  const stepVerdictList = result.steps.flatMap((run) =>
    stepVerdicts(run, s.steps[run.fileIndex] as (typeof s.steps)[number]),
  );
  const expectations = [...stepVerdictList, ...globalVerdicts(s.expect, result, traffic)];

  const scopes = [
    ...new Set(traffic.requests.map((r) => r.scope).concat(result.operations.map((o) => o.scope))),
  ].sort();
  const platforms: Record<string, PlatformStats> = {};
  for (const scope of scopes) {
    const requests = traffic.requests.filter((r) => r.scope === scope);
    const ops = result.operations.filter((o) => o.scope === scope);
    const finished = ops.map((o) => o.monitor).filter((m) => m?.finishedAt !== undefined);
    const completion = finished.map((m) => (m?.finishedAt as number) - (m?.acceptedAt as number));
    platforms[scope] = {
      requests: requests.length,
      operations: ops.length,
      failedOperations: ops.filter(operationFailed).length,
      statuses: tally(requests.map((r) => String(r.status))),
      errors: tally(
        requests.filter((r) => r.status >= 400 || r.status === 0).map((r) => statusClass(r.status)),
      ),
      operationErrors: tally(ops.filter(operationFailed).map(errorClass)),
      latency: summarize(requests.map((r) => r.ms)),
      latencyHistogram: histogram(
        requests.map((r) => r.ms),
        LATENCY_BOUNDS,
      ),
      monitors: monitorCounts(ops.map((o) => o.monitor?.state)),
      completion: summarize(completion),
      completionHistogram: histogram(completion, COMPLETION_BOUNDS),
    };
    const paced = result.pacing[scope];
    if (paced)
      (platforms[scope] as PlatformStats).pacing = {
        calls: paced.calls,
        waited: paced.waited,
        meanWaitMs: paced.waited === 0 ? 0 : round(paced.waitedMs / paced.waited),
        refused: paced.refused,
      };
  }

  const failedByStep = new Set(stepVerdictList.filter((v) => !v.passed).map((v) => v.step));
  const steps: StepReport[] = result.steps.map((run) => {
    const op = run.operation;
    const base = { index: run.index, name: run.name, passed: !failedByStep.has(run.index) };
    if (!op) return base;
    return {
      ...base,
      operation: op.operation,
      ...(op.product ? { product: op.product } : {}),
      request: `${op.method} ${op.path}`,
      status: op.status,
      ...(op.detail ? { detail: op.detail } : {}),
      startedAtMs: round(op.startedAt),
      tookMs: round((op.endedAt ?? result.end) - op.startedAt),
      attempts: op.requests.filter((r) => r.kind === "call").map((r) => r.status),
      ...(op.monitor ? { monitor: { ...monitorOutcome(op.monitor), entries: op.monitor.entries } } : {}),
    };
  });

  const failed = expectations.filter((v) => !v.passed).length;
  const requests = traffic.requests;
  return {
    scenario: {
      name: s.name,
      ...(s.description ? { description: s.description.trim() } : {}),
      seed: s.seed,
      clock: s.clock,
      timeScale: s.timeScale,
      mode: result.mode === "target" ? "target" : "in-process",
    },
    verdict: failed === 0 ? "passed" : "failed",
    time: {
      ...(result.mode === "virtual" ? { start: new Date(result.startedAt).toISOString() } : {}),
      trafficEndMs: round(result.trafficEnd),
      endMs: round(result.end),
    },
    summary: {
      operations: result.operations.length,
      failedOperations: result.operations.filter(operationFailed).length,
      requests: requests.length,
      retries: result.operations.reduce(
        (n, op) => n + Math.max(0, op.requests.filter((r) => r.kind === "call").length - 1),
        0,
      ),
      reconciled: result.operations.filter((op) => op.reconciled).length,
      tokenRequests: result.tokenRequests.length,
      monitors: monitorCounts(result.operations.map((o) => o.monitor?.state)),
      expectations: { passed: expectations.length - failed, failed },
      findings: result.findings.length,
    },
    expectations,
    steps,
    platforms,
    events: result.events.map((e) => ({
      ...e,
      at: round(e.at),
      ...(e.until === undefined ? {} : { until: round(e.until) }),
    })),
    findings: groupFindings(result.findings),
    notes: result.notes,
    operations: result.operations.map((op) => ({
      id: op.id,
      source: op.source.kind === "step" ? `step ${op.source.index}` : `load ${op.source.name}`,
      operation: op.operation,
      scope: op.scope,
      ...(op.product ? { product: op.product } : {}),
      atMs: round(op.startedAt),
      tookMs: round((op.endedAt ?? result.end) - op.startedAt),
      status: op.status,
      attempts: op.requests.filter((r) => r.kind === "call").length,
      failed: operationFailed(op),
      ...(op.detail && operationFailed(op) ? { detail: op.detail } : {}),
      ...(op.reconciled ? { reconciled: true } : {}),
      ...(op.monitor ? { monitor: monitorOutcome(op.monitor) } : {}),
    })),
    run: { ...result.run, mode: result.mode, version },
  };
}

/** JSON with object keys in sorted order: the same report always serialises to the same bytes. */
export function canonicalJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    indent,
  );
}

/** The report without its wall-clock facts, as comparisons see it. */
export function comparable(report: Report): string {
  const { run: _run, ...rest } = report;
  return canonicalJson(rest);
}

export function reportDigest(report: Report): string {
  return createHash("sha256").update(comparable(report)).digest("hex");
}

/** Whether two reports say the same, wall-clock facts aside; otherwise the first line that differs. */
export function compareReports(
  a: Report,
  b: Report,
): { same: true } | { same: false; line: number; a: string; b: string } {
  const left = comparable(a).split("\n");
  const right = comparable(b).split("\n");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i])
      return { same: false, line: i + 1, a: left[i] ?? "(end)", b: right[i] ?? "(end)" };
  }
  return { same: true };
}
