import { randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { PLATFORMS } from "../../simulators/registry.js";
import { createAdminApp } from "../admin/app.js";
import { CmoFront } from "../cmo/front.js";
import { unknownPlatforms } from "../config/known-platforms.js";
import { validate } from "../config/load.js";
import { Config, type ConfigInput } from "../config/schema.js";
import { createDashboardApp } from "../dashboard/app.js";
import { type Clock, RealClock, VirtualClock } from "../engine/clock.js";
import { ProblemError, problemErrorHandler, problemResponse } from "../http/problem.js";
import { Journal } from "../observability/journal.js";
import type { Logger } from "../observability/log.js";
import { Metrics } from "../observability/metrics.js";
import { observeRequests } from "../observability/observe.js";
import { registerApiDocs } from "../openapi/routes.js";
import { MemoryStore, type StateStore } from "../store/store.js";
import { SharedManualClock } from "./shared-clock.js";
import { captureState, restoreState } from "./state.js";
import { startSweeper } from "./sweeper.js";
import { World } from "./world.js";

export interface SimulatorOptions {
  /** Supply a clock (the scenario runner brings its own VirtualClock). */
  clock?: Clock;
  /** Whether request-path latency is waited for; defaults to false on a manual clock. */
  applyLatency?: boolean;
  /** Key for CMO tokens; a restored state brings its own, so tokens issued before a restart stay valid. */
  signingSecret?: string;
  /** Called when the app answers a request with a 5xx it did not mean to (for logs). */
  onUnexpectedError?: (error: unknown, path: string) => void;
  /** Structured request logs (pino); silent when absent. */
  logger?: Logger;
  /** Where all mutable state lives; a fresh in-memory store unless given. */
  store?: StateStore;
  /**
   * When the world began (epoch ms), if it began before this process: replicas of one world share
   * it, so planned outages fall at the same times and a manual clock starts where the world's did.
   */
  startedAt?: number;
}

/**
 * How often a process on a shared store looks for due work another process armed and can no longer
 * do: the longest a completion waits past its time when the process that accepted it died.
 */
const SWEEP_EVERY_MS = 500;

export function parseConfig(input: ConfigInput | unknown, source = "configuration"): Config {
  return validate(Config, input ?? {}, { name: source }, unknownPlatforms);
}

/**
 * One simulator: the CMO front, the ten native fakes and the admin API in one Hono app, over one
 * clock and one seeded random source.
 */
export class Simulator {
  readonly config: Config;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly metrics: Metrics;
  readonly app: Hono;
  readonly startedAt: number;
  readonly signingSecret: string;
  readonly applyLatency: boolean;
  /** The one store behind the CMO front and every platform. */
  readonly store: StateStore;
  #world: World;
  #sweeper: { stop(): Promise<void> } | undefined;
  /** A manual clock every replica moves together (manual clock on a shared store, once resumed). */
  #sharedClock: SharedManualClock | undefined;
  readonly cmo: CmoFront;

  constructor(config: Config, options: SimulatorOptions = {}) {
    this.config = config;
    this.clock =
      options.clock ??
      (config.clock === "manual" ? new VirtualClock(options.startedAt ?? Date.now()) : new RealClock());
    this.applyLatency = options.applyLatency ?? this.clock.kind === "real";
    this.startedAt = options.startedAt ?? this.clock.now();
    this.metrics = new Metrics({
      monitorsInFlight: () => this.cmo.monitors.inFlightCount(),
      monitorOutcomes: () => this.cmo.monitors.outcomes(),
      operationsInFlight: () =>
        [...this.#world.platforms].map(([code, slot]) => [code, slot.runtime.operationsInFlight]),
      pacingQueued: () => [...this.#world.platforms].map(([code, slot]) => [code, slot.pacer.queued]),
    });
    this.signingSecret =
      options.signingSecret ?? config.auth.signingSecret ?? randomBytes(32).toString("base64url");
    this.store = options.store ?? new MemoryStore();
    this.journal = new Journal(this.store, config.journal.maxEntries);
    this.#world = this.#buildWorld(config);
    this.cmo = new CmoFront({
      clock: this.clock,
      store: this.store,
      gateway: () => this.#world,
      config,
      signingSecret: this.signingSecret,
      onUnexpectedError: options.onUnexpectedError,
    });
    this.app = this.#buildApp(options);
  }

  get world(): World {
    return this.#world;
  }

  #buildWorld(config: Config): World {
    return new World({
      config,
      clock: this.clock,
      applyLatency: this.applyLatency,
      startedAt: this.startedAt,
      tokenKey: this.signingSecret,
      store: this.store,
      pacing: (code) => this.metrics.pacingObserver(code),
      nativeApp: {
        journal: this.journal,
        metrics: this.metrics,
        onEvent: (event) => this.metrics.countNativeEvent(event),
      },
    });
  }

  /** Rebuilds every platform from a new seed or inventory; the CMO front forgets what it knew. */
  async reseed(changes: Partial<Pick<Config, "seed" | "tenants">>): Promise<void> {
    // Every replica builds its world from the seed it started with, and the store's identity names
    // it: one replica alone cannot change that for all of them.
    if (this.store.shared)
      throw new ProblemError(
        409,
        "A world shared by replicas is not re-seeded through one of them: stop every replica and start them with the new seed or tenants on a fresh store (or another ?prefix=)",
        "Conflict",
      );
    const config = { ...this.config, ...changes };
    // The new world's platforms use the same collections: the old one's records and triggers go first.
    await this.#world.reset();
    this.#world = this.#buildWorld(config);
    (this as { config: Config }).config = config;
    await this.cmo.reset();
  }

  /** Back to the generated inventory: platform state, CMO state and journal are cleared. */
  async reset(): Promise<void> {
    await this.#world.reset();
    await this.cmo.reset();
    await this.journal.clear();
  }

  /**
   * Arms the clock's triggers for the work already in the store: what a process does when it joins
   * a world that other processes (or an earlier run of this one) left there.
   */
  async resume(): Promise<void> {
    if (this.store.shared && this.config.clock === "manual" && this.clock instanceof VirtualClock) {
      this.#sharedClock ??= new SharedManualClock(this.store, this.clock);
      await this.#sharedClock.join();
    }
    for (const slot of this.#world.platforms.values()) {
      await slot.runtime.attach();
      await slot.runtime.resume();
    }
    await this.cmo.monitors.resume();
    if (this.store.shared) this.#sweeper ??= startSweeper(SWEEP_EVERY_MS, () => this.#sweep());
  }

  /** Due work in the store, whoever armed it: the platforms' operations and edits, the CMO's polls. */
  async #sweep(): Promise<void> {
    for (const slot of this.#world.platforms.values()) await slot.runtime.sweep();
    await this.cmo.monitors.sweep();
  }

  /** Stops hearing the other processes on the store and sweeping it (what `resume()` started). */
  async close(): Promise<void> {
    await this.#sweeper?.stop();
    this.#sweeper = undefined;
    await this.#sharedClock?.leave();
    for (const slot of this.#world.platforms.values()) await slot.runtime.detach();
  }

  /** Moves a manual clock to `target`, firing what falls due: on every replica when the world is shared. */
  async advanceClock(target: number): Promise<void> {
    if (this.#sharedClock) await this.#sharedClock.moveTo(target);
    else if (this.clock instanceof VirtualClock) await this.clock.advanceTo(target);
    else throw new Error("a real clock cannot be moved");
  }

  fetch = (request: Request, env?: unknown): Response | Promise<Response> => this.app.fetch(request, env);

  #buildApp(options: SimulatorOptions): Hono {
    const app = new Hono();
    const limit = (maxSize: number, what: string) => {
      const tooLarge = (c: Context) =>
        problemResponse({
          status: 413,
          detail: `Request body is larger than ${maxSize} bytes, the limit of ${what}`,
          instance: c.req.path,
        });
      return { maxSize, tooLarge, streamed: bodyLimit({ maxSize, onError: tooLarge }) };
    };
    const everyday = limit(this.config.server.bodyLimitBytes, "server.bodyLimitBytes");
    const snapshot = limit(this.config.server.snapshotLimitBytes, "server.snapshotLimitBytes");
    app.use("*", (c, next) => {
      // A declared length is checked from the header (the HTTP parser holds the body to it);
      // only chunked bodies are counted as they stream. Requests without a body skip both.
      if (c.req.method === "GET" || c.req.method === "HEAD") return next();
      const { maxSize, tooLarge, streamed } =
        c.req.method === "PUT" && c.req.path === "/_sim/snapshot" ? snapshot : everyday;
      const declared = c.req.header("content-length");
      if (declared === undefined) return streamed(c, next);
      return Number(declared) > maxSize ? Promise.resolve(tooLarge(c)) : next();
    });
    const { clock, journal, metrics } = this;
    const cmoBasePath = this.config.cmo.basePath;
    app.use("*", observeRequests({ clock, journal, metrics, cmoBasePath }, options.logger));
    app.get("/health", (c) => c.json({ status: "ok" }));
    app.get("/metrics", async (c) =>
      c.body(await this.metrics.registry.metrics(), 200, {
        "content-type": this.metrics.registry.contentType,
      }),
    );
    registerApiDocs(app, { config: () => this.config, world: () => this.#world });
    for (const definition of PLATFORMS) {
      const prefix = `/platforms/${definition.code.toLowerCase()}`;
      // Looked up per request, so a re-seeded world takes over without rebuilding routes.
      app.mount(
        prefix,
        (request, env) =>
          this.#world.platform(definition.code)?.app.fetch(request, env) as Response | Promise<Response>,
      );
    }
    app.route(
      "/_sim",
      createAdminApp({
        settings: () => this.config,
        world: () => this.#world,
        clock: this.clock,
        advanceClock: (target) => this.advanceClock(target),
        applyLatency: this.applyLatency,
        journal: this.journal,
        monitors: this.cmo.monitors,
        revokeClientTokens: (clientId) => this.cmo.auth.revoke(clientId),
        reseed: (changes) => this.reseed(changes),
        reset: () => this.reset(),
        capture: (options) => captureState(this, options),
        restore: (document) => restoreState(this, document),
        ui: createDashboardApp(this),
      }),
    );
    app.route("/", this.cmo.app);
    app.notFound((c) =>
      problemResponse({
        status: 404,
        detail: `No resource at ${c.req.method} ${c.req.path}`,
        instance: c.req.path,
      }),
    );
    app.onError(problemErrorHandler(options.onUnexpectedError));
    return app;
  }
}

export function createSimulator(
  input: ConfigInput | unknown = {},
  options: SimulatorOptions = {},
): Simulator {
  return new Simulator(parseConfig(input), options);
}
