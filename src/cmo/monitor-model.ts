import type { CmoStatus, PlatformCode } from "../config/schema.js";
import type { Problem } from "../http/problem.js";
import type { NativeExchange } from "../transport/types.js";

/**
 * A monitor as the CMO keeps it. Hrefs are not stored: they are built from each request's origin
 * when the monitor is shown, so one monitor reads right through any host name.
 */
export type EntryState = "IN_PROGRESS" | "DONE" | "FAILED";

export interface MonitorEntry {
  platform: PlatformCode | "UNKNOWN";
  /** The product this entry acts on (composite id); absent when the id could not be parsed. */
  productId: string;
  accountId?: string | undefined;
  nativeId?: string | undefined;
  state: EntryState;
  message: string;
  /** The native answer: status, headers and body exactly as the platform sent them. */
  native: NativeExchange;
  action:
    | { kind: "status"; target: CmoStatus }
    | { kind: "transfer"; targetAccountId: string }
    | { kind: "customProperty" }
    | { kind: "none" };
  /** What the adapter polls with, while the platform works. */
  ticket?: string | undefined;
  /** The problem reported when the entry failed. */
  problem?: Problem | undefined;
  /** Simulated ms: when the entry was last polled and when it next will be. */
  polledAt?: number | undefined;
  pollDelayMs?: number | undefined;
}

export interface MonitorRecord {
  id: string;
  tenant: string;
  kind: "status" | "transfer" | "batch";
  /** Path below the tenant base of the monitored resource (`product/…` or, for batches, `monitor/…`). */
  source: string;
  request: { method: string; body: unknown; headers: Array<{ name: string; value: string }> };
  entries: MonitorEntry[];
  correlationId: string;
  createdAt: number;
  finishedAt?: number | undefined;
}

export function rollUp(entries: readonly MonitorEntry[]): EntryState {
  if (entries.some((e) => e.state === "IN_PROGRESS")) return "IN_PROGRESS";
  return entries.every((e) => e.state === "DONE") ? "DONE" : "FAILED";
}

function nativeBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The monitor as the CMO answers it (the seed page's shape, field for field). */
export function renderMonitor(record: MonitorRecord, base: string): Record<string, unknown> {
  const state = rollUp(record.entries);
  return {
    id: record.id,
    href: `${base}/monitor/${record.id}`,
    sourceHref: `${base}/${record.source}`,
    state,
    request: record.request,
    response: record.entries.map((e) => ({
      platform: e.platform,
      statusCode: e.native.status,
      message: e.message,
      state: e.state,
      body: nativeBody(e.native.body),
      headers: e.native.headers,
    })),
    "@type": "monitor",
    errors:
      state === "FAILED"
        ? record.entries.filter((e) => e.state === "FAILED" && e.problem).map((e) => e.problem)
        : [],
    correlationId: record.correlationId,
  };
}

/** `{id}-{unixSeconds}-monitor`, or `{id}-{unixSeconds}-{n}-monitor` when that is taken. */
export function monitorId(nativeId: string, nowMs: number, taken: (id: string) => boolean): string {
  const seconds = Math.floor(nowMs / 1000);
  const plain = `${nativeId}-${seconds}-monitor`;
  if (!taken(plain)) return plain;
  for (let n = 1; ; n++) {
    const id = `${nativeId}-${seconds}-${n}-monitor`;
    if (!taken(id)) return id;
  }
}

/** The 202's Link header: the monitor (related), and the product it acts on (self, canonical). */
export function linkHeader(monitorHref: string, productHref: string): string {
  return `<${monitorHref}>; rel="related"; title="monitor", <${productHref}>; rel="self", <${productHref}>; rel="canonical"`;
}
