import { monitorView, platformView } from "../admin/views.js";
import { type MonitorRecord, rollUp } from "../cmo/monitor-model.js";
import type { Clock } from "../engine/clock.js";
import type { Journal } from "../observability/journal.js";
import type { PlatformSlot } from "../server/world.js";

/** The CMO's monitors as the dashboard counts and lists them; counts may come from a store, so awaited. */
export interface MonitorWatch {
  all(): Promise<readonly MonitorRecord[]>;
  inFlightCount(): number | Promise<number>;
  outcomes(): { DONE: number; FAILED: number } | Promise<{ DONE: number; FAILED: number }>;
}

/**
 * What the dashboard reads, shaped as a simulator holds it so that a simulator serves as one; a test
 * brings a few plain objects instead. Members are read per update: a re-seed swaps the world.
 */
export interface DashboardSources {
  readonly clock: Pick<Clock, "kind" | "now">;
  readonly config: {
    readonly timeScale: number;
    readonly server: { readonly adminToken?: string | undefined };
  };
  readonly world: { readonly platforms: ReadonlyMap<string, PlatformSlot> };
  readonly cmo: { readonly monitors: MonitorWatch };
  readonly journal: Pick<Journal, "find">;
}

/** Bounds on one update, so a chaos run with thousands of monitors and calls stays cheap to watch. */
const MAX_OPEN_MONITORS = 100;
const MAX_RECENT_MONITORS = 50;
const MAX_JOURNAL_ENTRIES = 300;

/**
 * One dashboard update: every platform as the admin API shows it, monitors in flight and the most
 * recently finished ones, and the journal entries after `journalSince` (the newest ones when absent).
 */
export async function dashboardState(sources: DashboardSources, journalSince: number | undefined) {
  const { clock, cmo } = sources;
  const now = clock.now();
  const monitors = (await cmo.monitors.all()).map((m) => ({
    ...monitorView(m),
    state: rollUp(m.entries),
  }));
  const open = monitors.filter((m) => m.state === "IN_PROGRESS");
  const finished = monitors.filter((m) => m.state !== "IN_PROGRESS");
  return {
    clock: {
      kind: clock.kind,
      iso: new Date(now).toISOString(),
      timeScale: sources.config.timeScale,
    },
    platforms: await Promise.all([...sources.world.platforms.values()].map(platformView)),
    monitors: {
      claimsInFlight: await cmo.monitors.inFlightCount(),
      outcomes: await cmo.monitors.outcomes(),
      open: open.length,
      shown: [...open.slice(-MAX_OPEN_MONITORS), ...finished.slice(-MAX_RECENT_MONITORS)],
    },
    journal: await sources.journal.find({ since: journalSince, limit: MAX_JOURNAL_ENTRIES }),
  };
}

export type DashboardState = Awaited<ReturnType<typeof dashboardState>>;
