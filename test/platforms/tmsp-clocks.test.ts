import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { Clock, TimerHandle } from "../../src/engine/clock.js";
import { QUIET, startServer } from "../helpers/server.js";
import { activateInactive, ROOT } from "./tmsp-support.js";

/** TMSP's operations on clocks other than the virtual one: scaled down, and with timers running late. */

// Real clock, real latency, every duration scaled down a thousandfold.
const fast = await startServer(
  { timeScale: 0.001, platforms: { TMSP: { profile: { rateLimits: [] } } } },
  { applyLatency: true },
);

describe("TMSP at time scale 0.001", () => {
  it("completes an activation within 100 polls 5 ms apart", { timeout: 10_000 }, async () => {
    const { rt, owner, stock, headers, res } = await activateInactive(fast);
    const location = `/platforms/tmsp${res.headers.get("location")}`;
    let state = "PENDING";
    for (let poll = 0; poll < 100 && state !== "COMPLETED" && state !== "FAILED"; poll++) {
      await sleep(5);
      state = ((await (await fast.request(location, { headers })).json()) as { state: string }).state;
    }
    expect(state).toBe("COMPLETED");
    expect((await rt.findDevice(owner.id, stock.record.nativeId))!.nativeStatus).toBe("ACTIVE");
  });
});

/**
 * Wall time the test sets, with timers that have not run yet: what a busy real clock looks like in
 * the moment between an operation's instant and its timer's turn.
 */
class TimersRunLate implements Clock {
  readonly kind = "real";
  at = Date.UTC(2026, 5, 1, 12);
  now(): number {
    return this.at;
  }
  schedule(): TimerHandle {
    return { cancel() {} };
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }
}

const late = new TimersRunLate();
const lateServer = await startServer({ platforms: { TMSP: { profile: QUIET } } }, { clock: late });

describe("TMSP when a timer runs late", () => {
  it("shows a request COMPLETED and its SIM changed as soon as the request's end has come", async () => {
    const { rt, owner, stock, headers, res } = await activateInactive(lateServer);
    const pending = (await rt.findDevice(owner.id, stock.record.nativeId))!.pendingOperation!;
    late.at = (await rt.getOperation(pending))!.plan.endsAt;

    const sim = await lateServer.request(
      `/platforms/tmsp${ROOT}/partners/${owner.id}/sims/${stock.record.iccid}`,
      {
        headers,
      },
    );
    expect(((await sim.json()) as { simStatus: string }).simStatus).toBe("ACTIVE");
    const request = await lateServer.request(`/platforms/tmsp${res.headers.get("location")}`, { headers });
    expect(((await request.json()) as { state: string }).state).toBe("COMPLETED");
  });
});
