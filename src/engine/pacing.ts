import type { Clock, TimerHandle } from "./clock.js";
import { record, slotAfter, type Tracks, trackFor } from "./pacing-rules.js";
import type { RateLimitRule } from "./rate-limit.js";

/**
 * Outbound pacing: the caller's side of a platform's rate limits. A gateway that sends every call
 * the moment its client asks hands the carrier's 429s straight back; this queue instead holds each
 * call, first come first served per key (a platform account), until every rate-limit rule and the
 * one-at-a-time gate would admit it. Waiting for a rate-limit slot is bounded: a call whose slot is
 * further away than `maxWaitMs` is refused at once, with the moment the slot frees.
 */

/** What the pacer keeps to. Read anew on every call, so admin and scenario changes apply at once. */
export interface PacingLimits {
  rules: readonly RateLimitRule[];
  /** Calls in flight at once per key; null for no gate. */
  maxConcurrent: number | null;
  /** Longest wait for a rate-limit slot before the call is refused. */
  maxWaitMs: number;
  /** Longest wait for the one-at-a-time gate (the platform's call timeout). */
  gateWaitMs: number;
  /** How long a call usually takes, until calls behind the gate have shown it. */
  typicalCallMs: number;
  /** Raw carrier behaviour: rate limits are not paced (the gate still queues). */
  passThrough: boolean;
  /**
   * False where time only moves by hand (a manual clock): waiting for a slot would wait for whoever
   * moves the clock, so a call that cannot go now is refused instead.
   */
  mayWait: boolean;
}

export type Admission =
  | { admitted: true; waitedMs: number; release: () => void }
  | { admitted: false; reason: "rate"; retryAfterMs: number; rule: RateLimitRule | undefined }
  | { admitted: false; reason: "gate"; waitedMs: number };

export interface PacingObserver {
  /** Every admitted call, with how long it queued (0 on the fast path). */
  waited?(ms: number): void;
  refused?(reason: "rate" | "gate"): void;
}

/**
 * Calls whose rule slot was computed from an earlier send go this much after it: the platform counts
 * a call when it reaches its limiter, a moment after it left here, and a fixed window must not see
 * that moment on the wrong side of its boundary. Never counted against `maxWaitMs`.
 */
export const PACING_MARGIN_MS = 10;

const NO_RULES: readonly RateLimitRule[] = [];

/** The rules the queue keeps to: none when the platform's own limits are to be met raw. */
const pacedRules = (limits: PacingLimits): readonly RateLimitRule[] =>
  limits.passThrough ? NO_RULES : limits.rules;

/** Where time moves only by hand, calls reach the platform at the instant they leave: no margin needed. */
const marginOf = (limits: PacingLimits): number => (limits.mayWait ? PACING_MARGIN_MS : 0);

/** How far past its bound a queued call is given up on, should a platform's 429 have pushed its slot back. */
const DEADLINE_GRACE_MS = 1000;

interface Waiter {
  operation: string;
  arrivedAt: number;
  resolve(admission: Admission): void;
  deadline: TimerHandle | undefined;
}

/** One key's queue, sends and gate. */
class Lane {
  /** Rule states after the calls already sent. */
  tracks: Tracks = new Map();
  /** The rules `tracks` were built for: a new rule list (admin, scenario) starts them afresh. */
  rules: readonly RateLimitRule[] | undefined;
  readonly queue: Waiter[] = [];
  inFlight = 0;
  /** When each call now in flight was sent; kept only behind a gate, where it tells when the gate frees. */
  readonly started: number[] = [];
  /** How long a call takes behind the gate (moving average), for estimating where a newcomer stands. */
  callMs = 0;
  /** The platform said (a 429) that nothing goes before this instant. */
  heldUntil = Number.NEGATIVE_INFINITY;
  timer: TimerHandle | undefined;
  timerAt = Number.POSITIVE_INFINITY;
}

/** What a pacer has done since it was made: counters only, so two readings can be subtracted. */
export interface PacingCounts {
  /** Calls sent. */
  calls: number;
  /** Calls sent after queueing. */
  waited: number;
  /** Their waits added up, in ms. */
  waitedMs: number;
  refused: { rate: number; gate: number };
}

export interface LaneState {
  queued: number;
  inFlight: number;
  /** ms until the platform's own 429 stops holding the queue, when it does. */
  heldForMs: number;
}

export class Pacer {
  readonly #lanes = new Map<string, Lane>();
  readonly #counts: PacingCounts = { calls: 0, waited: 0, waitedMs: 0, refused: { rate: 0, gate: 0 } };

  constructor(
    private readonly clock: Clock,
    private readonly limits: () => PacingLimits,
    private readonly observer: PacingObserver = {},
  ) {}

  /**
   * Waits for `operation`'s turn under `key`. An admitted call must `release()` when its answer
   * is in (that frees the gate). `first`: the call was already admitted once and is being retried,
   * so it goes before everything that queued after it.
   */
  admit(key: string, operation: string, first = false): Admission | Promise<Admission> {
    const limits = this.limits();
    const lane = this.#lane(key, limits);
    const rules = pacedRules(limits);
    const now = this.clock.now();
    if (lane.queue.length === 0 && this.#gateOpen(lane, limits)) {
      const { at } = slotAfter(lane.tracks, rules, operation, now, lane.heldUntil);
      if (at + marginOf(limits) <= now) return this.#send(lane, limits, rules, operation, now, now);
    }

    if (!first) {
      const { rateWaitMs, at, rule } = this.#estimate(lane, rules, limits, operation, now);
      if (rateWaitMs > 0 && (!limits.mayWait || rateWaitMs > limits.maxWaitMs)) {
        this.#refused("rate");
        return { admitted: false, reason: "rate", retryAfterMs: at - now, rule };
      }
    }

    return new Promise<Admission>((resolve) => {
      const waiter: Waiter = { operation, arrivedAt: now, resolve, deadline: undefined };
      // A last resort, past any slot the bound admitted (a platform's hold can push slots further).
      waiter.deadline = this.clock.schedule(
        limits.maxWaitMs + DEADLINE_GRACE_MS + (limits.maxConcurrent === null ? 0 : limits.gateWaitMs),
        () => this.#expire(lane, waiter),
      );
      if (first) lane.queue.unshift(waiter);
      else lane.queue.push(waiter);
      this.#pump(lane);
    });
  }

  /** The platform refused for its rate limit: nothing under `key` goes before `until`. */
  holdUntil(key: string, until: number): void {
    const lane = this.#lane(key, this.limits());
    if (until > lane.heldUntil) lane.heldUntil = until;
  }

  /** Whether calls may wait for a slot at all (not where time moves only by hand). */
  get mayWait(): boolean {
    return this.limits().mayWait;
  }

  get counts(): PacingCounts {
    return { ...this.#counts, refused: { ...this.#counts.refused } };
  }

  #refused(reason: "rate" | "gate"): void {
    this.#counts.refused[reason]++;
    this.observer.refused?.(reason);
  }

  /** Calls waiting, over every key. */
  get queued(): number {
    let n = 0;
    for (const lane of this.#lanes.values()) n += lane.queue.length;
    return n;
  }

  inspect(key: string): LaneState {
    const lane = this.#lanes.get(key);
    if (!lane) return { queued: 0, inFlight: 0, heldForMs: 0 };
    return {
      queued: lane.queue.length,
      inFlight: lane.inFlight,
      heldForMs: Math.max(0, lane.heldUntil - this.clock.now()),
    };
  }

  #lane(key: string, limits: PacingLimits): Lane {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = new Lane();
      this.#lanes.set(key, lane);
    }
    if (lane.rules !== limits.rules) {
      // New rules (the platform starts its own windows afresh too): what was sent under the old ones no longer counts.
      lane.rules = limits.rules;
      lane.tracks = new Map(limits.rules.map((rule) => [rule, trackFor(rule)]));
    }
    return lane;
  }

  #gateOpen(lane: Lane, limits: PacingLimits): boolean {
    return limits.maxConcurrent === null || lane.inFlight < limits.maxConcurrent;
  }

  /**
   * Where a newcomer would stand: behind every queued call, each assumed to go as soon as the gate
   * (at the pace calls have been taking) and its rules let it. What counts against `maxWaitMs` is
   * how much later the rules make it go than the gate alone would; the gate's part is bounded by
   * the call timeout instead.
   */
  #estimate(
    lane: Lane,
    rules: readonly RateLimitRule[],
    limits: PacingLimits,
    operation: string,
    now: number,
  ): { rateWaitMs: number; at: number; rule: RateLimitRule | undefined } {
    const tracks: Tracks = new Map();
    for (const [rule, track] of lane.tracks) tracks.set(rule, track.clone());
    const forecast = (): GateForecast | undefined =>
      limits.maxConcurrent === null
        ? undefined
        : new GateForecast(lane.started, lane.callMs || limits.typicalCallMs, limits.maxConcurrent, now);
    const paced = forecast();
    const gateOnly = forecast();
    let last = now;
    let lastGateOnly = now;
    for (const waiter of lane.queue) {
      const from = Math.max(last, paced?.next() ?? now);
      last = Math.max(from, slotAfter(tracks, rules, waiter.operation, from, lane.heldUntil).at);
      record(tracks, rules, waiter.operation, last);
      paced?.occupy(last);
      lastGateOnly = Math.max(lastGateOnly, gateOnly?.next() ?? now);
      gateOnly?.occupy(lastGateOnly);
    }
    const from = Math.max(last, paced?.next() ?? now);
    const { at, rule } = slotAfter(tracks, rules, operation, from, lane.heldUntil);
    const goes = Math.max(at, from);
    return { rateWaitMs: goes - Math.max(lastGateOnly, gateOnly?.next() ?? now), at: goes, rule };
  }

  #send(
    lane: Lane,
    limits: PacingLimits,
    rules: readonly RateLimitRule[],
    operation: string,
    now: number,
    arrivedAt: number,
  ) {
    record(lane.tracks, rules, operation, now);
    lane.inFlight++;
    const gated = limits.maxConcurrent !== null;
    if (gated) lane.started.push(now);
    const waitedMs = now - arrivedAt;
    this.#counts.calls++;
    if (waitedMs > 0) {
      this.#counts.waited++;
      this.#counts.waitedMs += waitedMs;
    }
    this.observer.waited?.(waitedMs);
    let released = false;
    return {
      admitted: true as const,
      waitedMs,
      release: () => {
        if (released) return;
        released = true;
        lane.inFlight--;
        if (gated) {
          const at = lane.started.indexOf(now);
          if (at >= 0) lane.started.splice(at, 1);
          const took = this.clock.now() - now;
          lane.callMs = lane.callMs === 0 ? took : 0.8 * lane.callMs + 0.2 * took;
        }
        if (lane.queue.length > 0) this.#pump(lane);
      },
    };
  }

  /** Lets queued calls go, in order, as far as the gate and the rules allow; arms a timer for the rest. */
  #pump(lane: Lane): void {
    const limits = this.limits();
    const rules = pacedRules(limits);
    const margin = marginOf(limits);
    while (lane.queue.length > 0) {
      if (!this.#gateOpen(lane, limits)) return;
      const head = lane.queue[0] as Waiter;
      const now = this.clock.now();
      const { at } = slotAfter(lane.tracks, rules, head.operation, now, lane.heldUntil);
      if (at + margin > now) {
        this.#wake(lane, at + margin);
        return;
      }
      lane.queue.shift();
      head.deadline?.cancel();
      head.resolve(this.#send(lane, limits, rules, head.operation, now, head.arrivedAt));
    }
  }

  #wake(lane: Lane, at: number): void {
    if (lane.timer && lane.timerAt <= at) return;
    lane.timer?.cancel();
    lane.timerAt = at;
    lane.timer = this.clock.schedule(at - this.clock.now(), () => {
      lane.timer = undefined;
      lane.timerAt = Number.POSITIVE_INFINITY;
      this.#pump(lane);
    });
  }

  #expire(lane: Lane, waiter: Waiter): void {
    const index = lane.queue.indexOf(waiter);
    if (index < 0) return;
    lane.queue.splice(index, 1);
    const limits = this.limits();
    const now = this.clock.now();
    if (!this.#gateOpen(lane, limits)) {
      this.#refused("gate");
      waiter.resolve({ admitted: false, reason: "gate", waitedMs: now - waiter.arrivedAt });
    } else {
      const rules = pacedRules(limits);
      const { at, rule } = slotAfter(lane.tracks, rules, waiter.operation, now, lane.heldUntil);
      this.#refused("rate");
      waiter.resolve({ admitted: false, reason: "rate", retryAfterMs: Math.max(0, at - now), rule });
    }
    if (index === 0) this.#pump(lane);
  }
}

/** When a gate of `size` places frees, as calls pass through it taking `callMs` each. */
class GateForecast {
  readonly #frees: number[];

  constructor(
    started: readonly number[],
    private readonly callMs: number,
    size: number,
    now: number,
  ) {
    this.#frees = started.map((start) => Math.max(now, start + callMs));
    while (this.#frees.length < size) this.#frees.push(now);
    this.#frees.sort((a, b) => a - b);
  }

  /** When the next call would get a place. */
  next(): number {
    return this.#frees[0] as number;
  }

  /** The next call takes the earliest place at `at` and holds it for a typical call. */
  occupy(at: number): void {
    this.#frees[0] = at + this.callMs;
    this.#frees.sort((a, b) => a - b);
  }
}
