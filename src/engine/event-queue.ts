/** A scheduled callback that can still be called off. */
export interface TimerHandle {
  cancel(): void;
}

/** A queued timer is its own handle: one small object per timer, no closures. */
class QueuedEvent implements TimerHandle {
  constructor(
    readonly at: number,
    readonly seq: number,
    public fn: (() => void) | undefined,
    private readonly queue: EventQueue,
  ) {}

  cancel(): void {
    if (this.fn === undefined) return;
    this.fn = undefined;
    this.queue.cancelled();
  }
}

/** Past this many entries, a heap holding more cancelled events than live ones is rebuilt without them. */
const COMPACT_FROM = 1024;

/**
 * Timed callbacks in a binary heap, earliest first, ties in the order they were added. Both clocks
 * keep their timers here: one small object per timer instead of a Node `Timeout` each, which is
 * what lets 100,000 in-flight monitors keep their polls and timelines cheaply. Cancelling only
 * clears the callback; cancelled entries are skipped when they reach the top, and swept out in one
 * pass when they outnumber the live ones.
 */
export class EventQueue {
  #heap: QueuedEvent[] = [];
  #seq = 0;
  #live = 0;

  /** `onCancel` runs after any timer is cancelled (the clocks use it to notice that something changed). */
  constructor(private readonly onCancel?: () => void) {}

  /** Timers still waiting to fire. */
  get live(): number {
    return this.#live;
  }

  add(at: number, fn: () => void): TimerHandle {
    const event = new QueuedEvent(at, this.#seq++, fn, this);
    this.#push(event);
    this.#live++;
    return event;
  }

  /** Called by a timer of this queue when it is cancelled. */
  cancelled(): void {
    this.#live--;
    this.#compactIfMostlyDead();
    this.onCancel?.();
  }

  /** When the earliest live timer is due, if any. */
  nextAt(): number | undefined {
    while (this.#heap.length > 0 && (this.#heap[0] as QueuedEvent).fn === undefined) this.#pop();
    return this.#heap[0]?.at;
  }

  /** What `takeDue` compares against to leave out timers added after this call. */
  mark(): number {
    return this.#seq;
  }

  /**
   * Removes and returns the earliest live timer due at or before `until`, leaving it queued when it
   * was added at or after `mark`: a timer added while due ones fire waits for the next turn.
   */
  takeDue(until: number, mark = Number.POSITIVE_INFINITY): { at: number; fn: () => void } | undefined {
    const at = this.nextAt();
    const top = this.#heap[0];
    if (at === undefined || at > until || (top as QueuedEvent).seq >= mark) return undefined;
    const event = this.#pop() as QueuedEvent;
    const fn = event.fn as () => void;
    event.fn = undefined;
    this.#live--;
    return { at: event.at, fn };
  }

  clear(): void {
    for (const event of this.#heap) event.fn = undefined;
    this.#heap = [];
    this.#live = 0;
  }

  #compactIfMostlyDead(): void {
    const heap = this.#heap;
    if (heap.length < COMPACT_FROM || this.#live * 2 > heap.length) return;
    this.#heap = [];
    for (const event of heap) if (event.fn !== undefined) this.#push(event);
  }

  #before(a: QueuedEvent, b: QueuedEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(event: QueuedEvent): void {
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i] as QueuedEvent, heap[parent] as QueuedEvent)) break;
      [heap[i], heap[parent]] = [heap[parent] as QueuedEvent, heap[i] as QueuedEvent];
      i = parent;
    }
  }

  #pop(): QueuedEvent | undefined {
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
        if (l < heap.length && this.#before(heap[l] as QueuedEvent, heap[m] as QueuedEvent)) m = l;
        if (r < heap.length && this.#before(heap[r] as QueuedEvent, heap[m] as QueuedEvent)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as QueuedEvent, heap[i] as QueuedEvent];
        i = m;
      }
    }
    return top;
  }
}
