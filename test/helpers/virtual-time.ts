import type { VirtualClock } from "../../src/engine/clock.js";

/**
 * Awaits work that may wait on the virtual clock (IOTA's adapter waits for its native request on
 * it), moving the clock only when nothing else can happen, to the next timer: the same course on
 * every run, and no wall-time waiting.
 */
export async function driveUntilSettled<T>(clock: VirtualClock, work: Promise<T>): Promise<T> {
  let done = false;
  const finished = () => {
    done = true;
  };
  work.then(finished, finished);
  for (;;) {
    await clock.settle();
    if (done) return work;
    const next = clock.nextAt();
    if (next === undefined) throw new Error("the work is waiting for something that will never happen");
    await clock.advanceTo(next);
  }
}
