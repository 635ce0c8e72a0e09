import type { Hono } from "hono";
import type { MonitorRecord } from "../cmo/monitor-model.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../engine/clock.js";
import type { Journal } from "../observability/journal.js";
import type { SimState } from "../server/state.js";
import type { World } from "../server/world.js";

/** The settings the admin API shows or acts on. */
export type AdminSettings = Pick<Config, "seed" | "tenants" | "clock" | "timeScale" | "server">;

/**
 * What the admin API drives, and nothing more: the simulator hands it one small object. Settings and
 * the world are asked for per request, since a re-seed replaces both.
 */
export interface AdminPort {
  settings(): AdminSettings;
  world(): Pick<World, "platform" | "platforms" | "tenants">;
  readonly clock: Clock;
  /** Moves a manual clock (every replica's, on a shared store), firing what falls due. */
  advanceClock(target: number): Promise<void>;
  /** Whether request-path latency is waited for (shown with the clock). */
  readonly applyLatency: boolean;
  readonly journal: Pick<Journal, "find" | "clear" | "size">;
  readonly monitors: {
    all(): Promise<readonly MonitorRecord[]>;
    inFlightCount(): number | Promise<number>;
    outcomes(): { DONE: number; FAILED: number } | Promise<{ DONE: number; FAILED: number }>;
  };
  /** Refuses the CMO tokens issued so far to one client, or to every client. */
  revokeClientTokens(clientId?: string): Promise<void>;
  reseed(changes: Partial<Pick<Config, "seed" | "tenants">>): Promise<void>;
  reset(): Promise<void>;
  capture(options: { withSecret: boolean }): Promise<SimState>;
  /** Throws `StateError` when the document does not fit, having changed nothing. */
  restore(document: unknown): Promise<void>;
  /** The dashboard, mounted behind the admin guard (it checks the token itself). */
  readonly ui: Hono;
}
