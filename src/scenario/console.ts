import { formatDuration } from "../config/duration.js";
import { orderScopes } from "./record.js";
import { pacingText, type Report } from "./report.js";
import type { Progress } from "./runner.js";
import { AUTH_SCOPE } from "./schema.js";

/** What the terminal shows of a run: a progress bar on a TTY, a plain line per tenth otherwise. */
export class ProgressDisplay {
  #timer: NodeJS.Timeout | undefined;
  #tenth = -1;
  #lastLine = Number.NEGATIVE_INFINITY;
  #lastOps = -1;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly name: string,
    private readonly read: () => Progress,
    private readonly wallNow: () => number = Date.now,
  ) {}

  start(): void {
    const tty = this.out.isTTY === true;
    if (!tty) this.out.write(`${this.name}: running\n`);
    this.#timer = setInterval(() => this.tick(), tty ? 100 : 250);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.out.isTTY) this.out.write("\r\x1b[2K");
  }

  /** One refresh: a bar on a terminal, a line now and then otherwise. */
  tick(): void {
    if (this.out.isTTY) this.#bar();
    else this.#line();
  }

  /** How far the run is, when its length is known (a run of steps alone, as against a target, has none). */
  #share(p: Progress): number | undefined {
    return p.total > 0 ? Math.min(1, p.elapsed / p.total) : undefined;
  }

  #bar(): void {
    const p = this.read();
    const share = this.#share(p);
    const counts = `${p.operations} ops, ${p.failed} failed`;
    if (share === undefined) {
      this.out.write(`\r\x1b[2K${this.name} ${formatDuration(p.elapsed)}  ${counts}`);
      return;
    }
    const width = 24;
    const filled = Math.round(share * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const when = `${formatDuration(p.elapsed)} of ${formatDuration(p.total)}`;
    this.out.write(`\r\x1b[2K${this.name} ${bar} ${Math.floor(share * 100)}% ${when}  ${counts}`);
  }

  /** A line per tenth of the run; with no known length, one when operations moved, at most every few seconds. */
  #line(): void {
    const p = this.read();
    const share = this.#share(p);
    const counts = `${p.operations} operations, ${p.failed} failed`;
    if (share === undefined) {
      const now = this.wallNow();
      if (p.operations === this.#lastOps || now - this.#lastLine < 5_000) return;
      this.#lastOps = p.operations;
      this.#lastLine = now;
      this.out.write(`${this.name}: ${formatDuration(p.elapsed)} in, ${counts}\n`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth <= this.#tenth) return;
    this.#tenth = tenth;
    this.out.write(`${this.name}: ${tenth * 10}% (${formatDuration(p.elapsed)} simulated, ${counts})\n`);
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** The console summary: verdict, one line per platform, and every failed expectation's message. */
export function summaryText(report: Report): string {
  const s = report.summary;
  const mark = report.verdict === "passed" ? "✔" : "✘";
  const lines = [
    `${mark} ${report.scenario.name}: ${report.verdict} (seed ${report.scenario.seed}; ${s.operations} operations, ${s.failedOperations} failed; ${s.requests} requests, ${s.retries} retries${s.reconciled ? `, ${s.reconciled} reconciled` : ""}; ${formatDuration(report.time.endMs)} simulated in ${formatDuration(report.run.wallMs)})`,
  ];
  for (const scope of orderScopes(Object.keys(report.platforms))) {
    const p = report.platforms[scope];
    if (!p) continue;
    if (scope === AUTH_SCOPE) {
      lines.push(`    ${pad(scope, 9)} ${p.requests} sign-ins`);
      continue;
    }
    const m = p.monitors;
    const monitors = m.accepted
      ? `  monitors ${m.done}/${m.accepted} done${m.failed ? `, ${m.failed} failed` : ""}${m.lost ? `, ${m.lost} LOST` : ""}`
      : "";
    lines.push(
      `    ${pad(scope, 9)} ${pad(`${p.operations} ops`, 10)} ${pad(`${p.failedOperations} failed`, 11)} p50 ${pad(formatDuration(p.latency.p50), 8)} p95 ${pad(formatDuration(p.latency.p95), 8)} p99 ${pad(formatDuration(p.latency.p99), 8)}${monitors}${p.pacing?.waited || p.pacing?.refused.rate || p.pacing?.refused.gate ? `  CMO queue: ${pacingText(p.pacing)}` : ""}`,
    );
  }
  const failed = report.expectations.filter((v) => !v.passed);
  lines.push(
    `  expectations: ${s.expectations.passed} passed, ${s.expectations.failed} failed${s.findings ? `; ${s.findings} contract findings` : ""}`,
  );
  for (const v of failed) lines.push(`  ✘ ${v.message}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return `${lines.map((l) => l.trimEnd()).join("\n")}\n`;
}
