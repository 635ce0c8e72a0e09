import { formatDuration } from "../config/duration.js";
import { groupFindings } from "./findings.js";
import { errorClass, type OperationRecord, operationFailed, type RequestRecord } from "./record.js";
import type { RunResult, StepRun } from "./runner.js";
import { AUTH_SCOPE, type Scenario, type Step } from "./schema.js";
import { summarize, tally } from "./stats.js";

/** One expectation's outcome; `message` says what was expected and what came. */
export interface Verdict {
  name: string;
  /** The step it belongs to (1-based), for step expectations. */
  step?: number;
  passed: boolean;
  expected: string;
  actual: string;
  message: string;
}

type Count = { min?: number | undefined; max?: number | undefined };

const show = (value: unknown) => (value === undefined ? "nothing" : JSON.stringify(value));
const percent = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 3 : 1)}%`;

function countText(c: Count): string {
  if (c.min !== undefined && c.max !== undefined)
    return c.min === c.max ? `${c.min}` : `${c.min} to ${c.max}`;
  return c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`;
}

function within(c: Count, n: number): boolean {
  return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
}

/** `response[0].state`, `productRelationship[1].product.status` */
export function readPath(body: unknown, path: string): unknown {
  let value: unknown = body;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (value === null || typeof value !== "object") return undefined;
    const index = /^\[(\d+)\]$/.exec(part);
    value = index ? (value as unknown[])[Number(index[1])] : (value as Record<string, unknown>)[part];
  }
  return value;
}

function bodyMatch(actual: unknown, expected: unknown): { ok: boolean; wanted: string } {
  if (expected && typeof expected === "object" && !Array.isArray(expected)) {
    const matcher = expected as Record<string, unknown>;
    const keys = Object.keys(matcher);
    if (keys.length === 1 && typeof matcher.matches === "string")
      return {
        ok: typeof actual === "string" && new RegExp(matcher.matches).test(actual),
        wanted: `to match /${matcher.matches}/`,
      };
    if (keys.length === 1 && typeof matcher.present === "boolean")
      return {
        ok: (actual !== undefined) === matcher.present,
        wanted: matcher.present ? "to be present" : "to be absent",
      };
  }
  return { ok: JSON.stringify(actual) === JSON.stringify(expected), wanted: `to be ${show(expected)}` };
}

const calls = (op: OperationRecord) => op.requests.filter((r) => r.kind === "call");

/** Verdicts of one step's expectations. */
export function stepVerdicts(run: StepRun, step: Step): Verdict[] {
  const expect = step.expect;
  if (!expect) return [];
  const who = `step "${run.name}" (#${run.index})`;
  const verdicts: Verdict[] = [];
  const add = (name: string, passed: boolean, expected: string, actual: string) =>
    verdicts.push({
      name,
      step: run.index,
      passed,
      expected,
      actual,
      message: `${who}: expected ${expected}, got ${actual}`,
    });
  const op = run.operation;
  if (!op) {
    add("ran", false, "the step to run", "the run ended before it");
    return verdicts;
  }
  const detail = op.detail ? ` (detail: ${op.detail})` : "";
  if (expect.status !== undefined) {
    const wanted = Array.isArray(expect.status) ? expect.status : [expect.status];
    add("status", wanted.includes(op.status), `status ${wanted.join(" or ")}`, `${op.status}${detail}`);
  }
  for (const [path, expected] of Object.entries(expect.body ?? {})) {
    const actual = readPath(op.body, path);
    const { ok, wanted } = bodyMatch(actual, expected);
    add(`body.${path}`, ok, `body.${path} ${wanted}`, show(actual));
  }
  if (expect.monitor) {
    const m = expect.monitor;
    const wanted = `the monitor to reach ${m.state}${m.within === undefined ? "" : ` within ${formatDuration(m.within)}`}`;
    const monitor = op.monitor;
    if (!monitor) {
      const sync = op.status >= 200 && op.status < 300 && op.status !== 202;
      add(
        "monitor",
        sync,
        wanted,
        sync ? `a synchronous ${op.status} (no monitor)` : `status ${op.status}${detail}`,
      );
    } else {
      const took = monitor.finishedAt === undefined ? undefined : monitor.finishedAt - monitor.acceptedAt;
      const onTime = m.within === undefined || (took !== undefined && took <= m.within);
      const actual =
        monitor.state === "LOST"
          ? `no end (${monitor.reason})`
          : `${monitor.state} after ${formatDuration(took ?? 0)}`;
      add("monitor", monitor.state === m.state && onTime, wanted, actual);
      for (const [state, count] of Object.entries(m.entries ?? {})) {
        const n = monitor.entries.filter((e) => e.state === state).length;
        const states = monitor.entries.map((e) => `${e.platform} ${e.state}`).join(", ");
        add(
          `monitor.entries.${state}`,
          within(count, n),
          `${countText(count)} ${state} entries`,
          `${n} (${states})`,
        );
      }
    }
  }
  if (expect.attempts) {
    const n = calls(op).length;
    add(
      "attempts",
      within(expect.attempts, n),
      `${countText(expect.attempts)} attempts`,
      `${n} (${calls(op)
        .map((r) => r.status)
        .join(", ")})`,
    );
  }
  for (const status of expect.seen ?? []) {
    const statuses = calls(op).map((r) => r.status);
    add(
      `seen.${status}`,
      statuses.includes(status),
      `status ${status} among the attempts`,
      statuses.join(", "),
    );
  }
  return verdicts;
}

/** Requests and operations grouped the way expectations name them: "*" is all traffic together. */
function scoped<T>(items: readonly T[], key: string, scopeOf: (item: T) => string): T[] {
  return key === "*" ? [...items] : items.filter((item) => scopeOf(item) === key);
}

export interface Traffic {
  operations: OperationRecord[];
  /** Every request with the scope it counts under (token requests under AUTH). */
  requests: Array<RequestRecord & { scope: string }>;
}

export function trafficOf(result: RunResult): Traffic {
  return {
    operations: result.operations,
    requests: [
      ...result.operations.flatMap((op) => op.requests.map((r) => ({ ...r, scope: op.scope }))),
      ...result.tokenRequests.map((r) => ({ ...r, scope: AUTH_SCOPE })),
    ],
  };
}

function statusMatches(status: number, key: string): boolean {
  return key.endsWith("xx") ? Math.floor(status / 100) === Number(key[0]) : status === Number(key);
}

/** Verdicts of the scenario's global expectations. */
export function globalVerdicts(expect: Scenario["expect"], result: RunResult, traffic: Traffic): Verdict[] {
  const verdicts: Verdict[] = [];
  const add = (name: string, passed: boolean, expected: string, actual: string) =>
    verdicts.push({
      name,
      passed,
      expected,
      actual,
      message: `${name}: expected ${expected}, got ${actual}`,
    });
  const ops = traffic.operations;
  const monitored = ops.filter((op) => op.monitor);

  if (expect.noLostMonitors) {
    const lost = monitored.filter((op) => op.monitor?.state === "LOST");
    const examples = lost.slice(0, 3).map((op) => `${op.monitor?.id} (${op.monitor?.reason})`);
    add(
      "noLostMonitors",
      lost.length === 0,
      "no lost monitors",
      lost.length === 0
        ? `all ${monitored.length} finished`
        : `${lost.length} lost: ${examples.join(", ")}${lost.length > 3 ? ", …" : ""}`,
    );
  }
  if (expect.errorRate !== undefined) {
    const limits = typeof expect.errorRate === "number" ? { "*": expect.errorRate } : expect.errorRate;
    for (const [key, max] of Object.entries(limits)) {
      const mine = scoped(ops, key, (op) => op.scope);
      const failed = mine.filter(operationFailed);
      const rate = mine.length === 0 ? 0 : failed.length / mine.length;
      const classes = Object.entries(tally(failed.map(errorClass))).map(([c, n]) => `${n} × ${c}`);
      add(
        `errorRate[${key}]`,
        rate <= (max as number),
        `at most ${percent(max as number)}`,
        `${percent(rate)} (${failed.length} of ${mine.length} operations failed${classes.length ? `: ${classes.join(", ")}` : ""})`,
      );
    }
  }
  const timing = (
    name: string,
    limits: NonNullable<Scenario["expect"]["latency"]>,
    values: (key: string) => number[],
  ) => {
    for (const [key, bounds] of Object.entries(limits)) {
      const summary = summarize(values(key));
      for (const p of ["p50", "p95", "p99", "max"] as const) {
        const bound = bounds?.[p];
        if (bound === undefined) continue;
        add(
          `${name}[${key}].${p}`,
          summary[p] <= bound,
          `${p} at most ${formatDuration(bound)}`,
          `${formatDuration(summary[p])} over ${summary.count}`,
        );
      }
    }
  };
  if (expect.latency)
    timing("latency", expect.latency, (key) =>
      scoped(traffic.requests, key, (r) => r.scope).map((r) => r.ms),
    );
  if (expect.completion)
    timing("completion", expect.completion, (key) =>
      scoped(monitored, key, (op) => op.scope)
        .map((op) => op.monitor)
        .filter((m) => m?.finishedAt !== undefined)
        .map((m) => (m?.finishedAt as number) - (m?.acceptedAt as number)),
    );
  for (const [key, byStatus] of Object.entries(expect.statuses ?? {})) {
    const mine = scoped(traffic.requests, key, (r) => r.scope);
    for (const [status, count] of Object.entries(byStatus ?? {})) {
      const n = mine.filter((r) => statusMatches(r.status, status)).length;
      add(
        `statuses[${key}].${status}`,
        within(count, n),
        `${countText(count)} × ${status}`,
        `${n} of ${mine.length} requests`,
      );
    }
  }
  if (expect.monitors) {
    const states = { accepted: monitored.length, done: 0, failed: 0 };
    for (const op of monitored) {
      if (op.monitor?.state === "DONE") states.done++;
      if (op.monitor?.state === "FAILED") states.failed++;
    }
    for (const [key, count] of Object.entries(expect.monitors))
      if (count)
        add(
          `monitors.${key}`,
          within(count, states[key as keyof typeof states]),
          countText(count),
          String(states[key as keyof typeof states]),
        );
  }
  if (expect.operations)
    add(
      "operations",
      within(expect.operations, ops.length),
      `${countText(expect.operations)} operations`,
      String(ops.length),
    );
  if (expect.retryAfter) {
    const answers = traffic.requests.filter((r) => r.status === 429 || r.status === 503);
    const without = answers.filter((r) => !r.retryAfter).length;
    add(
      "retryAfter",
      without === 0,
      "Retry-After on every 429 and 503",
      `${answers.length - without} of ${answers.length}`,
    );
  }
  if (expect.contractConformance !== undefined && expect.contractConformance !== false) {
    const max = expect.contractConformance === true ? 0 : expect.contractConformance.maxFindings;
    const first = groupFindings(result.findings)[0];
    const example = first
      ? ` (first: ${first.subject}${first.path ? ` ${first.path}` : ""}: expected ${first.expected}, got ${first.actual})`
      : "";
    add(
      "contractConformance",
      result.findings.length <= max,
      `at most ${max} contract findings`,
      `${result.findings.length}${example}`,
    );
  }
  return verdicts;
}
