import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import { calmPlatforms } from "../../src/config/calm.js";
import type { PlatformCode } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { CmoTestClient, deviceSuffix, withClock } from "../helpers/cmo.js";

const CODES = PLATFORMS.map((p) => p.code);
const TARGETS = ["ACTIVE", "SUSPENDED", "TERMINATED"] as const;
const TRANSFERABLE = ["TMSP", "JASPER"] as const;

type Command =
  | { kind: "status"; code: PlatformCode; device: number; target: string }
  | { kind: "batch"; items: Array<{ code: PlatformCode; device: number }>; target: string }
  | { kind: "transfer"; code: (typeof TRANSFERABLE)[number]; device: number }
  | { kind: "wait"; ms: number };

const device = fc.integer({ min: 0, max: 5 });
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("status" as const),
      code: fc.constantFrom(...CODES),
      device,
      target: fc.constantFrom(...TARGETS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("batch" as const),
      items: fc.uniqueArray(fc.record({ code: fc.constantFrom(...CODES), device }), {
        minLength: 1,
        maxLength: 6,
        selector: (i) => `${i.code}/${i.device}`,
      }),
      target: fc.constantFrom(...TARGETS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("transfer" as const),
      code: fc.constantFrom(...TRANSFERABLE),
      device,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 600_000 }) }),
  },
);

const faults = fc.record({
  errorRate: fc.constantFrom(0, 0.2, 0.5),
  failureRate: fc.constantFrom(0, 0.3, 1),
});

async function scenario(
  commands: Command[],
  seed: number,
  fault: { errorRate: number; failureRate: number },
): Promise<void> {
  const clock = new VirtualClock(Date.UTC(2026, 6, 1));
  // Calm platforms, plus the faults under test: failing native changes and failing async completions.
  const platforms = calmPlatforms(
    Object.fromEntries(
      PLATFORMS.map((p) => [
        p.code,
        {
          operations: {
            changeStatus: { faults: { errorRate: fault.errorRate } },
            transfer: { faults: { errorRate: fault.errorRate } },
          },
          ...(p.defaults.asyncTimeline
            ? {
                asyncTimeline: p.defaults.asyncTimeline.map((s, i, all) => ({
                  ...s,
                  failureRate: i === all.length - 1 ? fault.failureRate : 0,
                })),
              }
            : {}),
        },
      ]),
    ),
  );
  const sim = createSimulator({ seed, platforms }, { clock, applyLatency: false });
  const client = new CmoTestClient((path, init) =>
    Promise.resolve(sim.fetch(new Request(`http://sim${path}`, init))),
  );

  const devices = new Map<PlatformCode, string[]>();
  const expectedStatus = new Map<string, string>();
  const expectedOwner = new Map<string, string>();
  for (const code of CODES) {
    const runtime = sim.world.platform(code)!.runtime;
    const account = sim.world.accountsOf("eos", code)[0]!;
    const list = await runtime.listDevices(account.id, 0, 6);
    devices.set(
      code,
      list.map((d) => d.record.nativeId),
    );
    for (const d of list) {
      expectedStatus.set(`${code}-${d.record.nativeId}`, d.cmoStatus);
      expectedOwner.set(`${code}-${d.record.nativeId}`, d.accountId);
    }
  }
  const productOf = (code: PlatformCode, index: number) => `${code}-${devices.get(code)![index]}`;
  /** Every accepted change in acceptance order: a 200 applies, a monitor entry applies once DONE. */
  const pendingEffects: Array<{ monitor?: string; entry?: number; apply: () => void }> = [];

  for (const c of commands) {
    if (c.kind === "wait") {
      await clock.advance(c.ms);
      continue;
    }
    if (c.kind === "status") {
      const id = productOf(c.code, c.device);
      const res = await withClock(
        clock,
        client.setStatus(`${id}-${deviceSuffix(sim, c.code)}`, c.target),
        1_000,
      );
      expect([200, 202, 400, 409, 500, 502, 503, 504]).toContain(res.status);
      if (res.status === 200) pendingEffects.push({ apply: () => expectedStatus.set(id, c.target) });
      if (res.status === 202)
        pendingEffects.push({
          monitor: res.body.id,
          entry: 0,
          apply: () => expectedStatus.set(id, c.target),
        });
      continue;
    }
    if (c.kind === "transfer") {
      const id = productOf(c.code, c.device);
      const [a, b] = sim.world.accountsOf("eos", c.code);
      const target = expectedOwner.get(id) === a!.id ? b!.id : a!.id;
      const res = await withClock(
        clock,
        client.patch(id, [{ op: "replace", path: "/relatedParty/0/id", value: target }]),
        1_000,
      );
      expect([202, 400, 409, 500, 502, 503, 504]).toContain(res.status);
      if (res.status === 202)
        pendingEffects.push({ monitor: res.body.id, entry: 0, apply: () => expectedOwner.set(id, target) });
      continue;
    }
    const ids = c.items.map((i) => productOf(i.code, i.device));
    const res = await withClock(
      clock,
      client.call("PATCH", "/product", {
        body: {
          productIdList: c.items.map((i, k) => `${ids[k]}-${deviceSuffix(sim, i.code)}`),
          request: { method: "PATCH", body: [{ op: "replace", path: "/status", value: c.target }] },
        },
      }),
      1_000,
    );
    expect(res.status).toBe(202);
    ids.forEach((id, entry) => {
      pendingEffects.push({ monitor: res.body.id, entry, apply: () => expectedStatus.set(id, c.target) });
    });
  }

  // Let every platform finish: the slowest timelines take minutes, background polls back off to 30 s.
  await clock.advance(3 * 3_600_000);

  const monitors = new Map<string, any>();
  for (const effect of pendingEffects) {
    if (effect.monitor !== undefined && !monitors.has(effect.monitor)) {
      const res = await client.get(`/monitor/${effect.monitor}`);
      expect(res.status, `monitor ${effect.monitor} lost`).toBe(200);
      monitors.set(effect.monitor, res.body);
    }
  }
  for (const monitor of monitors.values()) {
    expect(["DONE", "FAILED"], `monitor ${monitor.id}`).toContain(monitor.state);
    expect(monitor.errors).toHaveLength(
      monitor.response.filter((r: { state: string }) => r.state === "FAILED").length,
    );
  }
  // Operations on one product never overlap (409), so applying DONE effects in acceptance order is the truth.
  for (const effect of pendingEffects) {
    const done =
      effect.monitor === undefined ||
      monitors.get(effect.monitor).response[effect.entry as number].state === "DONE";
    if (done) effect.apply();
  }
  expect(await sim.cmo.monitors.inFlightCount()).toBe(0);

  for (const [id, status] of expectedStatus) {
    const [code, nativeId] = id.split("-") as [PlatformCode, string];
    const runtime = sim.world.platform(code)!.runtime;
    const owner = expectedOwner.get(id)!;
    const actual = await runtime.findDevice(owner, nativeId);
    expect(actual, `${id} should belong to ${owner}`).toBeDefined();
    expect(actual!.cmoStatus, `${id} after its completed operations`).toBe(status);
  }
}

describe("CMO operations on a virtual clock (property)", () => {
  it("ends every accepted 202 DONE or FAILED, loses no monitor, and leaves each product as its completed operations imply", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 18 }),
        fc.integer({ min: 1, max: 1000 }),
        faults,
        (commands, seed, fault) => scenario(commands, seed, fault),
      ),
      { numRuns: 60 },
    );
  }, 240_000);
});
