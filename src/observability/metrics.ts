import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { BoundedMemo } from "../engine/bounded-memo.js";
import type { PacingObserver } from "../engine/pacing.js";

/** What the gauges read when scraped; the CMO's counts may come from its store, so they may be awaited. */
export interface MetricSources {
  monitorsInFlight: () => number | Promise<number>;
  monitorOutcomes: () => { DONE: number; FAILED: number } | Promise<{ DONE: number; FAILED: number }>;
  operationsInFlight: () => Array<[string, number]>;
  pacingQueued: () => Array<[string, number]>;
}

type Collect<L extends string> = (this: Gauge<L>) => void | Promise<void>;

/**
 * Prometheus metrics of one simulator (its own registry, so several simulators in one process, as
 * in tests, never mix their counts). Labels are low-cardinality: route templates, not paths.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<"face" | "route" | "method" | "status" | "platform" | "caller">;
  readonly duration: Histogram<"face" | "route" | "method" | "platform">;
  /**
   * The children of one label combination, bound once: prom-client hashes the label object on
   * every call otherwise, which a request paid for twice. Routes are templates and statuses few, so
   * combinations are too; the bound only guards memory.
   */
  readonly #bound = new BoundedMemo<
    string,
    { count: { inc(): void }; time: { observe(value: number): void } }
  >(10_000);
  readonly rateLimited: Counter<"platform" | "rule">;
  readonly faults: Counter<"platform" | "kind">;
  readonly pacingWait: Histogram<"platform">;
  readonly pacingRefusals: Counter<"platform" | "reason">;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "cmo_sim_" });
    const counter = <L extends string>(name: string, labelNames: L[], help: string) =>
      new Counter({ name, help, labelNames, registers });
    const histogram = <L extends string>(name: string, labelNames: L[], buckets: number[], help: string) =>
      new Histogram({ name, help, labelNames, buckets, registers });
    // Gauges are read when scraped, from the sources, rather than kept up to date.
    const gauge = <L extends string>(name: string, labelNames: L[], help: string, collect: Collect<L>) =>
      new Gauge({ name, help, labelNames, registers, collect });

    this.requests = counter(
      "cmo_sim_http_requests_total",
      ["face", "route", "method", "status", "platform", "caller"],
      "Requests answered, by face (cmo, platform, admin, auth), route template, method, status, platform and caller",
    );
    this.duration = histogram(
      "cmo_sim_http_request_duration_seconds",
      ["face", "route", "method", "platform"],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      "Time to answer, in simulated seconds (platform latency included)",
    );
    this.rateLimited = counter(
      "cmo_sim_rate_limit_rejections_total",
      ["platform", "rule"],
      "Requests a platform refused for its rate limit or one-at-a-time rule",
    );
    this.faults = counter(
      "cmo_sim_faults_injected_total",
      ["platform", "kind"],
      "Faults the simulator injected: error, timeout, ghost, outage",
    );
    this.pacingWait = histogram(
      "cmo_sim_pacing_wait_seconds",
      ["platform"],
      [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      "How long the CMO's calls to a platform queued before they were sent, in simulated seconds",
    );
    this.pacingRefusals = counter(
      "cmo_sim_pacing_refusals_total",
      ["platform", "reason"],
      "CMO calls to a platform refused instead of queued: rate (no slot within the pacing bound, a 429) or gate (no turn at the one-at-a-time gate within the call timeout, a 504)",
    );
    const perPlatform = (values: () => Array<[string, number]>): Collect<"platform"> =>
      function () {
        for (const [platform, value] of values()) this.set({ platform }, value);
      };
    gauge(
      "cmo_sim_pacing_queue_depth",
      ["platform"],
      "CMO calls waiting in a platform's pacing queue",
      perPlatform(sources.pacingQueued),
    );
    gauge("cmo_sim_monitors_in_flight", [], "CMO monitors not yet DONE or FAILED", async function () {
      this.set(await sources.monitorsInFlight());
    });
    gauge(
      "cmo_sim_monitors_finished",
      ["outcome"],
      "CMO monitors that ended, by outcome, since start or the last reset",
      async function () {
        const outcomes = await sources.monitorOutcomes();
        this.set({ outcome: "DONE" }, outcomes.DONE);
        this.set({ outcome: "FAILED" }, outcomes.FAILED);
      },
    );
    gauge(
      "cmo_sim_native_operations_in_flight",
      ["platform"],
      "Asynchronous native operations (requests, orders, transactions) still running, by platform",
      perPlatform(sources.operationsInFlight),
    );
  }

  /** A native fake's rate-limit refusal (by rule) or injected fault (by kind: the detail's first word). */
  countNativeEvent(event: {
    platform: string;
    kind: "fault" | "rate-limited" | "outage";
    detail: string;
  }): void {
    const { platform, kind, detail } = event;
    if (kind === "rate-limited") this.rateLimited.inc({ platform, rule: detail });
    else
      this.faults.inc({ platform, kind: kind === "outage" ? "outage" : (detail.split(" ")[0] ?? "error") });
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
    const key = `${labels.face}\u0000${labels.route}\u0000${labels.method}\u0000${labels.status}\u0000${platform}\u0000${labels.caller}`;
    const bound =
      this.#bound.get(key) ??
      this.#bound.keep(key, {
        count: this.requests.labels({
          face: labels.face,
          route: labels.route,
          method: labels.method,
          status: String(labels.status),
          platform,
          caller: labels.caller,
        }),
        time: this.duration.labels({
          face: labels.face,
          route: labels.route,
          method: labels.method,
          platform,
        }),
      });
    bound.count.inc();
    bound.time.observe(seconds);
  }
}
