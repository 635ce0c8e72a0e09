import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

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

  constructor(sources: {
    monitorsInFlight: () => number;
    monitorOutcomes: () => { DONE: number; FAILED: number };
    operationsInFlight: () => Array<[string, number]>;
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
