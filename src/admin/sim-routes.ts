import { ConfigError } from "../config/errors.js";
import type { VirtualClock } from "../engine/clock.js";
import { ProblemError } from "../http/problem.js";
import {
  ClockAdvanced,
  ClockView,
  Inventory,
  JournalPage,
  MonitorList,
  Reseeded,
  Revoked,
} from "../openapi/admin-answers.js";
import { SimState, STATE_MAX_DEPTH, StateError } from "../server/state.js";
import { slotOf } from "./platform-routes.js";
import { adminRoute, BAD_BODY, BAD_QUERY, NO_PLATFORM, noContent, ok, problem } from "./route.js";
import { AdvanceBody, InventoryBody, JournalQuery, MonitorsQuery, RevokeBody } from "./schemas.js";
import { monitorView } from "./views.js";

export const getInventory = adminRoute("Simulator", "getInventory", "GET /_sim/inventory", {
  summary: "Seed, tenants and accounts",
  responses: { 200: ok("The inventory", Inventory) },
}).handle(({ port }) => ({
  seed: port.settings().seed,
  tenants: port.world().tenants.map((t) => ({
    id: t.id,
    accounts: t.accounts.map((a) => ({ platform: a.platform, id: a.id, name: a.name, size: a.size })),
  })),
}));

export const reseed = adminRoute("Simulator", "reseed", "POST /_sim/inventory", {
  summary: "Rebuild every platform from a new seed, size or tenant list",
  body: { schema: InventoryBody, read: "required" },
  responses: {
    200: ok("The new inventory in numbers", Reseeded),
    ...BAD_BODY,
    409: problem("The world is shared by replicas: restart them all with the new seed instead"),
  },
}).handle(async ({ port, body: read }) => {
  const body = await read();
  const tenants =
    body.tenants ??
    (body.size === undefined
      ? port.settings().tenants
      : port.world().tenants.map((t) => ({
          ...t,
          accounts: t.accounts.map((a) => ({ ...a, size: body.size as number })),
        })));
  try {
    await port.reseed({ ...(body.seed === undefined ? {} : { seed: body.seed }), tenants });
  } catch (error) {
    // The world is only swapped in once built: a refused inventory leaves the old one running.
    if (error instanceof ConfigError)
      throw new ProblemError(400, error.problems.join("; "), "Missing or malformed parameter");
    throw error;
  }
  return {
    seed: port.settings().seed,
    tenants: port.world().tenants.map((t) => ({
      id: t.id,
      accounts: t.accounts.length,
      devices: t.accounts.reduce((n, a) => n + a.size, 0),
    })),
  };
});

export const getClock = adminRoute("Clock", "getClock", "GET /_sim/clock", {
  summary: "The simulator's clock",
  responses: { 200: ok("The clock", ClockView) },
}).handle(({ port }) => {
  const settings = port.settings();
  return {
    kind: port.clock.kind,
    mode: settings.clock,
    now: port.clock.now(),
    iso: new Date(port.clock.now()).toISOString(),
    timeScale: settings.timeScale,
    requestLatency: port.applyLatency,
  };
});

export const advanceClock = adminRoute("Clock", "advanceClock", "POST /_sim/clock/advance", {
  summary: "Move a manual clock forward, firing what falls due",
  body: { schema: AdvanceBody, read: "required" },
  responses: {
    200: ok("The clock after moving", ClockAdvanced),
    ...BAD_BODY,
    409: problem("The clock is real"),
  },
}).handle(async ({ port, body: read }) => {
  if (port.clock.kind !== "virtual")
    throw new ProblemError(
      409,
      "The clock is real; start with --clock manual to move it through the admin API",
    );
  const body = await read();
  const clock = port.clock as VirtualClock;
  const target = "ms" in body ? clock.now() + body.ms : Date.parse(body.to);
  if (target < clock.now())
    throw new ProblemError(
      400,
      `Cannot move the clock back to ${new Date(target).toISOString()}`,
      "Invalid Action",
    );
  await port.advanceClock(target);
  return {
    kind: clock.kind,
    now: clock.now(),
    iso: new Date(clock.now()).toISOString(),
    pendingTimers: clock.pending,
  };
});

export const getJournal = adminRoute("Journal", "getJournal", "GET /_sim/journal", {
  summary: "Requests that crossed the simulator, oldest first",
  query: JournalQuery,
  responses: { 200: ok("Journal entries", JournalPage), ...BAD_QUERY },
}).handle(async ({ port, query }) => {
  const q = query();
  const entries = await port.journal.find({
    face: q.face,
    platform: q.platform?.toUpperCase(),
    method: q.method,
    status: q.status,
    pathContains: q.path,
    since: q.since,
    limit: q.limit ?? 100,
  });
  return { size: await port.journal.size(), entries };
});

export const clearJournal = adminRoute("Journal", "clearJournal", "DELETE /_sim/journal", {
  summary: "Forget the journal",
  responses: { 204: noContent },
}).handle(({ port }) => port.journal.clear());

// The signing secret mints CMO tokens: it leaves only through a locked control plane (the caller
// got this far with the admin token). A snapshot without it restores with the current one.
export const getSnapshot = adminRoute("Simulator", "getSnapshot", "GET /_sim/snapshot", {
  summary: "The whole simulator state as one document",
  responses: { 200: ok("The state", SimState) },
}).handle(({ port }) => port.capture({ withSecret: port.settings().server.adminToken !== undefined }));

export const putSnapshot = adminRoute("Simulator", "putSnapshot", "PUT /_sim/snapshot", {
  summary: "Restore a state document taken from the same inventory",
  body: { schema: SimState, read: "document", maxDepth: STATE_MAX_DEPTH },
  responses: { 204: noContent, ...BAD_BODY },
}).handle(async ({ port, body }) => {
  try {
    await port.restore(await body());
  } catch (error) {
    if (error instanceof StateError)
      throw new ProblemError(400, error.message, "Missing or malformed parameter");
    throw error;
  }
});

export const reset = adminRoute("Simulator", "reset", "POST /_sim/reset", {
  summary: "Back to the generated inventory; CMO state and journal cleared",
  responses: { 204: noContent },
}).handle(({ port }) => port.reset());

export const revokeTokens = adminRoute("Simulator", "revokeTokens", "POST /_sim/tokens/revoke", {
  summary: "Refuse the tokens issued so far: a CMO client's (or all), or a platform's",
  body: { schema: RevokeBody, read: "optional" },
  responses: { 200: ok("What was revoked", Revoked), 400: BAD_BODY[400], ...NO_PLATFORM },
}).handle(async ({ port, body: read }) => {
  const body = await read();
  if (body.platform)
    return { platform: body.platform, revoked: await slotOf(port, body.platform).runtime.revokeTokens() };
  await port.revokeClientTokens(body.clientId);
  return { revoked: body.clientId ?? "all clients" };
});

export const listMonitors = adminRoute("Journal", "listMonitors", "GET /_sim/monitors", {
  summary: "CMO monitors, newest last",
  query: MonitorsQuery,
  responses: { 200: ok("Monitors", MonitorList), ...BAD_QUERY },
}).handle(async ({ port, query }) => {
  const { tenant, limit = 100 } = query();
  const records = (await port.monitors.all()).filter((m) => tenant === undefined || m.tenant === tenant);
  return {
    inFlight: await port.monitors.inFlightCount(),
    outcomes: await port.monitors.outcomes(),
    monitors: records.slice(-limit).map(monitorView),
  };
});
