import { formatDuration } from "../config/duration.js";
import { orderScopes } from "./record.js";
import { pacingText, type Report } from "./report.js";
import { AUTH_SCOPE } from "./schema.js";
import { esc, histogramSvg, timelineSvg } from "./svg.js";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{margin:0 0 4px}h2{margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600}
.passed{background:#2e8b57}.failed{background:#c0392b}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right}tr.fail td{background:#fdecea}
.facts span{margin-right:18px}.muted{color:#777}
svg text{font:11px system-ui,sans-serif;fill:#333}svg .lane{font-weight:600}svg .axis{fill:#777;text-anchor:middle}
svg .tick{stroke:#eee}svg .revoke{stroke:#333;stroke-dasharray:4 3}svg .rule{stroke:#ddd}svg .ok{fill:#6aa84f}svg .failed{fill:#cc4125}
svg .monitor{stroke-width:1.6}svg .DONE{stroke:#3d85c6}svg .FAILED{stroke:#cc4125}svg .LOST{stroke:#000;stroke-dasharray:3 2}
svg .bar{fill:#5b8def}svg .count{font-size:9px;text-anchor:middle}svg .bucket{font-size:9px}svg .title{font-weight:600}
figure{display:inline-block;margin:4px 12px 4px 0}.legend span{margin-right:14px}
.sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
`;

/** A count or a duration as formatDuration writes it ("12", "1,204", "250ms", "1.5s", "14m46s"). */
const NUMBER = /^-?[\d,.]+(?:(?:ms|µs|s|m|h|d)(?:[\d.]+(?:ms|s|m|h))*)?$/;

/** A table whose columns of numbers are right-aligned, headers included, so figures line up under them. */
function table(head: string[], rows: string[][], rowClass: (i: number) => string = () => ""): string {
  const numeric = head.map((_, col) => {
    const cells = rows.map((r) => r[col] ?? "").filter((c) => c !== "");
    return cells.length > 0 && cells.every((c) => NUMBER.test(c));
  });
  const cls = (col: number) => (numeric[col] ? ' class="num"' : "");
  return `<table><thead><tr>${head.map((h, col) => `<th${cls(col)}>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map(
      (r, i) =>
        `<tr class="${rowClass(i)}">${r.map((c, col) => `<td${cls(col)}>${esc(c)}</td>`).join("")}</tr>`,
    )
    .join("")}</tbody></table>`;
}

/** One row per item, or `empty` when there are none; rows of failed items are marked. */
function itemTable<T>(
  items: readonly T[],
  head: string[],
  cells: (item: T) => string[],
  empty: string,
  failed?: (item: T) => boolean,
): string {
  if (items.length === 0) return empty;
  return table(head, items.map(cells), failed && ((i) => (failed(items[i] as T) ? "fail" : "")));
}

const muted = (text: string) => `<p class="muted">${text}</p>`;

/** The report as one self-contained page: inline CSS and SVG, no script, nothing fetched. */
export function renderHtml(report: Report): string {
  const s = report.scenario;
  const lanes = orderScopes(Object.keys(report.platforms)).filter((scope) => scope !== AUTH_SCOPE);
  const failedExpectations = report.expectations.filter((v) => !v.passed);
  const stepName = (index: number) => report.steps.find((st) => st.index === index)?.name ?? `step ${index}`;
  const expectations = itemTable(
    report.expectations,
    ["", "expectation", "expected", "actual"],
    (v) => [v.passed ? "✔" : "✘", v.step ? `${stepName(v.step)}: ${v.name}` : v.name, v.expected, v.actual],
    muted("No expectations."),
    (v) => !v.passed,
  );
  const steps = itemTable(
    report.steps,
    ["#", "step", "request", "status", "attempts", "monitor", "took"],
    (st) => [
      String(st.index),
      st.name,
      st.request ?? "",
      st.status === undefined ? "" : `${st.status}${st.detail ? ` — ${st.detail}` : ""}`,
      (st.attempts ?? []).join(", "),
      st.monitor
        ? `${st.monitor.state}${st.monitor.afterMs === undefined ? "" : ` after ${formatDuration(st.monitor.afterMs)}`}`
        : "",
      st.tookMs === undefined ? "" : formatDuration(st.tookMs),
    ],
    "",
    (st) => !st.passed,
  );
  const classes = [...new Set(lanes.flatMap((l) => Object.keys(report.platforms[l]?.errors ?? {})))].sort();
  const errors = classes.length
    ? table(
        ["platform", ...classes, "failed operations"],
        orderScopes(Object.keys(report.platforms)).map((l) => {
          const p = report.platforms[l];
          return [
            l,
            ...classes.map((c) => String(p?.errors[c] ?? 0)),
            `${p?.failedOperations ?? 0} of ${p?.operations ?? 0}`,
          ];
        }),
      )
    : muted("No error answers.");
  const platforms = table(
    [
      "platform",
      "operations",
      "failed",
      "requests",
      "p50",
      "p95",
      "p99",
      "max",
      "monitors (done / failed / lost)",
      "CMO queueing (calls queued, mean wait; refused)",
    ],
    orderScopes(Object.keys(report.platforms)).map((l) => {
      const p = report.platforms[l];
      if (!p) return [l];
      const m = p.monitors;
      return [
        l,
        String(p.operations),
        String(p.failedOperations),
        String(p.requests),
        formatDuration(p.latency.p50),
        formatDuration(p.latency.p95),
        formatDuration(p.latency.p99),
        formatDuration(p.latency.max),
        m.accepted ? `${m.accepted} (${m.done} / ${m.failed} / ${m.lost})` : "",
        pacingText(p.pacing),
      ];
    }),
  );
  const latency = orderScopes(Object.keys(report.platforms))
    .map((l) =>
      histogramSvg(
        `${l}: answer times (${report.platforms[l]?.latency.count ?? 0})`,
        report.platforms[l]?.latencyHistogram as never,
        "latency",
      ),
    )
    .join("");
  const completion = orderScopes(Object.keys(report.platforms))
    .filter((l) => (report.platforms[l]?.completion.count ?? 0) > 0)
    .map((l) =>
      histogramSvg(
        `${l}: monitor times (${report.platforms[l]?.completion.count})`,
        report.platforms[l]?.completionHistogram as never,
        "completion",
      ),
    )
    .join("");
  const events = itemTable(
    report.events,
    ["at", "until", "event", "platforms", ""],
    (e) => [
      formatDuration(e.at),
      e.until === undefined ? "" : formatDuration(e.until),
      e.summary,
      e.platforms.join(", "),
      e.error ?? "",
    ],
    muted("No timed events."),
  );
  const findings = itemTable(
    report.findings,
    ["count", "kind", "subject", "path", "rule", "expected", "first actual"],
    (f) => [String(f.count), f.kind, f.subject, f.path ?? "", f.rule, f.expected, f.actual],
    muted("No findings from the contract checkers."),
  );
  const sum = report.summary;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(`${s.name}: ${report.verdict}`)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(s.name)} <span class="verdict ${report.verdict}">${report.verdict}</span></h1>
${s.description ? `<p>${esc(s.description)}</p>` : ""}
<p class="facts"><span>seed ${esc(s.seed)}</span><span>${esc(s.mode)}, ${esc(s.clock)} clock</span>${
    report.time.start ? `<span>simulated from ${esc(report.time.start)}</span>` : ""
  }<span>ran ${esc(formatDuration(report.time.endMs))}${
    report.time.trafficEndMs > 0
      ? ` (traffic for the first ${esc(formatDuration(report.time.trafficEndMs))})`
      : ""
  }</span></p>
<p class="facts"><span>${sum.operations} operations (${sum.failedOperations} failed)</span><span>${sum.requests} requests, ${sum.retries} retries</span><span>${sum.tokenRequests} sign-ins</span><span>monitors: ${sum.monitors.accepted} accepted, ${sum.monitors.done} done, ${sum.monitors.failed} failed, ${sum.monitors.lost} lost</span><span>${sum.expectations.failed} of ${sum.expectations.passed + sum.expectations.failed} expectations failed</span></p>
<h2 id="expectations">Expectations</h2>
${failedExpectations.length ? `<ul>${failedExpectations.map((v) => `<li>${esc(v.message)}</li>`).join("")}</ul>` : ""}
${expectations}
<h2 id="timeline-title">Timeline</h2>
<p class="legend"><span><i class="sw" style="background:#6aa84f"></i>operations</span><span><i class="sw" style="background:#cc4125"></i>failed</span><span><i class="sw" style="background:#3d85c6"></i>monitor (202 → DONE)</span><span><i class="sw" style="background:#d9534f;opacity:.4"></i>outage</span><span><i class="sw" style="background:#f0ad4e;opacity:.4"></i>latency</span><span><i class="sw" style="background:#9b59b6;opacity:.4"></i>faults</span><span><i class="sw" style="background:#5b8def;opacity:.4"></i>rate limits</span><span>┆ token revocation</span></p>
${timelineSvg(lanes, report.operations, report.events, Math.max(report.time.endMs, report.time.trafficEndMs))}
<h2 id="platforms">Platforms</h2>
${platforms}
<h2 id="latency">Answer times per platform</h2>
${latency}
${completion ? `<h2 id="completion">Monitor times per platform</h2>${completion}` : ""}
<h2 id="errors">Errors by platform and class</h2>
${errors}
${steps ? `<h2 id="steps">Steps</h2>${steps}` : ""}
<h2 id="events">Events</h2>
${events}
<h2 id="findings">Contract findings</h2>
${findings}
<p class="muted">cmo-sim ${esc(report.run.version)}, run ${esc(report.run.startedAt)} on ${esc(report.run.host)} in ${esc(formatDuration(report.run.wallMs))} of wall time.</p>
</body></html>
`;
}
