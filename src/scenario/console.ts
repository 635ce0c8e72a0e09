import { formatDuration } from "./duration.js";
import { orderScopes } from "./record.js";
import { pacingText, type Report } from "./report.js";
import type { Progress } from "./runner.js";
import { AUTH_SCOPE } from "./schema.js";

/** What the terminal shows of a run: a progress bar on a TTY, a plain line per tenth otherwise. */
export class ProgressDisplay {
  #timer: NodeJS.Timeout | undefined;
  #tenth = -1;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly name: string,
    private readonly read: () => Progress,
  ) {}

  start(): void {
    const tty = this.out.isTTY === true;
    if (!tty) this.out.write(`${this.name}: running\n`);
    this.#timer = setInterval(() => (tty ? this.#bar() : this.#line()), tty ? 100 : 250);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.out.isTTY) this.out.write("\r\x1b[2K");
  }

  #share(p: Progress): number {
    return p.total > 0 ? Math.min(1, p.elapsed / p.total) : 0;
  }

  #bar(): void {
    const p = this.read();
    const share = this.#share(p);
    const width = 24;
    const filled = Math.round(share * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const when = `${formatDuration(p.elapsed)} of ${formatDuration(p.total)}`;
    this.out.write(
      `\r\x1b[2K${this.name} ${bar} ${Math.floor(share * 100)}% ${when}  ${p.operations} ops, ${p.failed} failed`,
    );
  }

  #line(): void {
    const p = this.read();
    const tenth = Math.floor(this.#share(p) * 10);
    if (tenth <= this.#tenth) return;
    this.#tenth = tenth;
    this.out.write(
      `${this.name}: ${tenth * 10}% (${formatDuration(p.elapsed)} simulated, ${p.operations} operations, ${p.failed} failed)\n`,
    );
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
