import { describe, expect, it } from "vitest";
import type { EntryState, MonitorRecord } from "../../src/cmo/monitor-model.js";
import { type DashboardSources, dashboardState } from "../../src/dashboard/state.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { Journal } from "../../src/observability/journal.js";
import { MemoryStore } from "../../src/store/store.js";

const START = Date.UTC(2026, 5, 1, 9);

function monitor(id: string, state: EntryState): MonitorRecord {
  return {
    id,
    tenant: "eos",
    kind: "status",
    source: `product/TMSP-${id}`,
    request: { method: "PATCH", body: [], headers: [] },
    entries: [
      {
        platform: "TMSP",
        productId: `TMSP-${id}`,
        state,
        message: state,
        native: { status: 202, headers: [], body: "" },
        action: { kind: "status", target: "SUSPENDED" },
      },
    ],
    correlationId: `c-${id}`,
    createdAt: START,
    ...(state === "IN_PROGRESS" ? {} : { finishedAt: START + 1_000 }),
  };
}

/** A dashboard's sources from plain objects: no simulator, no platforms, a few monitors and calls. */
function sources(
  records: MonitorRecord[],
  journal = new Journal(new MemoryStore(), 1_000),
): DashboardSources {
  return {
    clock: new VirtualClock(START),
    config: { timeScale: 0.5, server: {} },
    world: { platforms: new Map() },
    cmo: {
      monitors: {
        all: async () => records,
        inFlightCount: async () => records.filter((r) => r.entries[0]?.state === "IN_PROGRESS").length,
        outcomes: () => ({ DONE: 2, FAILED: 1 }),
      },
    },
    journal,
  };
}

describe("one dashboard update, from its sources", () => {
  it("shows the clock, the monitors rolled up and the counts the CMO keeps", async () => {
    const state = await dashboardState(
      sources([monitor("a", "IN_PROGRESS"), monitor("b", "DONE"), monitor("c", "FAILED")]),
      undefined,
    );
    expect(state.clock).toEqual({ kind: "virtual", iso: "2026-06-01T09:00:00.000Z", timeScale: 0.5 });
    expect(state.platforms).toEqual([]);
    expect(state.monitors).toMatchObject({ claimsInFlight: 1, outcomes: { DONE: 2, FAILED: 1 }, open: 1 });
    expect(state.monitors.shown.map((m) => [m.id, m.state, m.finishedAt])).toEqual([
      ["a", "IN_PROGRESS", null],
      ["b", "DONE", "2026-06-01T09:00:01.000Z"],
      ["c", "FAILED", "2026-06-01T09:00:01.000Z"],
    ]);
  });

  it("lists monitors in flight before finished ones, each kept to its bound", async () => {
    const records = [
      ...Array.from({ length: 60 }, (_, i) => monitor(`done-${i}`, "DONE")),
      ...Array.from({ length: 120 }, (_, i) => monitor(`open-${i}`, "IN_PROGRESS")),
    ];
    const { monitors } = await dashboardState(sources(records), undefined);
    expect(monitors.open).toBe(120);
    const shown = monitors.shown.map((m) => m.id);
    expect(shown).toHaveLength(150);
    expect(shown[0]).toBe("open-20");
    expect(shown[99]).toBe("open-119");
    expect(shown[100]).toBe("done-10");
    expect(shown.at(-1)).toBe("done-59");
  });

  it("sends the newest journal entries first, then only those after the last one sent", async () => {
    const journal = new Journal(new MemoryStore(), 1_000);
    const call = (path: string) =>
      journal.add({
        at: START,
        face: "cmo",
        method: "GET",
        path,
        status: 200,
        latencyMs: 0,
        caller: "client",
      });
    for (let i = 0; i < 310; i++) await call(`/product/${i}`);
    const first = await dashboardState(sources([], journal), undefined);
    expect(first.journal).toHaveLength(300);
    expect(first.journal[0]?.path).toBe("/product/10");
    await call("/product/new");
    const next = await dashboardState(sources([], journal), first.journal.at(-1)?.seq);
    expect(next.journal.map((e) => e.path)).toEqual(["/product/new"]);
  });
});
