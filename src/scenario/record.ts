import { PLATFORMS } from "../../simulators/registry.js";
import { AUTH_SCOPE, TENANT_SCOPE } from "./schema.js";

/**
 * What a run saw, as plain data: the report, the expectations and the HTML are all computed from
 * these records. Times are ms after the run started (simulated on a virtual clock).
 */

/** One HTTP request the simulated client made. */
export interface RequestRecord {
  at: number;
  ms: number;
  /** 0 when no answer came (network failure, or the run ended first). */
  status: number;
  kind: "call" | "poll" | "token";
  /** Whether the answer carried Retry-After. */
  retryAfter: boolean;
}

export type MonitorState = "DONE" | "FAILED" | "LOST";

export interface MonitorRecordView {
  id: string;
  acceptedAt: number;
  state: MonitorState;
  finishedAt?: number;
  entries: Array<{ platform: string; state: string }>;
  /** Why a monitor was lost (timed out, not found, run ended). */
  reason?: string;
}

export interface OperationRecord {
  /** Planning order: step operations first (by step), then each load's in arrival order. */
  id: number;
  source: { kind: "step"; index: number; name: string } | { kind: "load"; name: string };
  operation: string;
  /** Platform code, or CMO for tenant-wide requests (list, find, batch). */
  scope: string;
  product?: string;
  method: string;
  path: string;
  startedAt: number;
  endedAt?: number;
  requests: RequestRecord[];
  /** Final HTTP status (0: none). */
  status: number;
  detail?: string;
  /** A refused retry of a status change that a read showed had been applied after all. */
  reconciled?: boolean;
  /** The final answer's body, kept for steps (their expectations read it). */
  body?: unknown;
  monitor?: MonitorRecordView;
}

/** Whether an operation ended well: a 2xx whose monitor (if any) is DONE. */
export function operationFailed(op: OperationRecord): boolean {
  if (op.status < 200 || op.status >= 300) return true;
  return op.monitor !== undefined && op.monitor.state !== "DONE";
}

const STATUS_CLASSES: Record<number, string> = {
  0: "no answer",
  400: "invalid request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  409: "conflict",
  429: "rate limited",
  500: "server error",
  502: "bad gateway",
  503: "unavailable",
  504: "gateway timeout",
};

/** An error's class for breakdowns: "429 rate limited", "monitor FAILED". */
export function errorClass(op: OperationRecord): string {
  if (op.status >= 200 && op.status < 300 && op.monitor) return `monitor ${op.monitor.state}`;
  return statusClass(op.status);
}

export function statusClass(status: number): string {
  const label = STATUS_CLASSES[status] ?? (status >= 500 ? "server error" : "client error");
  return status === 0 ? label : `${status} ${label}`;
}

/** Platforms in the CMO's order, then tenant-wide requests, then sign-ins. */
export function orderScopes(scopes: Iterable<string>): string[] {
  const order = [...PLATFORMS.map((p) => p.code as string), TENANT_SCOPE, AUTH_SCOPE];
  return [...scopes].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}
