import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { PLATFORMS } from "../../simulators/registry.js";
import { defaultTenants } from "../config/defaults.js";
import { Config, type ConfigInput, type PlatformProfileInput } from "../config/schema.js";
import type { ExchangeChecker, Finding } from "../contracts/exchange.js";
import { type Clock, RealClock, VirtualClock } from "../engine/clock.js";
import type { PacingCounts } from "../engine/pacing.js";
import { Random } from "../engine/random.js";
import { createSimulator } from "../server/simulator.js";
import { AdminApi } from "./admin.js";
import {
  CmoClient,
  DEFAULT_POLL,
  DEFAULT_RETRY,
  type PollPolicy,
  type RetryPolicy,
  RunEnded,
} from "./client.js";
import { type Answer, detailOf, type Endpoint } from "./endpoint.js";
import { describeEvent, EventApplier, type EventRecord, eventPlatforms } from "./events.js";
import { deviceSuffix, InventoryView, ScenarioRefused } from "./inventory.js";
import { type OperationRecord, operationFailed, type RequestRecord } from "./record.js";
import { type Planned, requests } from "./requests.js";
import { productRefs, type RetryPolicyInput, type Scenario } from "./schema.js";
import { type ConcreteStep, expandSteps, planStep } from "./steps.js";
import { LoadTraffic } from "./traffic.js";

export interface TargetOptions {
  url: string;
  clientId?: string;
  clientSecret?: string;
  tenant?: string;
  tokenUrl?: string;
  /**
   * Keep what earlier runs left on a cmo-sim target (default: reset it through its admin API first,
   * so the same scenario passes twice in a row).
   */
  keepState?: boolean;
  /** The admin token of a locked cmo-sim target (`--admin-token`). */
  adminToken?: string;
}

export interface RunOptions {
  /** Drive a running simulator (or any CMO-compatible endpoint) in real time instead of in-process. */
  target?: TargetOptions;
  checkers?: readonly ExchangeChecker[];
}

export interface StepRun {
  index: number;
  fileIndex: number;
  name: string;
  /** The operation the step made (none for a sleep, or when the run ended first). */
  operation?: OperationRecord;
}

/** Everything a run saw; the report and the verdicts are computed from it. */
export interface RunResult {
  scenario: Scenario;
  mode: "virtual" | "real" | "target";
  /** Simulated (virtual) or wall-clock epoch ms when the run started. */
  startedAt: number;
  /** ms after the start: traffic's planned end, and when the run ended. */
  trafficEnd: number;
  end: number;
  steps: StepRun[];
  operations: OperationRecord[];
  tokenRequests: RequestRecord[];
  events: EventRecord[];
  findings: Finding[];
  notes: string[];
  /** What the CMO's pacing queues did during the run, per platform (where the simulator tells). */
  pacing: Record<string, PacingCounts>;
  /** Wall-clock facts, kept apart from everything a comparison looks at. */
  run: { startedAt: string; wallMs: number; host: string; node: string; target?: string };
}

export interface Progress {
  elapsed: number;
  total: number;
  operations: number;
  failed: number;
}

const DEFAULT_BASE_PATH = Config.parse({}).cmo.basePath;

async function pacingOf(admin: AdminApi | undefined): Promise<Map<string, PacingCounts>> {
  const counts = new Map<string, PacingCounts>();
  for (const platform of admin ? await admin.platforms() : [])
    if (platform.pacing) counts.set(platform.code, platform.pacing);
  return counts;
}

/** The pacing a run caused: counters after it, less those before, for platforms that paced anything. */
function pacingSince(
  before: Map<string, PacingCounts>,
  after: Map<string, PacingCounts>,
): Record<string, PacingCounts> {
  const out: Record<string, PacingCounts> = {};
  for (const [code, a] of after) {
    const b = before.get(code) ?? { calls: 0, waited: 0, waitedMs: 0, refused: { rate: 0, gate: 0 } };
    const diff = {
      calls: a.calls - b.calls,
      waited: a.waited - b.waited,
      waitedMs: a.waitedMs - b.waitedMs,
      refused: { rate: a.refused.rate - b.refused.rate, gate: a.refused.gate - b.refused.gate },
    };
    if (diff.calls > 0 || diff.refused.rate > 0 || diff.refused.gate > 0) out[code] = diff;
  }
  return out;
}

function policy<T extends object>(defaults: T, ...layers: Array<Partial<T> | undefined>): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const layer of layers)
    for (const [key, value] of Object.entries(layer ?? {})) if (value !== undefined) out[key] = value;
  return out as T;
}

/** The in-process simulator's configuration: the scenario's seed, inventory, profiles and settings. */
export function simulatorConfig(s: Scenario): ConfigInput {
  const codes = PLATFORMS.map((p) => p.code);
  return {
    seed: s.seed,
    timeScale: s.timeScale,
    ...(s.simulator?.auth ? { auth: s.simulator.auth } : {}),
    ...(s.simulator?.cmo ? { cmo: s.simulator.cmo } : {}),
    platforms: s.platforms as NonNullable<ConfigInput["platforms"]>,
    tenants:
      s.inventory?.tenants ??
      (s.inventory?.size === undefined ? undefined : defaultTenants(codes, s.inventory.size)),
  };
}

/** The planned end of traffic: the duration, or the last thing that is scheduled. */
function trafficEnd(s: Scenario): number {
  if (s.duration !== undefined) return s.duration;
  const times = [
    ...s.events.map((e) => e.at + ("duration" in e ? (e.duration ?? 0) : 0)),
    ...s.steps.map((step) => step.at ?? 0),
    ...s.load.map((l) => l.start + (l.duration ?? 0)),
  ];
  return Math.max(0, ...times);
}

/**
 * One scenario run. In-process on a virtual clock (the default) everything — traffic, retries,
 * monitor polls, events, the simulator's own latencies — is a timer on one discrete-event clock,
 * advanced instant by instant; everything due at an instant runs to quiescence before time moves,
 * so the same file and seed replay identically. With a target, the same flows run in real time.
 */
export class ScenarioRun {
  readonly #abort = new AbortController();
  readonly #random: Random;
  readonly #records: OperationRecord[] = [];
  readonly #events: EventRecord[] = [];
  readonly #busy = new Map<string, number>();
  readonly #notes: string[] = [];
  /** Errors no flow expected: the run fails with the first of them instead of reporting half a story. */
  readonly #errors: unknown[] = [];
  #clock: Clock | undefined;
  #origin = 0;
  #active = 0;
  #idle: (() => void) | undefined;
  #failed = 0;
  #client: CmoClient | undefined;
  #view: InventoryView | undefined;
  readonly #end: number;

  constructor(
    readonly scenario: Scenario,
    private readonly options: RunOptions = {},
  ) {
    this.#random = new Random(scenario.seed);
    this.#end = trafficEnd(scenario);
    setMaxListeners(0, this.#abort.signal);
  }

  progress(): Progress {
    const elapsed = this.#clock ? this.#clock.now() - this.#origin : 0;
    return { elapsed, total: this.#end, operations: this.#records.length, failed: this.#failed };
  }

  /** The clock, where requests go, and the admin API when the other side is a cmo-sim. */
  async #connect(): Promise<{ clock: Clock; endpoint: Endpoint; admin?: AdminApi; basePath: string }> {
    const s = this.scenario;
    const target = this.options.target;
    if (target) {
      const endpoint: Endpoint = { base: target.url.replace(/\/+$/, ""), fetch: (r) => fetch(r) };
      const found = await AdminApi.detect(endpoint, target.adminToken);
      if (found === "locked")
        throw new ScenarioRefused(
          `${target.url} is a cmo-sim whose admin API is locked${target.adminToken ? " with another token" : ""}: give its admin token (--admin-token or CMO_SIM_ADMIN_TOKEN)`,
        );
      const admin = found ? new AdminApi(endpoint, target.adminToken) : undefined;
      await this.#arrangeTarget(admin);
      return {
        clock: new RealClock(),
        endpoint,
        ...(admin ? { admin } : {}),
        basePath: DEFAULT_BASE_PATH,
      };
    }
    const clock = s.clock === "virtual" ? new VirtualClock(Date.parse(s.start)) : new RealClock();
    const sim = createSimulator(simulatorConfig(s), { clock, applyLatency: true });
    const endpoint: Endpoint = { base: "http://cmo-sim.scenario", fetch: async (r) => sim.fetch(r) };
    return { clock, endpoint, admin: new AdminApi(endpoint), basePath: sim.config.cmo.basePath };
  }

  async execute(): Promise<RunResult> {
    const wallStart = Date.now();
    const s = this.scenario;
    const target = this.options.target;
    const { clock, endpoint, admin, basePath } = await this.#connect();
    this.#clock = clock;
    this.#origin = clock.now();
    const client = new CmoClient(
      endpoint,
      {
        clientId: target?.clientId ?? s.client.clientId,
        clientSecret: target?.clientSecret ?? s.client.clientSecret,
        tenant: target?.tenant ?? s.client.tenant,
        basePath,
        ...(target?.tokenUrl ? { tokenUrl: target.tokenUrl } : {}),
        renewBeforeExpiry: s.client.renewBeforeExpiry,
      },
      clock,
      this.options.checkers ?? [],
      this.#abort.signal,
    );
    this.#client = client;
    const view = await InventoryView.open(admin, target?.tenant ?? s.client.tenant);
    this.#view = view;

    // Arrange: every pick and pool is made before the first request, so timing cannot change them.
    const steps = expandSteps(s.steps);
    const planned = new Map<number, Planned | undefined>();
    for (const cs of steps) planned.set(cs.index, await planStep(cs, view));
    const loads: LoadTraffic[] = [];
    for (const load of s.load)
      loads.push(
        new LoadTraffic(
          load,
          await view.pool(load, this.#random.stream("pool", load.name)),
          view,
          this.#random,
          this.#end,
        ),
      );

    const pacingBefore = await pacingOf(admin);

    // Events first, so what an event changes at an instant is in place for traffic at that instant.
    const applier = admin
      ? new EventApplier(admin, (code) =>
          target
            ? (s.platforms as Record<string, { profile?: PlatformProfileInput }>)[code]?.profile
            : undefined,
        )
      : undefined;
    s.events.forEach((event, i) => {
      this.#spawn(this.#event(applier as EventApplier, event, i));
    });
    const stepRuns: StepRun[] = steps.map((cs) => ({
      index: cs.index,
      fileIndex: cs.fileIndex,
      name: cs.name,
    }));
    this.#spawn(this.#steps(steps, planned, stepRuns));
    loads.forEach((traffic, i) => {
      this.#spawn(this.#load(traffic, i));
    });

    const deadline = this.#end + s.drain;
    if (clock instanceof VirtualClock) await this.#driveVirtual(clock, deadline);
    else await this.#driveReal(deadline);
    const end = Math.min(this.#elapsed(), deadline);
    this.#abort.abort();
    if (clock instanceof VirtualClock) await clock.settle();
    if (clock instanceof RealClock) clock.stop();
    const pacing = pacingSince(pacingBefore, await pacingOf(admin));
    if (target && admin) await this.#restoreTarget(admin);
    if (this.#errors.length > 0) throw this.#errors[0];

    const operations = [...this.#records].sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
    return {
      scenario: s,
      mode: target ? "target" : s.clock,
      startedAt: this.#origin,
      trafficEnd: this.#end,
      end,
      steps: stepRuns,
      operations,
      tokenRequests: client.tokenRequests,
      events: this.#events.sort((a, b) => a.index - b.index),
      findings: client.findings,
      notes: this.#notes,
      pacing,
      run: {
        startedAt: new Date(wallStart).toISOString(),
        wallMs: Date.now() - wallStart,
        host: hostname(),
        node: process.version,
        ...(target ? { target: target.url } : {}),
      },
    };
  }

  // ---- time -----------------------------------------------------------------------------------

  /** Moves the virtual clock from instant to instant until every flow is done or the deadline passes. */
  async #driveVirtual(clock: VirtualClock, deadline: number): Promise<void> {
    await clock.settle();
    while (this.#active > 0) {
      const next = clock.nextAt();
      if (next === undefined || next - this.#origin > deadline) break;
      await clock.advanceTo(next);
    }
  }

  async #driveReal(deadline: number): Promise<void> {
    if (this.#active === 0) return;
    const idle = new Promise<void>((resolve) => {
      this.#idle = resolve;
    });
    const timer = new AbortController();
    await Promise.race([idle, this.#clock?.sleep(deadline - this.#elapsed(), timer.signal).catch(() => {})]);
    timer.abort();
  }

  #elapsed(): number {
    return (this.#clock as Clock).now() - this.#origin;
  }

  #sleepUntil(at: number): Promise<void> {
    return (this.#clock as Clock).sleep(Math.max(0, at - this.#elapsed()), this.#abort.signal);
  }

  #spawn(flow: Promise<void>): void {
    this.#active++;
    flow
      .catch((error) => {
        if (!(error instanceof RunEnded) && (error as Error).name !== "AbortError") this.#errors.push(error);
      })
      .finally(() => {
        this.#active--;
        if (this.#active === 0) this.#idle?.();
      });
  }

  // ---- flows ----------------------------------------------------------------------------------

  async #event(applier: EventApplier, event: Scenario["events"][number], index: number): Promise<void> {
    await this.#sleepUntil(event.at);
    const record: EventRecord = {
      index,
      type: event.type,
      at: this.#elapsed(),
      platforms: eventPlatforms(event),
      summary: describeEvent(event),
    };
    this.#events.push(record);
    let undo: (() => Promise<void>) | undefined;
    try {
      undo = await applier.apply(event, index);
    } catch (error) {
      record.error = (error as Error).message;
      return;
    }
    if (event.type === "outage" && event.duration !== undefined) record.until = record.at + event.duration;
    if (!undo || !("duration" in event) || event.duration === undefined) return;
    await this.#sleepUntil(record.at + event.duration);
    try {
      await undo();
      record.until = this.#elapsed();
    } catch (error) {
      record.error = `undoing it failed: ${(error as Error).message}`;
    }
  }

  async #steps(
    steps: ConcreteStep[],
    planned: Map<number, Planned | undefined>,
    runs: StepRun[],
  ): Promise<void> {
    for (const cs of steps) {
      const { step } = cs;
      if (step.at !== undefined) await this.#sleepUntil(step.at);
      if (step.sleep !== undefined) {
        await this.#sleepUntil(this.#elapsed() + step.sleep);
        continue;
      }
      const plan = planned.get(cs.index) as Planned;
      const run = runs[cs.index - 1] as StepRun;
      const source = { kind: "step" as const, index: cs.index, name: cs.name };
      run.operation = await this.#operate(plan, cs.index, source, step.retry, step.wait, true);
    }
  }

  async #load(traffic: LoadTraffic, loadIndex: number): Promise<void> {
    let n = 0;
    for (const at of traffic.arrivals()) {
      await this.#sleepUntil(at);
      const plan = traffic.plan(n, this.#busy);
      // Ids order operations that start at the same instant: steps first, then each load's arrivals.
      const id = (loadIndex + 1) * 10_000_000 + n;
      const { load } = traffic;
      this.#spawn(
        this.#operate(plan, id, { kind: "load", name: load.name }, load.retry, load.wait, false).then(
          () => {},
        ),
      );
      n++;
    }
  }

  /** One operation: the request with its retries, then (for a 202) its monitor. */
  async #operate(
    plan: Planned,
    id: number,
    source: OperationRecord["source"],
    retry: RetryPolicyInput | undefined,
    wait: boolean,
    keepBody: boolean,
  ): Promise<OperationRecord> {
    const s = this.scenario;
    const client = this.#client as CmoClient;
    const view = this.#view as InventoryView;
    const record: OperationRecord = {
      id,
      source,
      operation: plan.operation,
      scope: plan.scope,
      ...(plan.product ? { product: plan.product } : {}),
      method: plan.request.method,
      path: plan.request.path,
      startedAt: this.#elapsed(),
      requests: [],
      status: 0,
    };
    this.#records.push(record);
    const retryPolicy = policy<RetryPolicy>(DEFAULT_RETRY, s.client.retry, retry);
    const pollPolicy = policy<PollPolicy>(DEFAULT_POLL, s.client.poll);
    for (const p of plan.writes) this.#busy.set(p, (this.#busy.get(p) ?? 0) + 1);
    // Jitter comes from the operation's own stream: its waits never depend on other traffic.
    const jitter = this.#random.stream("jitter", id);
    try {
      let answer = await client.call(plan.request, retryPolicy, record.requests, jitter);
      if (retryPolicy.reconcile && this.#appliedEarlier(plan, answer, record)) {
        const read = requests.read(plan.product as string, deviceSuffix(plan.scope)).request;
        const check = await client.call(read, retryPolicy, record.requests, jitter);
        if (check.status === 200 && (check.body as { status?: unknown })?.status === plan.target) {
          answer = check;
          record.reconciled = true;
        }
      }
      record.status = answer.status;
      if (answer.status >= 400) record.detail = detailOf(answer.body);
      if (keepBody) record.body = answer.body;
      const location = answer.headers.get("location");
      if (answer.status === 202 && wait && location) {
        record.monitor = await client.follow(location, pollPolicy, retryPolicy, record.requests, jitter);
      }
      this.#remember(plan, record, view);
    } catch (error) {
      if (!(error instanceof RunEnded)) throw error;
      record.detail ??= error.message;
    } finally {
      for (const p of plan.writes) {
        const left = (this.#busy.get(p) ?? 1) - 1;
        if (left === 0) this.#busy.delete(p);
        else this.#busy.set(p, left);
      }
      record.endedAt = this.#elapsed();
      if (operationFailed(record)) this.#failed++;
    }
    return record;
  }

  /**
   * A status change refused after a retry may have been applied by an earlier attempt whose answer
   * was an error (the platform changed the SIM, then the CMO's read-back hit a limit).
   */
  #appliedEarlier(plan: Planned, answer: Answer, record: OperationRecord): boolean {
    const attempts = record.requests.filter((r) => r.kind === "call").length;
    return plan.operation === "status" && plan.product !== undefined && answer.status === 400 && attempts > 1;
  }

  /** What the client learns from an answer: new statuses and owners, for the traffic that follows. */
  #remember(plan: Planned, record: OperationRecord, view: InventoryView): void {
    const sync = record.status === 200 && plan.target !== undefined && !record.monitor;
    if (sync && plan.product) view.known.set(plan.product, plan.target as NonNullable<Planned["target"]>);
    const monitor = record.monitor;
    if (!monitor || monitor.state === "LOST") return;
    plan.writes.forEach((product, i) => {
      if (monitor.entries[i]?.state !== "DONE") return;
      if (plan.target) view.known.set(product, plan.target);
      if (plan.account) view.owner.set(product, plan.account);
    });
  }

  // ---- target mode --------------------------------------------------------------------------

  async #arrangeTarget(admin: AdminApi | undefined): Promise<void> {
    const s = this.scenario;
    if (!admin) {
      const needs = [
        s.events.length > 0 && "events",
        s.load.length > 0 && "generated load",
        s.inventory && "inventory",
        Object.keys(s.platforms).length > 0 && "platform profiles",
        s.steps.some((step) => productRefs(step).some(([ref]) => typeof ref === "object")) && "product picks",
      ].filter(Boolean);
      if (needs.length > 0)
        throw new ScenarioRefused(
          `${this.options.target?.url} is not a cmo-sim (GET /_sim/platforms did not answer a list), so this scenario's ${needs.join(", ")} cannot be arranged; run it in-process or against cmo-sim`,
        );
      return;
    }
    if (s.simulator) this.#notes.push("simulator settings apply in-process only; the target keeps its own");
    if (!this.options.target?.keepState) await admin.reset();
    if (s.inventory) await admin.reseed({ seed: s.seed, ...s.inventory });
    for (const [code, settings] of Object.entries(s.platforms))
      await admin.setOverride(code, settings?.profile);
  }

  /** Leaves a shared target as it was found: the profile overrides this run set are cleared. */
  async #restoreTarget(admin: AdminApi): Promise<void> {
    const touched = new Set([
      ...Object.keys(this.scenario.platforms),
      ...this.scenario.events
        .filter((e) => e.type !== "outage" && e.type !== "outageEnd" && e.type !== "revokeTokens")
        .flatMap(eventPlatforms),
    ]);
    for (const code of touched) await admin.setOverride(code, undefined).catch(() => {});
  }
}
