import { describe, expect, it } from "vitest";
import { RealClock, VirtualClock } from "../../src/engine/clock.js";

describe("VirtualClock", () => {
  it("fires events in time order, and ties in the order they were scheduled", async () => {
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.schedule(50, () => fired.push("b@50"));
    clock.schedule(10, () => fired.push("a@10"));
    clock.schedule(50, () => fired.push("c@50"));
    clock.schedule(50, () => fired.push("d@50"));
    clock.schedule(0, () => fired.push("z@0"));
    await clock.runUntilIdle();
    expect(fired).toEqual(["z@0", "a@10", "b@50", "c@50", "d@50"]);
    expect(clock.now()).toBe(1_050);
  });

  it("does not move until told, and advance stops exactly at the target", async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.schedule(100, () => fired.push(clock.now()));
    clock.schedule(250, () => fired.push(clock.now()));
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toEqual([]);
    await clock.advance(99);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(99);
    await clock.advance(1);
    expect(fired).toEqual([100]);
    await clock.advance(500);
    expect(fired).toEqual([100, 250]);
    expect(clock.now()).toBe(600);
    expect(clock.pending).toBe(0);
  });

  it("runs code awaiting a timer before time moves on, so chained sleeps land at their exact times", async () => {
    const clock = new VirtualClock(0);
    const seen: number[] = [];
    const worker = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1_000);
        seen.push(clock.now());
      }
    })();
    clock.schedule(2_500, () => seen.push(-clock.now()));
    await clock.runUntilIdle();
    await worker;
    expect(seen).toEqual([1_000, 2_000, -2_500, 3_000]);
  });

  it("cancels timers and aborts sleeps", async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const handle = clock.schedule(10, () => {
      fired = true;
    });
    handle.cancel();
    const controller = new AbortController();
    const sleeping = clock.sleep(50, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    await clock.runUntilIdle();
    expect(fired).toBe(false);
    expect(clock.now()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it("refuses to go backwards", () => {
    const clock = new VirtualClock(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe("RealClock", () => {
  it("tells wall time and fires timers", async () => {
    const clock = new RealClock();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
    const order: number[] = [];
    await Promise.all([clock.sleep(15).then(() => order.push(2)), clock.sleep(1).then(() => order.push(1))]);
    expect(order).toEqual([1, 2]);
  });

  const nodeTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

  it("keeps many timers behind one Node timeout, and lets go of it when none is left", async () => {
    const clock = new RealClock();
    const before = nodeTimeouts();
    const handles = Array.from({ length: 500 }, (_, i) => clock.schedule(60_000 + i, () => {}));
    expect(nodeTimeouts() - before).toBe(1);
    for (const h of handles) h.cancel();
    expect(nodeTimeouts() - before).toBe(0);
    clock.schedule(60_000, () => {});
    clock.stop();
    expect(nodeTimeouts() - before).toBe(0);
  });

  it("fires timers in time order, skips one cancelled by an earlier one, and defers timers added while firing", async () => {
    const clock = new RealClock();
    const fired: string[] = [];
    const firedAt = (name: string) => () => fired.push(name);
    const ends: Array<() => void> = [];
    const ended = Promise.all([0, 1].map(() => new Promise<void>((resolve) => ends.push(resolve))));
    let cancelled: { cancel(): void } | undefined;
    clock.schedule(5, () => {
      fired.push("first");
      cancelled?.cancel();
      // Due at once, yet not run in this batch: the batch (one Node callback) ends first, and with
      // it this microtask's turn.
      clock.schedule(0, () => {
        fired.push("added while firing");
        ends[0]?.();
      });
      queueMicrotask(firedAt("batch over"));
    });
    cancelled = clock.schedule(30, firedAt("cancelled"));
    clock.schedule(40, () => {
      fired.push("last");
      ends[1]?.();
    });
    await ended;
    // Timer turns may come late on a loaded machine, so only what holds whatever the timing is asserted.
    expect(fired[0]).toBe("first");
    expect(fired).not.toContain("cancelled");
    expect(fired.indexOf("batch over")).toBeGreaterThan(0);
    expect(fired.indexOf("added while firing")).toBeGreaterThan(fired.indexOf("batch over"));
    expect(fired).toContain("last");
  });
});
