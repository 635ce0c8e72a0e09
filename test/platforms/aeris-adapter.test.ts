import { describe, expect, it } from "vitest";
import type { ConfigInput, PlatformProfileInput } from "../../src/config/schema.js";
import { type ParityHarness, runOverBothTransports } from "../helpers/parity.js";
import { PROFILE, TENANTS, TIMELINE } from "./aeris-support.js";

/**
 * The IOTA CMO adapter: Aeris changes are asynchronous requests, which the adapter waits for on
 * the clock so that the CMO can answer synchronously; the same over HTTP as in process.
 */

/**
 * Runs an adapter call that waits on the clock; says whether it had settled before time moved.
 * `advance` lets every call on the wire (tracked on the clock, over HTTP too) land before and after
 * each step, so no wall-clock wait decides the outcome.
 */
async function whileAdvancing<T>(h: ParityHarness, call: () => Promise<T>) {
  let settled = false;
  const pending = call().finally(() => {
    settled = true;
  });
  await h.advance(0);
  const settledBeforeTimeMoved = settled;
  for (let step = 0; step < 80 && !settled; step++) await h.advance(500);
  return { settledBeforeTimeMoved, outcome: await pending };
}

const parityConfig = (profile: PlatformProfileInput): ConfigInput => ({
  tenants: TENANTS,
  platforms: { IOTA: { profile: { ...PROFILE, ...profile } } },
});

describe("IOTA CMO adapter", () => {
  it("waits for the native request on the clock, identically in-process and over HTTP", async () => {
    const { inProcess, http } = await runOverBothTransports("IOTA", parityConfig({}), async (h) => {
      const account = h.account();
      const page = await h.adapter.list(account, 95, 10);
      const jump = await h.adapter.list(account, 40, 3);
      if (!page.ok || !jump.ok) throw new Error("list failed");
      const [target, moving] = page.value.items.filter((d) => d.status === "ACTIVE");
      const changed = await whileAdvancing(h, () => h.adapter.changeStatus(account, target!, "SUSPENDED"));
      const moved = await whileAdvancing(h, () => h.adapter.transfer(account, moving!, h.account("eos", 1)));
      const after = await h.adapter.list(account, 0, 1);
      const missing = await h.adapter.get(account, "89430300000000000000");
      const terminated = (await h.runtime.listDevices(account.id, 0, 100)).find(
        (d) => d.nativeStatus === "TERMINATED",
      )!;
      const read = await h.adapter.get(account, terminated.record.nativeId);
      const invalid = read.ok ? await h.adapter.changeStatus(account, read.value, "SUSPENDED") : read;
      return {
        total: page.value.total,
        ids: page.value.items.map((d) => d.nativeId),
        jump: jump.value.items.map((d) => d.nativeId),
        changed,
        moved,
        totalAfter: after.ok ? after.value.total : -1,
        missing,
        invalid,
      };
    });
    expect(inProcess.total).toBe(100);
    expect(inProcess.ids).toHaveLength(5);
    expect(inProcess.jump).toHaveLength(3);
    expect(inProcess.changed).toMatchObject({
      settledBeforeTimeMoved: false,
      outcome: { ok: true, value: { mode: "done", device: { status: "SUSPENDED", nativeStatus: "PAUSE" } } },
    });
    expect(
      JSON.parse((inProcess.changed.outcome as { exchange: { body: string } }).exchange.body),
    ).toMatchObject({
      subscriptionRequestState: "COMPLETED",
    });
    expect(inProcess.moved).toMatchObject({
      settledBeforeTimeMoved: false,
      outcome: { ok: true, value: { mode: "done", device: { status: "ACTIVE", nativeStatus: "ACTIVE" } } },
    });
    expect(inProcess.totalAfter).toBe(99);
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 404 } });
    expect(inProcess.invalid).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 400 },
    });
    expect(http).toEqual(inProcess);
  });

  it("reports a failed request with its native answer, and a request that outlasts the wait as a gateway timeout", async () => {
    const failing = parityConfig({ asyncTimeline: [TIMELINE[0]!, { ...TIMELINE[1]!, failureRate: 1 }] });
    const slow = parityConfig({ syncWaitTimeoutMs: 2000 });
    const script = async (h: ParityHarness) => {
      const account = h.account();
      const page = await h.adapter.list(account, 0, 20);
      const target = page.ok ? page.value.items.find((d) => d.status === "ACTIVE")! : undefined;
      return (await whileAdvancing(h, () => h.adapter.changeStatus(account, target!, "SUSPENDED"))).outcome;
    };
    const failed = await runOverBothTransports("IOTA", failing, script);
    expect(failed.inProcess).toMatchObject({ ok: false, failure: { kind: "server-error", status: 200 } });
    expect(
      JSON.parse((failed.inProcess as { failure: { exchange: { body: string } } }).failure.exchange.body),
    ).toMatchObject({ subscriptionRequestState: "COMPLETED_WITH_FAILURES" });
    expect(failed.http).toEqual(failed.inProcess);

    const timedOut = await runOverBothTransports("IOTA", slow, script);
    expect(timedOut.inProcess).toMatchObject({
      ok: false,
      failure: { kind: "gateway-timeout", status: 504 },
    });
    expect(timedOut.http).toEqual(timedOut.inProcess);
  });
});
