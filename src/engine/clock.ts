/**
 * Simulated time. Every delay, expiry, window and completion in cmo-sim asks a Clock, never
 * `Date.now()` or `setTimeout` directly, so that a run can move onto a virtual clock unchanged.
 * All durations handed to a clock are simulated milliseconds; `timeScale` is applied before that,
 * where profile durations are sampled (see latency.ts), so contract constants such as token
 * lifetimes and rate-limit windows keep their documented length.
 */
export interface TimerHandle {
  cancel(): void;
}

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

/** Wall-clock time and Node timers. */
export class RealClock implements Clock {
  readonly kind = "real";

  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }
}

interface VirtualEvent {
  at: number;
  seq: number;
  fn: (() => void) | undefined;
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
  #seq = 0;
  #heap: VirtualEvent[] = [];
  #live = 0;
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
    return this.#live;
  }

  /** Simulated time of the next live event, if any. */
  nextAt(): number | undefined {
    this.#dropCancelled();
    return this.#heap[0]?.at;
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    const event: VirtualEvent = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, fn };
    this.#push(event);
    this.#live++;
    this.#version++;
    return {
      cancel: () => {
        if (event.fn === undefined) return;
        event.fn = undefined;
        this.#live--;
        this.#version++;
      },
    };
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
    await this.settle();
    for (;;) {
      const next = this.nextAt();
      if (next === undefined || next > target) break;
      this.#fireNext();
      await this.settle();
    }
    if (target > this.#now) this.#now = target;
  }

  /** Fires events until none is left (or `limitMs` of simulated time has passed). */
  async runUntilIdle(limitMs = Number.POSITIVE_INFINITY): Promise<void> {
    const deadline = this.#now + limitMs;
    await this.settle();
    for (;;) {
      const next = this.nextAt();
      if (next === undefined || next > deadline) break;
      this.#fireNext();
      await this.settle();
    }
  }

  #fireNext(): void {
    const event = this.#pop() as VirtualEvent;
    const fn = event.fn as () => void;
    event.fn = undefined;
    this.#live--;
    this.#now = Math.max(this.#now, event.at);
    fn();
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && (this.#heap[0] as VirtualEvent).fn === undefined) this.#pop();
  }

  #before(a: VirtualEvent, b: VirtualEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(event: VirtualEvent): void {
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i] as VirtualEvent, heap[parent] as VirtualEvent)) break;
      [heap[i], heap[parent]] = [heap[parent] as VirtualEvent, heap[i] as VirtualEvent];
      i = parent;
    }
  }

  #pop(): VirtualEvent | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.#before(heap[l] as VirtualEvent, heap[m] as VirtualEvent)) m = l;
        if (r < heap.length && this.#before(heap[r] as VirtualEvent, heap[m] as VirtualEvent)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as VirtualEvent, heap[i] as VirtualEvent];
        i = m;
      }
    }
    return top;
  }
}
