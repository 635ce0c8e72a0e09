import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/engine/event-queue.js";

const drain = (queue: EventQueue, until = Number.POSITIVE_INFINITY): number[] => {
  const fired: number[] = [];
  for (let due = queue.takeDue(until); due; due = queue.takeDue(until)) {
    fired.push(due.at);
    due.fn();
  }
  return fired;
};

describe("EventQueue", () => {
  it("hands out timers earliest first, ties in the order added, and only those due", () => {
    const queue = new EventQueue();
    const order: string[] = [];
    for (const [at, name] of [
      [30, "c"],
      [10, "a"],
      [30, "d"],
      [20, "b"],
      [40, "e"],
    ] as const)
      queue.add(at, () => order.push(name));
    expect(drain(queue, 30)).toEqual([10, 20, 30, 30]);
    expect(order).toEqual(["a", "b", "c", "d"]);
    expect(queue.live).toBe(1);
    expect(queue.nextAt()).toBe(40);
  });

  it("leaves out timers added at or after a mark", () => {
    const queue = new EventQueue();
    queue.add(5, () => {});
    const mark = queue.mark();
    queue.add(5, () => {});
    expect(queue.takeDue(5, mark)?.at).toBe(5);
    expect(queue.takeDue(5, mark)).toBeUndefined();
    expect(queue.live).toBe(1);
  });

  it("skips cancelled timers and sweeps them out when they outnumber the live ones", () => {
    let cancels = 0;
    const queue = new EventQueue(() => cancels++);
    const handles = Array.from({ length: 5_000 }, (_, i) => queue.add(i, () => {}));
    for (const h of handles.filter((_, i) => i % 10 !== 0)) h.cancel();
    handles[1]!.cancel();
    expect(cancels).toBe(4_500);
    expect(queue.live).toBe(500);
    expect(drain(queue)).toEqual(Array.from({ length: 500 }, (_, i) => i * 10));
  });

  it("forgets everything on clear", () => {
    const queue = new EventQueue();
    let ran = false;
    const handle = queue.add(1, () => {
      ran = true;
    });
    queue.clear();
    handle.cancel();
    expect(queue.live).toBe(0);
    expect(drain(queue)).toEqual([]);
    expect(ran).toBe(false);
  });
});
