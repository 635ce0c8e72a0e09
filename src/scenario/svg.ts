import { formatDuration } from "../config/duration.js";
import type { EventRecord } from "./events.js";
import type { OperationRow } from "./report.js";
import type { Histogram } from "./stats.js";

/** Inline SVG charts for the HTML report: drawn here, so the page needs no script and no network. */

export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const WIDTH = 1000;
const LABEL = 90;
const LANE = 44;
const BUCKETS = 144;
const EVENT_COLOURS: Record<string, string> = {
  outage: "#d9534f",
  latency: "#f0ad4e",
  faults: "#9b59b6",
  rateLimits: "#5b8def",
  profile: "#7f8c8d",
};

function ticks(end: number): number[] {
  const steps = [
    1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 7_200_000, 14_400_000, 21_600_000,
  ];
  const step = steps.find((s) => end / s <= 12) ?? 43_200_000;
  const out: number[] = [];
  for (let t = 0; t <= end; t += step) out.push(t);
  return out;
}

/**
 * One lane per platform: bars of operations started per time slice (failed ones in red), the
 * windows of timed events behind them, and under them one line per monitor from its 202 to its end.
 */
export function timelineSvg(
  lanes: string[],
  operations: OperationRow[],
  events: EventRecord[],
  end: number,
): string {
  const span = Math.max(end, 1);
  const x = (t: number) => LABEL + (Math.min(Math.max(t, 0), span) / span) * (WIDTH - LABEL - 10);
  const height = 24 + lanes.length * LANE;
  const parts: string[] = [];
  const bucketMs = span / BUCKETS;
  lanes.forEach((lane, i) => {
    const top = 20 + i * LANE;
    parts.push(`<text x="4" y="${top + 18}" class="lane">${esc(lane)}</text>`);
    parts.push(
      `<line x1="${LABEL}" x2="${WIDTH - 10}" y1="${top + LANE - 2}" y2="${top + LANE - 2}" class="rule"/>`,
    );
    for (const e of events) {
      if (!e.platforms.includes(lane) || e.error) continue;
      const colour = EVENT_COLOURS[e.type];
      if (!colour) continue;
      const w = Math.max(2, x(e.until ?? span) - x(e.at));
      parts.push(
        `<rect x="${x(e.at).toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${LANE - 4}" fill="${colour}" opacity="0.18" class="event"><title>${esc(`${e.type} at ${formatDuration(e.at)}: ${e.summary}`)}</title></rect>`,
      );
    }
    const mine = operations.filter((op) => op.scope === lane);
    const ok = new Array<number>(BUCKETS).fill(0);
    const bad = new Array<number>(BUCKETS).fill(0);
    for (const op of mine) {
      const b = Math.min(BUCKETS - 1, Math.floor(op.atMs / bucketMs));
      const counts = op.failed ? bad : ok;
      counts[b] = (counts[b] as number) + 1;
    }
    // Square-root heights: a burst does not flatten the rest of the day into nothing.
    const peak = Math.sqrt(Math.max(1, ...ok.map((n, b) => n + (bad[b] as number))));
    const barW = (WIDTH - LABEL - 10) / BUCKETS;
    for (let b = 0; b < BUCKETS; b++) {
      const total = (ok[b] as number) + (bad[b] as number);
      if (total === 0) continue;
      const h = (Math.sqrt(total) / peak) * 24;
      const hb = h * ((bad[b] as number) / total);
      const bx = (LABEL + b * barW).toFixed(1);
      const tip = `<title>${esc(`${formatDuration(b * bucketMs)}: ${total} operations, ${bad[b]} failed`)}</title>`;
      parts.push(
        `<rect x="${bx}" y="${(top + 26 - h).toFixed(1)}" width="${Math.max(1, barW - 0.5).toFixed(1)}" height="${(h - hb).toFixed(1)}" class="ok">${tip}</rect>`,
      );
      if (hb > 0)
        parts.push(
          `<rect x="${bx}" y="${(top + 26 - hb).toFixed(1)}" width="${Math.max(1, barW - 0.5).toFixed(1)}" height="${hb.toFixed(1)}" class="failed">${tip}</rect>`,
        );
    }
    mine
      .filter((op) => op.monitor)
      .forEach((op, k) => {
        const y = top + 29 + (k % 5) * 2.5;
        const endAt = op.monitor?.afterMs === undefined ? span : op.atMs + op.tookMs;
        parts.push(
          `<line x1="${x(op.atMs).toFixed(1)}" x2="${Math.max(x(op.atMs) + 1, x(endAt)).toFixed(1)}" y1="${y}" y2="${y}" class="monitor ${op.monitor?.state}"/>`,
        );
      });
  });
  for (const t of ticks(span)) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="14" y2="${height - 4}" class="tick"/>`,
    );
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="11" class="axis">${t === 0 ? "0" : esc(formatDuration(t))}</text>`,
    );
  }
  for (const e of events.filter((e) => e.type === "revokeTokens" && !e.error)) {
    const at = x(e.at).toFixed(1);
    parts.push(
      `<line x1="${at}" x2="${at}" y1="14" y2="${height - 4}" class="revoke"><title>${esc(`${formatDuration(e.at)}: ${e.summary}`)}</title></line>`,
    );
  }
  return `<svg id="timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="Timeline of operations and monitors">${parts.join("")}</svg>`;
}

/** Bars of a histogram with its bucket labels ("≤250ms", ">60s"). */
export function histogramSvg(title: string, h: Histogram, kind: string): string {
  const w = 300;
  const chartH = 90;
  const n = h.counts.length;
  const peak = Math.max(1, ...h.counts);
  const barW = (w - 10) / n;
  const label = (i: number) =>
    i < h.bounds.length
      ? `≤${formatDuration(h.bounds[i] as number)}`
      : `>${formatDuration(h.bounds.at(-1) as number)}`;
  const bars = h.counts
    .map((c, i) => {
      const bh = (c / peak) * chartH;
      const bx = 5 + i * barW;
      return `<rect x="${bx.toFixed(1)}" y="${(20 + chartH - bh).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${bh.toFixed(1)}" class="bar"><title>${esc(`${label(i)}: ${c}`)}</title></rect>${
        c > 0
          ? `<text x="${(bx + barW / 2 - 1).toFixed(1)}" y="${(18 + chartH - bh).toFixed(1)}" class="count">${c}</text>`
          : ""
      }<text x="${(bx + barW / 2 - 1).toFixed(1)}" y="${chartH + 32}" class="bucket" transform="rotate(45 ${(bx + barW / 2 - 1).toFixed(1)} ${chartH + 32})">${esc(label(i))}</text>`;
    })
    .join("");
  return `<figure><svg class="histogram ${esc(kind)}" viewBox="0 0 ${w} ${chartH + 70}" width="${w}" role="img" aria-label="${esc(title)}"><text x="5" y="12" class="title">${esc(title)}</text>${bars}</svg></figure>`;
}
