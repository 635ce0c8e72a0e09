import { PLATFORMS } from "../../simulators/registry.js";
import { AdminClient } from "../admin/client.js";
import { adminRoutes } from "../admin/routes.js";
import { defaultTenants } from "../config/defaults.js";
import { Config, type ConfigInput } from "../config/schema.js";
import { type Clock, RealClock, VirtualClock } from "../engine/clock.js";
import { createSimulator } from "../server/simulator.js";
import { setOverride } from "./admin.js";
import type { Endpoint } from "./endpoint.js";
import { eventPlatforms } from "./events.js";
import { ScenarioRefused } from "./inventory.js";
import { productRefs, type Scenario } from "./schema.js";

export interface TargetOptions {
  url: string;
  clientId?: string;
  clientSecret?: string;
  tenant?: string;
  tokenUrl?: string;
  /**
   * Keep what earlier runs left on a cmo-sim target (default: reset it through its admin API first,
   * so the same scenario passes twice in a row).
   */
  keepState?: boolean;
  /** The admin token of a locked cmo-sim target (`--admin-token`). */
  adminToken?: string;
}

/** The clock, where requests go, and the admin API when the other side is a cmo-sim. */
export interface Connection {
  clock: Clock;
  endpoint: Endpoint;
  admin?: AdminClient;
  basePath: string;
}

const DEFAULT_BASE_PATH = Config.parse({}).cmo.basePath;

/** The in-process simulator's configuration: the scenario's seed, inventory, profiles and settings. */
export function simulatorConfig(s: Scenario): ConfigInput {
  const codes = PLATFORMS.map((p) => p.code);
  return {
    seed: s.seed,
    timeScale: s.timeScale,
    ...(s.simulator?.auth ? { auth: s.simulator.auth } : {}),
    ...(s.simulator?.cmo ? { cmo: s.simulator.cmo } : {}),
    platforms: s.platforms as NonNullable<ConfigInput["platforms"]>,
    tenants:
      s.inventory?.tenants ??
      (s.inventory?.size === undefined ? undefined : defaultTenants(codes, s.inventory.size)),
  };
}

/** A simulator of the scenario's own, in this process, on the scenario's clock. */
export function connectInProcess(s: Scenario): Connection {
  const clock = s.clock === "virtual" ? new VirtualClock(Date.parse(s.start)) : new RealClock();
  const sim = createSimulator(simulatorConfig(s), { clock, applyLatency: true });
  const endpoint: Endpoint = { base: "http://cmo-sim.scenario", fetch: async (r) => sim.fetch(r) };
  return { clock, endpoint, admin: new AdminClient(endpoint), basePath: sim.config.cmo.basePath };
}

/**
 * A running target: a cmo-sim is arranged through its admin API (reset, inventory, profiles); any
 * other CMO-compatible endpoint only when the scenario needs nothing arranged.
 */
export async function connectTarget(
  s: Scenario,
  target: TargetOptions,
  notes: string[],
): Promise<Connection> {
  const endpoint: Endpoint = { base: target.url.replace(/\/+$/, ""), fetch: (r) => fetch(r) };
  const client = new AdminClient(endpoint, target.adminToken);
  const found = await client.detect();
  if (found === "locked")
    throw new ScenarioRefused(
      `${target.url} is a cmo-sim whose admin API is locked${target.adminToken ? " with another token" : ""}: give its admin token (--admin-token or CMO_SIM_ADMIN_TOKEN)`,
    );
  const admin = found ? client : undefined;
  if (admin) await arrangeTarget(s, target, admin, notes);
  else refuseUnarranged(s, target);
  return { clock: new RealClock(), endpoint, ...(admin ? { admin } : {}), basePath: DEFAULT_BASE_PATH };
}

function refuseUnarranged(s: Scenario, target: TargetOptions): void {
  const needs = [
    s.events.length > 0 && "events",
    s.load.length > 0 && "generated load",
    s.inventory && "inventory",
    Object.keys(s.platforms).length > 0 && "platform profiles",
    s.steps.some((step) => productRefs(step).some(([ref]) => typeof ref === "object")) && "product picks",
  ].filter(Boolean);
  if (needs.length > 0)
    throw new ScenarioRefused(
      `${target.url} is not a cmo-sim (GET /_sim/platforms did not answer a list), so this scenario's ${needs.join(", ")} cannot be arranged; run it in-process or against cmo-sim`,
    );
}

async function arrangeTarget(s: Scenario, target: TargetOptions, admin: AdminClient, notes: string[]) {
  if (s.simulator) notes.push("simulator settings apply in-process only; the target keeps its own");
  if (!target.keepState) await admin.call(adminRoutes.reset, {});
  if (s.inventory) await admin.call(adminRoutes.reseed, { body: { seed: s.seed, ...s.inventory } });
  for (const [code, settings] of Object.entries(s.platforms))
    await setOverride(admin, code, settings?.profile);
}

/** Leaves a shared target as it was found: the profile overrides this run set are cleared. */
export async function restoreTarget(s: Scenario, admin: AdminClient): Promise<void> {
  const touched = new Set([
    ...Object.keys(s.platforms),
    ...s.events
      .filter((e) => e.type !== "outage" && e.type !== "outageEnd" && e.type !== "revokeTokens")
      .flatMap(eventPlatforms),
  ]);
  for (const code of touched) await setOverride(admin, code, undefined).catch(() => {});
}
