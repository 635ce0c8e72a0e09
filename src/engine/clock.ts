import { EventQueue, type TimerHandle } from "./event-queue.js";

export type { TimerHandle };

/**
 * Simulated time. Every delay, expiry, window and completion in cmo-sim asks a Clock, never
 * `Date.now()` or `setTimeout` directly, so that a run can move onto a virtual clock unchanged.
 * All durations handed to a clock are simulated milliseconds; `timeScale` is applied before that,
 * where profile durations are sampled (see latency.ts), so contract constants such as token
 * lifetimes and rate-limit windows keep their documented length.
 */
export interface Clock {
  readonly kind: "real" | "virtual";
  /** Simulated epoch milliseconds. */
  now(): number;
  schedule(delayMs: number, fn: () => void): TimerHandle;
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Marks work that finishes outside the clock (a thread-pool crypto call, say): a virtual clock
   * does not move while such work is pending, so what follows it still happens at the same instant.
   */
  track<T>(work: Promise<T>): Promise<T>;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("aborted", "AbortError");
}

function sleepOn(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal as AbortSignal));
    };
    const timer = clock.schedule(delayMs, () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The longest delay Node's setTimeout honours (a signed 32-bit number of ms). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Wall-clock time. Timers wait in one queue behind a single Node timeout armed for the earliest of
 * them, rather than one `Timeout` each: a simulator with 100,000 operations in flight holds 100,000
 * small queue entries, not 100,000 Node timer objects.
 */
export class RealClock implements Clock {
  readonly kind = "real";
  // Nothing left to wait for: let go of the Node timeout, so an idle process can exit.
  readonly #queue = new EventQueue(() => {
    if (this.#queue.live === 0) this.#arm();
  });
  #timeout: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    const at = Date.now() + Math.max(0, delayMs);
    const handle = this.#queue.add(at, fn);
    if (at < this.#armedFor) this.#arm();
    return handle;
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }

  /** Cancels every pending timer (a finished run lets its process exit). */
  stop(): void {
    this.#queue.clear();
    this.#arm();
  }

  #arm(): void {
    if (this.#timeout !== undefined) clearTimeout(this.#timeout);
    const next = this.#queue.nextAt();
    if (next === undefined) {
      this.#armedFor = Number.POSITIVE_INFINITY;
      this.#timeout = undefined;
      return;
    }
    // Node fires a timeout of 2^31 ms or more at once: a far timer is reached in steps, each armed
    // for the step's own end, so nothing fires before its time.
    const delay = Math.min(Math.max(0, next - Date.now()), MAX_TIMEOUT_MS);
    this.#armedFor = next - Date.now() > MAX_TIMEOUT_MS ? Date.now() + delay : next;
    this.#timeout = setTimeout(() => this.#fire(), delay);
  }

  /** Fires what is due, in order; timers added meanwhile wait for the next turn, as Node's own would. */
  #fire(): void {
    // Node counts the delay on its own loop clock, which can put this call a millisecond before the
    // wall-clock instant it was armed for: that instant is due all the same, as with one timeout each.
    const now = Math.max(Date.now(), this.#armedFor);
    this.#timeout = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const mark = this.#queue.mark();
    try {
      for (let due = this.#queue.takeDue(now, mark); due; due = this.#queue.takeDue(now, mark)) due.fn();
    } finally {
      this.#arm();
    }
  }
}

/** Lets pending promise continuations run before the next event fires. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Discrete-event time. Nothing moves until `advance`, `advanceTo` or `runUntilIdle` is called;
 * events due at the same instant fire in the order they were scheduled. Between two events the
 * clock yields to the event loop until no new work appears, so code awaiting a fired timer runs
 * (and may schedule more) before time moves on.
 */
export class VirtualClock implements Clock {
  readonly kind = "virtual";
  #now: number;
  readonly #queue = new EventQueue(() => this.#version++);
  /** Changes on every schedule, cancel or end of tracked work: lets `settle` see whether anything happened. */
  #version = 0;
  #busy = 0;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Number of timers still waiting to fire. */
  get pending(): number {
    return this.#queue.live;
  }

  /** Simulated time of the next live event, if any. */
  nextAt(): number | undefined {
    return this.#queue.nextAt();
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    this.#version++;
    return this.#queue.add(this.#now + Math.max(0, delayMs), fn);
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.#busy++;
    const done = () => {
      this.#busy--;
      this.#version++;
    };
    work.then(done, done);
    return work;
  }

  /** Yields until no tracked work is pending and a full turn of the event loop schedules or cancels nothing. */
  async settle(): Promise<void> {
    let seen: number;
    do {
      seen = this.#version;
      await yieldToEventLoop();
    } while (seen !== this.#version || this.#busy > 0);
  }

  /** Fires every event due up to `now + ms`, in order, then sets the time to exactly `now + ms`. */
  advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`cannot advance by ${ms} ms`);
    return this.advanceTo(this.#now + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await this.#fireUntil(target);
    if (target > this.#now) this.#now = target;
  }

  /** Fires events until none is left (or `limitMs` of simulated time has passed). */
  runUntilIdle(limitMs = Number.POSITIVE_INFINITY): Promise<void> {
    return this.#fireUntil(this.#now + limitMs);
  }

  async #fireUntil(until: number): Promise<void> {
    await this.settle();
    for (let due = this.#queue.takeDue(until); due; due = this.#queue.takeDue(until)) {
      this.#now = Math.max(this.#now, due.at);
      due.fn();
      await this.settle();
    }
  }
}
