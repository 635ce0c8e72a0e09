import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PacingObserver } from "../engine/pacing.js";

/**
 * Prometheus metrics of one simulator (its own registry, so several simulators in one process, as
 * in tests, never mix their counts). Labels are low-cardinality: route templates, not paths.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<"face" | "route" | "method" | "status" | "platform" | "caller">;
  readonly duration: Histogram<"face" | "route" | "method" | "platform">;
  readonly rateLimited: Counter<"platform" | "rule">;
  readonly faults: Counter<"platform" | "kind">;
  readonly pacingWait: Histogram<"platform">;
  readonly pacingRefusals: Counter<"platform" | "reason">;

  constructor(sources: {
    monitorsInFlight: () => number;
    monitorOutcomes: () => { DONE: number; FAILED: number };
    operationsInFlight: () => Array<[string, number]>;
    pacingQueued: () => Array<[string, number]>;
  }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "cmo_sim_" });
    this.requests = new Counter({
      name: "cmo_sim_http_requests_total",
      help: "Requests answered, by face (cmo, platform, admin, auth), route template, method, status, platform and caller",
      labelNames: ["face", "route", "method", "status", "platform", "caller"],
      registers,
    });
    this.duration = new Histogram({
      name: "cmo_sim_http_request_duration_seconds",
      help: "Time to answer, in simulated seconds (platform latency included)",
      labelNames: ["face", "route", "method", "platform"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.rateLimited = new Counter({
      name: "cmo_sim_rate_limit_rejections_total",
      help: "Requests a platform refused for its rate limit or one-at-a-time rule",
      labelNames: ["platform", "rule"],
      registers,
    });
    this.faults = new Counter({
      name: "cmo_sim_faults_injected_total",
      help: "Faults the simulator injected: error, timeout, ghost, outage",
      labelNames: ["platform", "kind"],
      registers,
    });
    this.pacingWait = new Histogram({
      name: "cmo_sim_pacing_wait_seconds",
      help: "How long the CMO's calls to a platform queued before they were sent, in simulated seconds",
      labelNames: ["platform"],
      buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.pacingRefusals = new Counter({
      name: "cmo_sim_pacing_refusals_total",
      help: "CMO calls to a platform refused instead of queued: rate (no slot within the pacing bound, a 429) or gate (no turn at the one-at-a-time gate within the call timeout, a 504)",
      labelNames: ["platform", "reason"],
      registers,
    });
    new Gauge({
      name: "cmo_sim_pacing_queue_depth",
      help: "CMO calls waiting in a platform's pacing queue",
      labelNames: ["platform"],
      registers,
      collect() {
        for (const [platform, depth] of sources.pacingQueued()) this.set({ platform }, depth);
      },
    });
    new Gauge({
      name: "cmo_sim_monitors_in_flight",
      help: "CMO monitors not yet DONE or FAILED",
      registers,
      collect() {
        this.set(sources.monitorsInFlight());
      },
    });
    new Gauge({
      name: "cmo_sim_monitors_finished",
      help: "CMO monitors that ended, by outcome, since start or the last reset",
      labelNames: ["outcome"],
      registers,
      collect() {
        const outcomes = sources.monitorOutcomes();
        this.set({ outcome: "DONE" }, outcomes.DONE);
        this.set({ outcome: "FAILED" }, outcomes.FAILED);
      },
    });
    new Gauge({
      name: "cmo_sim_native_operations_in_flight",
      help: "Asynchronous native operations (requests, orders, transactions) still running, by platform",
      labelNames: ["platform"],
      registers,
      collect() {
        for (const [platform, count] of sources.operationsInFlight()) this.set({ platform }, count);
      },
    });
  }

  /** Watches one platform's pacing queue; children are bound once, since every native call passes here. */
  pacingObserver(platform: string): PacingObserver {
    const wait = this.pacingWait.labels({ platform });
    const refusals = {
      rate: this.pacingRefusals.labels({ platform, reason: "rate" }),
      gate: this.pacingRefusals.labels({ platform, reason: "gate" }),
    };
    return {
      waited: (ms) => wait.observe(ms / 1000),
      refused: (reason) => refusals[reason].inc(),
    };
  }

  /** One answered request; `seconds` is simulated time. */
  observe(
    labels: {
      face: string;
      route: string;
      method: string;
      status: number;
      platform?: string | undefined;
      caller: string;
    },
    seconds: number,
  ): void {
    const platform = labels.platform ?? "";
    this.requests.inc({
      face: labels.face,
      route: labels.route,
      method: labels.method,
      status: String(labels.status),
      platform,
      caller: labels.caller,
    });
    this.duration.observe(
      { face: labels.face, route: labels.route, method: labels.method, platform },
      seconds,
    );
  }
}
