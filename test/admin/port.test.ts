import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createAdminApp } from "../../src/admin/app.js";
import type { AdminPort } from "../../src/admin/ports.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { Journal } from "../../src/observability/journal.js";
import { parseConfig } from "../../src/server/simulator.js";
import { MemoryStore } from "../../src/store/store.js";

/** The admin API over a few plain objects: it needs its port, not a simulator. */
function portWith(changes: Partial<AdminPort> = {}): AdminPort {
  const config = parseConfig({ clock: "manual" });
  const clock = new VirtualClock(Date.UTC(2026, 2, 1));
  return {
    settings: () => config,
    world: () => ({ platform: () => undefined, platforms: new Map(), tenants: [] }),
    clock,
    advanceClock: (target) => clock.advanceTo(target),
    applyLatency: false,
    journal: new Journal(new MemoryStore(), 10),
    monitors: { all: async () => [], inFlightCount: () => 0, outcomes: () => ({ DONE: 0, FAILED: 0 }) },
    revokeClientTokens: async () => {},
    reseed: async () => {},
    reset: async () => {},
    capture: async () => {
      throw new Error("not in this test");
    },
    restore: async () => {},
    ui: new Hono(),
    ...changes,
  };
}

describe("the admin API over its port", () => {
  it("answers from the port alone", async () => {
    const revoked: Array<string | undefined> = [];
    const app = createAdminApp(
      portWith({
        revokeClientTokens: async (clientId) => {
          revoked.push(clientId);
        },
      }),
    );
    expect(await (await app.request("/platforms")).json()).toEqual([]);
    const clock = await (await app.request("/clock")).json();
    expect(clock).toMatchObject({ kind: "virtual", mode: "manual", now: Date.UTC(2026, 2, 1) });
    const advanced = await app.request("/clock/advance", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: "1m" }),
    });
    expect(await advanced.json()).toMatchObject({ now: Date.UTC(2026, 2, 1, 0, 1) });
    const revoke = await app.request("/tokens/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientId: "someone" }),
    });
    expect(await revoke.json()).toEqual({ revoked: "someone" });
    expect(revoked).toEqual(["someone"]);
  });
});
