import { createHash } from "node:crypto";
import { z } from "zod";
import type { RuntimeSnapshot } from "../../simulators/shared/runtime.js";
import { type Config, PlatformProfile } from "../config/schema.js";
import type { Clock, VirtualClock } from "../engine/clock.js";
import { COUNTER_KEY_HEX } from "../engine/random.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../http/json-depth.js";
import type { World } from "./world.js";

/**
 * The whole simulator state as one JSON document: what changed on every platform, the CMO's
 * monitors and custom properties, the clock and the random sequences. Restoring validates the
 * whole document first and refuses one made for another inventory, so nothing is half-loaded.
 */
export const STATE_KIND = "cmo-sim-state";
// 2: random sequence positions are keyed by digest (see Random), no longer by key text.
export const STATE_VERSION = 2;

const Overlay = z.strictObject({
  nativeStatus: z.string().optional(),
  updatedAt: z.number().optional(),
  activatedAt: z.number().optional(),
  pendingFrom: z.string().optional(),
  pendingOperation: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
});

const LogEntry = z.strictObject({
  id: z.string(),
  accountId: z.string(),
  nativeId: z.string(),
  at: z.number(),
  data: z.record(z.string(), z.unknown()),
});

const ScheduledEdit = z.strictObject({
  id: z.string(),
  accountId: z.string(),
  nativeId: z.string(),
  at: z.number(),
  status: z.string().optional(),
  moveTo: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
  log: z.strictObject({ kind: z.string(), data: z.record(z.string(), z.unknown()) }).optional(),
});

const Operation = z.strictObject({
  id: z.string(),
  accountId: z.string(),
  kind: z.enum(["status", "transfer"]),
  items: z.array(z.strictObject({ nativeId: z.string(), from: z.string(), to: z.string() })),
  targetAccountId: z.string().optional(),
  plan: z.strictObject({
    startedAt: z.number(),
    stages: z.array(z.strictObject({ state: z.string(), endsAt: z.number() })),
    outcome: z.enum(["succeeded", "failed"]),
    endsAt: z.number(),
  }),
  createdAt: z.number(),
  applied: z.boolean(),
  extra: z.record(z.string(), z.string()).optional(),
});

const RuntimeState = z.strictObject({
  overlays: z.record(z.string(), Overlay),
  owners: z.record(z.string(), z.string()),
  operations: z.array(Operation),
  tokens: z.record(z.string(), z.strictObject({ accountId: z.string(), expiresAt: z.number() })),
  outages: z.array(
    z.strictObject({ start: z.number(), end: z.number().optional(), status: z.number(), reason: z.string() }),
  ),
  profileOverride: PlatformProfile.optional(),
  sequence: z.number().int().nonnegative(),
  logs: z
    .strictObject({
      sequence: z.number().int().nonnegative(),
      entries: z.record(z.string(), z.array(LogEntry)),
    })
    .optional(),
  scheduledEdits: z.array(ScheduledEdit).optional(),
});

const Exchange = z.strictObject({
  status: z.number(),
  headers: z.array(z.strictObject({ name: z.string(), value: z.string() })),
  body: z.string(),
});

const MonitorEntry = z.strictObject({
  platform: z.string(),
  productId: z.string(),
  accountId: z.string().optional(),
  nativeId: z.string().optional(),
  state: z.enum(["IN_PROGRESS", "DONE", "FAILED"]),
  message: z.string(),
  native: Exchange,
  action: z.union([
    z.strictObject({ kind: z.literal("status"), target: z.string() }),
    z.strictObject({ kind: z.literal("transfer"), targetAccountId: z.string() }),
    z.strictObject({ kind: z.literal("customProperty") }),
    z.strictObject({ kind: z.literal("none") }),
  ]),
  ticket: z.string().optional(),
  problem: z.record(z.string(), z.unknown()).optional(),
  polledAt: z.number().optional(),
  pollDelayMs: z.number().optional(),
});

const Monitor = z.strictObject({
  id: z.string(),
  tenant: z.string(),
  kind: z.enum(["status", "transfer", "batch"]),
  source: z.string(),
  request: z.strictObject({
    method: z.string(),
    body: z.unknown(),
    headers: z.array(z.strictObject({ name: z.string(), value: z.string() })),
  }),
  entries: z.array(MonitorEntry),
  correlationId: z.string(),
  createdAt: z.number(),
  finishedAt: z.number().optional(),
});

export const SimState = z.strictObject({
  kind: z.literal(STATE_KIND, { error: `not a cmo-sim state file (kind must be ${STATE_KIND})` }),
  version: z.literal(STATE_VERSION, {
    error: `unsupported state version (this cmo-sim reads version ${STATE_VERSION})`,
  }),
  inventoryKey: z.string(),
  savedAt: z.string(),
  clock: z.strictObject({ kind: z.enum(["real", "virtual"]), now: z.number() }),
  random: z.record(
    z.string().regex(new RegExp(`^[0-9a-f]{${COUNTER_KEY_HEX}}$`), "must be a counter key digest"),
    z.number().int().nonnegative(),
  ),
  signingSecret: z.string().min(32, "signingSecret must be at least 32 characters").optional(),
  platforms: z.record(z.string(), RuntimeState),
  cmo: z.strictObject({
    monitors: z.array(Monitor),
    customProperties: z.array(
      z.tuple([z.string(), z.array(z.strictObject({ name: z.string(), value: z.string() }))]),
    ),
    accountCounts: z.array(z.tuple([z.string(), z.number().int().nonnegative()])).optional(),
  }),
});
export type SimState = z.infer<typeof SimState>;

/**
 * What the state file captures and restores, shaped as a simulator holds it so that a simulator
 * serves as one. The CMO part is opaque here: the schema above checks its shape, while its
 * vocabulary (statuses) is the CMO's own type, so restore takes it as the document gives it.
 */
export interface StateSources {
  readonly config: Pick<Config, "seed">;
  readonly clock: Clock;
  readonly signingSecret: string;
  readonly world: Pick<World, "tenants" | "random" | "snapshot" | "platform" | "accountsOf">;
  readonly cmo: { snapshot(): Promise<unknown>; restore(snapshot: never): Promise<void> };
}

/** Identifies the generated inventory a state belongs to: same seed and accounts, same key. */
export function inventoryKey(sim: StateSources): string {
  const accounts = sim.world.tenants.map((t) => [
    t.id,
    t.accounts.map((a) => [a.platform, a.id, a.size, a.statusMix ?? null]),
  ]);
  return createHash("sha256")
    .update(JSON.stringify([sim.config.seed, accounts]))
    .digest("hex")
    .slice(0, 32);
}

export async function captureState(
  sim: StateSources,
  { withSecret = true }: { withSecret?: boolean } = {},
): Promise<SimState> {
  return {
    kind: STATE_KIND,
    version: STATE_VERSION,
    inventoryKey: inventoryKey(sim),
    savedAt: new Date(sim.clock.now()).toISOString(),
    clock: { kind: sim.clock.kind, now: sim.clock.now() },
    random: sim.world.random.exportCounters(),
    ...(withSecret ? { signingSecret: sim.signingSecret } : {}),
    platforms: (await sim.world.snapshot()) as SimState["platforms"],
    cmo: (await sim.cmo.snapshot()) as SimState["cmo"],
  };
}

export class StateError extends Error {
  override name = "StateError";
}

/** How deep a state document may nest: the deepest part is a batch request, itself at most MAX_JSON_DEPTH. */
export const STATE_MAX_DEPTH = 2 * MAX_JSON_DEPTH;

/** A state document's own shape, before any simulator is asked whether it fits (a state file at start-up). */
export function parseState(value: unknown): SimState {
  if (nestsDeeperThan(value, STATE_MAX_DEPTH))
    throw new StateError(
      `state is not a valid cmo-sim state: it nests deeper than ${STATE_MAX_DEPTH} levels`,
    );
  const parsed = SimState.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`);
    throw new StateError(`state is not a valid cmo-sim state: ${first.join("; ")}`);
  }
  return parsed.data;
}

/** Validates a state document against this simulator; throws StateError before touching anything. */
export function checkState(sim: StateSources, value: unknown): SimState {
  const state = parseState(value);
  const expected = inventoryKey(sim);
  if (state.inventoryKey !== expected) {
    throw new StateError(
      "state belongs to another inventory (different seed, tenants or accounts); refusing to load it",
    );
  }
  const unknown = Object.keys(state.platforms).filter((code) => !sim.world.platform(code));
  if (unknown.length > 0)
    throw new StateError(`state names platforms this simulator does not host: ${unknown.join(", ")}`);
  const problems = [
    ...Object.entries(state.platforms).flatMap(([code, snapshot]) =>
      (sim.world.platform(code)?.runtime.problemsIn(snapshot as RuntimeSnapshot) ?? []).map(
        (p) => `platforms.${code}.${p}`,
      ),
    ),
    ...cmoProblems(sim, state.cmo),
  ];
  if (problems.length > 0)
    throw new StateError(
      `state does not fit this simulator: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`,
    );
  return state;
}

/** References of the CMO's part to tenants, platforms and accounts that this simulator does not have. */
function cmoProblems(sim: StateSources, cmo: SimState["cmo"]): string[] {
  const problems: string[] = [];
  const tenants = new Set(sim.world.tenants.map((t) => t.id));
  const accountOf = (tenant: string, platform: string, id: string) =>
    sim.world.accountsOf(tenant, platform).some((a) => a.id === id);
  cmo.monitors.forEach((monitor, i) => {
    if (!tenants.has(monitor.tenant)) problems.push(`cmo.monitors[${i}].tenant: no tenant ${monitor.tenant}`);
    monitor.entries.forEach((entry, j) => {
      const where = `cmo.monitors[${i}].entries[${j}]`;
      if (entry.platform !== "UNKNOWN" && !sim.world.platform(entry.platform))
        problems.push(`${where}.platform: no platform ${entry.platform}`);
      else if (entry.accountId !== undefined && !accountOf(monitor.tenant, entry.platform, entry.accountId))
        problems.push(
          `${where}.accountId: ${monitor.tenant} has no ${entry.platform} account ${entry.accountId}`,
        );
    });
  });
  cmo.customProperties.forEach(([key], i) => {
    const tenant = key.split("|")[0] as string;
    if (!tenants.has(tenant)) problems.push(`cmo.customProperties[${i}]: no tenant ${tenant}`);
  });
  (cmo.accountCounts ?? []).forEach(([key], i) => {
    const [tenant = "", platform = "", id = ""] = key.split("|");
    if (!accountOf(tenant, platform, id)) problems.push(`cmo.accountCounts[${i}]: no account ${key}`);
  });
  return problems;
}

/**
 * Puts a whole state back, or none of it: the document is checked first, and should applying it
 * fail all the same, the state from before is put back.
 */
export async function restoreState(sim: StateSources, value: unknown): Promise<void> {
  const state = checkState(sim, value);
  const before = await captureState(sim);
  try {
    await apply(sim, state);
  } catch (error) {
    await apply(sim, before);
    throw new StateError(`state could not be applied, nothing changed: ${(error as Error).message}`);
  }
}

async function apply(sim: StateSources, state: SimState): Promise<void> {
  if (sim.clock.kind === "virtual" && state.clock.now > sim.clock.now())
    await (sim.clock as VirtualClock).advanceTo(state.clock.now);
  sim.world.random.importCounters(state.random);
  for (const [code, snapshot] of Object.entries(state.platforms))
    await sim.world.platform(code)?.runtime.restore(snapshot as never);
  await sim.cmo.restore(state.cmo as never);
}
