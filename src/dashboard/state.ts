import { monitorView, platformView } from "../admin/views.js";
import { rollUp } from "../cmo/monitor-model.js";
import type { Simulator } from "../server/simulator.js";

/** Bounds on one update, so a chaos run with thousands of monitors and calls stays cheap to watch. */
const MAX_OPEN_MONITORS = 100;
const MAX_RECENT_MONITORS = 50;
const MAX_JOURNAL_ENTRIES = 300;

/**
 * One dashboard update: every platform as the admin API shows it, monitors in flight and the most
 * recently finished ones, and the journal entries after `journalSince` (the newest ones when absent).
 */
export async function dashboardState(sim: Simulator, journalSince: number | undefined) {
  const now = sim.clock.now();
  const monitors = (await sim.cmo.monitors.all()).map((m) => ({
    ...monitorView(m),
    state: rollUp(m.entries),
  }));
  const open = monitors.filter((m) => m.state === "IN_PROGRESS");
  const finished = monitors.filter((m) => m.state !== "IN_PROGRESS");
  return {
    clock: {
      kind: sim.clock.kind,
      iso: new Date(now).toISOString(),
      timeScale: sim.config.timeScale,
    },
    platforms: [...sim.world.platforms.values()].map(platformView),
    monitors: {
      claimsInFlight: sim.cmo.monitors.inFlightCount(),
      outcomes: sim.cmo.monitors.outcomes(),
      open: open.length,
      shown: [...open.slice(-MAX_OPEN_MONITORS), ...finished.slice(-MAX_RECENT_MONITORS)],
    },
    journal: sim.journal.find({ since: journalSince, limit: MAX_JOURNAL_ENTRIES }),
  };
}

export type DashboardState = Awaited<ReturnType<typeof dashboardState>>;
