import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import type { PlatformProfileInput } from "../config/schema.js";
import type { ExchangeChecker, Finding } from "../contracts/exchange.js";
import { type Clock, RealClock, VirtualClock } from "../engine/clock.js";
import type { PacingCounts } from "../engine/pacing.js";
import { Random } from "../engine/random.js";
import {
  CmoClient,
  DEFAULT_POLL,
  DEFAULT_RETRY,
  type PollPolicy,
  type RetryPolicy,
  RunEnded,
} from "./client.js";
import { connectInProcess, connectTarget, restoreTarget, type TargetOptions } from "./connect.js";
import { type Answer, detailOf } from "./endpoint.js";
import { describeEvent, EventApplier, type EventRecord, eventPlatforms } from "./events.js";
import { deviceSuffix, InventoryView } from "./inventory.js";
import { pacingOf, pacingSince } from "./pacing.js";
import { type OperationRecord, operationFailed, type RequestRecord } from "./record.js";
import { type Planned, requests } from "./requests.js";
import type { RetryPolicyInput, Scenario } from "./schema.js";
import { type ConcreteStep, expandSteps, planStep } from "./steps.js";
import { LoadTraffic } from "./traffic.js";

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

function policy<T extends object>(defaults: T, ...layers: Array<Partial<T> | undefined>): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const layer of layers)
    for (const [key, value] of Object.entries(layer ?? {})) if (value !== undefined) out[key] = value;
  return out as T;
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

  async execute(): Promise<RunResult> {
    const wallStart = Date.now();
    const s = this.scenario;
    const target = this.options.target;
    const { clock, endpoint, admin, basePath } = target
      ? await connectTarget(s, target, this.#notes)
      : connectInProcess(s);
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
    if (target && admin) await restoreTarget(s, admin);
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
}
