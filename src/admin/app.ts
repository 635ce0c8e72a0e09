import { Hono } from "hono";
import { mergeDeep } from "../../simulators/shared/profile.js";
import { ConfigError } from "../config/errors.js";
import { PlatformProfile } from "../config/schema.js";
import { createDashboardApp } from "../dashboard/app.js";
import type { VirtualClock } from "../engine/clock.js";
import { parseWith, readJsonBody, readOptionalJsonBody, readValidBody } from "../http/body.js";
import { ProblemError } from "../http/problem.js";
import { parseQuery } from "../http/query.js";
import type { Simulator } from "../server/simulator.js";
import { captureState, restoreState, STATE_MAX_DEPTH, StateError } from "../server/state.js";
import type { PlatformSlot } from "../server/world.js";
import { adminGuard } from "./guard.js";
import {
  AdvanceBody,
  DeviceBody,
  DevicesQuery,
  FaultsBody,
  InventoryBody,
  JournalQuery,
  LatencyBody,
  MonitorsQuery,
  OutageBody,
  RevokeBody,
} from "./schemas.js";
import { deviceView, monitorView, platformView } from "./views.js";

/**
 * The simulator's control plane under /_sim: live platform profiles, outages and faults, the
 * clock, the inventory, the request journal and state snapshots. Its errors use the CMO problem shape.
 */
export function createAdminApp(sim: Simulator): Hono {
  const app = new Hono();
  const { server } = sim.config;
  // The dashboard page and its login answer a person in HTML; they check the token themselves.
  app.use(
    "*",
    adminGuard(
      () => ({ token: server.adminToken, allowedHosts: server.allowedHosts }),
      (c) => /^\/_sim\/ui\/?(login)?$/.test(c.req.path),
    ),
  );

  const slotOf = (code: string): PlatformSlot => {
    const slot = sim.world.platform(code.toUpperCase());
    if (!slot)
      throw new ProblemError(
        404,
        `No platform ${code}; platforms: ${[...sim.world.platforms.keys()].join(", ")}`,
      );
    return slot;
  };

  app.get("/", (c) =>
    c.json({
      endpoints: [
        "GET /_sim/platforms",
        "GET /_sim/platforms/{code}",
        "PATCH|PUT|DELETE /_sim/platforms/{code}/profile",
        "PUT /_sim/platforms/{code}/faults",
        "PUT /_sim/platforms/{code}/latency",
        "POST|DELETE /_sim/platforms/{code}/outage",
        "GET /_sim/platforms/{code}/devices",
        "PUT /_sim/platforms/{code}/devices/{nativeId}",
        "GET|POST /_sim/inventory",
        "GET /_sim/clock",
        "POST /_sim/clock/advance",
        "GET|DELETE /_sim/journal",
        "GET|PUT /_sim/snapshot",
        "POST /_sim/reset",
        "POST /_sim/tokens/revoke",
        "GET /_sim/monitors",
        "GET /_sim/ui",
      ],
    }),
  );

  app.get("/platforms", (c) => c.json([...sim.world.platforms.values()].map(platformView)));
  app.get("/platforms/:code", (c) => c.json(platformView(slotOf(c.req.param("code")))));

  app.patch("/platforms/:code/profile", async (c) => {
    const slot = slotOf(c.req.param("code"));
    const patch = await readValidBody(c, PlatformProfile);
    slot.runtime.setProfileOverride(
      parseWith(
        PlatformProfile,
        mergeDeep(slot.runtime.profileOverride ?? {}, patch, new Set(["latency", "duration", "transitions"])),
      ),
    );
    return c.json(platformView(slot));
  });
  app.put("/platforms/:code/profile", async (c) => {
    const slot = slotOf(c.req.param("code"));
    slot.runtime.setProfileOverride(await readValidBody(c, PlatformProfile));
    return c.json(platformView(slot));
  });
  app.delete("/platforms/:code/profile", (c) => {
    const slot = slotOf(c.req.param("code"));
    slot.runtime.setProfileOverride(undefined);
    return c.json(platformView(slot));
  });

  app.put("/platforms/:code/faults", async (c) => {
    const slot = slotOf(c.req.param("code"));
    const { operation, faults } = await readValidBody(c, FaultsBody);
    const patch = operation ? { operations: { [operation]: { faults } } } : { faults };
    slot.runtime.setProfileOverride(mergeDeep(slot.runtime.profileOverride ?? {}, patch));
    return c.json(platformView(slot));
  });
  app.put("/platforms/:code/latency", async (c) => {
    const slot = slotOf(c.req.param("code"));
    const { operation, latency } = await readValidBody(c, LatencyBody);
    const patch = operation ? { operations: { [operation]: { latency } } } : { latency };
    slot.runtime.setProfileOverride(
      mergeDeep(slot.runtime.profileOverride ?? {}, patch, new Set(["latency"])),
    );
    return c.json(platformView(slot));
  });

  app.post("/platforms/:code/outage", async (c) => {
    const slot = slotOf(c.req.param("code"));
    const body = parseWith(OutageBody, await readOptionalJsonBody(c));
    const start = sim.clock.now();
    slot.runtime.outages.add({
      start,
      end: body.durationMs === undefined ? undefined : start + body.durationMs,
      status: body.status,
      reason: body.reason,
    });
    return c.json(platformView(slot), 201);
  });
  app.delete("/platforms/:code/outage", (c) => {
    const slot = slotOf(c.req.param("code"));
    const ended = slot.runtime.outages.stopAt(sim.clock.now());
    if (ended === 0) throw new ProblemError(409, `${slot.runtime.code} has no outage in progress`);
    return c.json(platformView(slot));
  });

  app.get("/platforms/:code/devices", async (c) => {
    const { runtime } = slotOf(c.req.param("code"));
    const query = parseQuery(c, DevicesQuery);
    const accountId = query.account ?? [...runtime.accounts.keys()][0];
    if (!accountId || !runtime.accounts.has(accountId))
      throw new ProblemError(404, `${runtime.code} has no account ${accountId}`);
    const { offset = 0, limit = 100, status } = query;
    const filter = status
      ? (d: { cmoStatus: string; nativeStatus: string }) =>
          d.cmoStatus === status || d.nativeStatus === status
      : undefined;
    const { total, devices } = filter
      ? await runtime.scanDevices(accountId, filter, offset, limit)
      : { total: runtime.countDevices(accountId), devices: runtime.listDevices(accountId, offset, limit) };
    return c.json({
      platform: runtime.code,
      account: accountId,
      total,
      devices: devices.map((d) => deviceView(runtime, d)),
    });
  });

  /** Puts a device in a status directly (provider states, test set-up); platform rules are bypassed. */
  app.put("/platforms/:code/devices/:nativeId", async (c) => {
    const { runtime } = slotOf(c.req.param("code"));
    const nativeId = c.req.param("nativeId");
    const owner = [...runtime.accounts.keys()].find((id) => runtime.findDevice(id, nativeId));
    if (!owner) throw new ProblemError(404, `${runtime.code} has no device ${nativeId}`);
    const body = await readValidBody(c, DeviceBody);
    const vocabulary = runtime.definition.vocabulary;
    const nativeStatus =
      "nativeStatus" in body
        ? body.nativeStatus
        : (vocabulary.initial[body.status] ?? vocabulary.target[body.status]);
    if (nativeStatus === undefined || !(nativeStatus in vocabulary.toCmo)) {
      throw new ProblemError(
        400,
        `${runtime.code} has no status for ${JSON.stringify(body)}; native statuses: ${Object.keys(vocabulary.toCmo).join(", ")}`,
        "Invalid Action",
      );
    }
    runtime.setStatus(nativeId, nativeStatus);
    return c.json(deviceView(runtime, runtime.findDevice(owner, nativeId) as never));
  });

  app.get("/inventory", (c) =>
    c.json({
      seed: sim.config.seed,
      tenants: sim.world.tenants.map((t) => ({
        id: t.id,
        accounts: t.accounts.map((a) => ({ platform: a.platform, id: a.id, name: a.name, size: a.size })),
      })),
    }),
  );
  app.post("/inventory", async (c) => {
    const body = await readValidBody(c, InventoryBody);
    const tenants =
      body.tenants ??
      (body.size === undefined
        ? sim.config.tenants
        : sim.world.tenants.map((t) => ({
            ...t,
            accounts: t.accounts.map((a) => ({ ...a, size: body.size as number })),
          })));
    try {
      await sim.reseed({ ...(body.seed === undefined ? {} : { seed: body.seed }), tenants });
    } catch (error) {
      // The world is only swapped in once built: a refused inventory leaves the old one running.
      if (error instanceof ConfigError)
        throw new ProblemError(400, error.problems.join("; "), "Missing or malformed parameter");
      throw error;
    }
    return c.json({
      seed: sim.config.seed,
      tenants: sim.world.tenants.map((t) => ({
        id: t.id,
        accounts: t.accounts.length,
        devices: t.accounts.reduce((n, a) => n + a.size, 0),
      })),
    });
  });

  app.get("/clock", (c) =>
    c.json({
      kind: sim.clock.kind,
      mode: sim.config.clock,
      now: sim.clock.now(),
      iso: new Date(sim.clock.now()).toISOString(),
      timeScale: sim.config.timeScale,
      requestLatency: sim.applyLatency,
    }),
  );
  app.post("/clock/advance", async (c) => {
    if (sim.clock.kind !== "virtual")
      throw new ProblemError(
        409,
        "The clock is real; start with --clock manual to move it through the admin API",
      );
    const body = await readValidBody(c, AdvanceBody);
    const clock = sim.clock as VirtualClock;
    const target = "ms" in body ? clock.now() + body.ms : Date.parse(body.to);
    if (target < clock.now())
      throw new ProblemError(
        400,
        `Cannot move the clock back to ${new Date(target).toISOString()}`,
        "Invalid Action",
      );
    await clock.advanceTo(target);
    return c.json({
      kind: clock.kind,
      now: clock.now(),
      iso: new Date(clock.now()).toISOString(),
      pendingTimers: clock.pending,
    });
  });

  app.get("/journal", (c) => {
    const q = parseQuery(c, JournalQuery);
    const entries = sim.journal.find({
      face: q.face,
      platform: q.platform?.toUpperCase(),
      method: q.method,
      status: q.status,
      pathContains: q.path,
      since: q.since,
      limit: q.limit ?? 100,
    });
    return c.json({ size: sim.journal.size, entries });
  });
  app.delete("/journal", (c) => {
    sim.journal.clear();
    return c.body(null, 204);
  });

  app.get("/monitors", async (c) => {
    const { tenant, limit = 100 } = parseQuery(c, MonitorsQuery);
    const records = (await sim.cmo.monitors.all()).filter((m) => tenant === undefined || m.tenant === tenant);
    return c.json({
      inFlight: sim.cmo.monitors.inFlightCount(),
      outcomes: sim.cmo.monitors.outcomes(),
      monitors: records.slice(-limit).map(monitorView),
    });
  });

  app.route("/ui", createDashboardApp(sim));

  // The signing secret mints CMO tokens: it leaves only through a locked control plane (the caller
  // got this far with the admin token). A snapshot without it restores with the current one.
  app.get("/snapshot", async (c) =>
    c.json(await captureState(sim, { withSecret: server.adminToken !== undefined })),
  );
  app.put("/snapshot", async (c) => {
    try {
      await restoreState(sim, await readJsonBody(c, ["application/json"], STATE_MAX_DEPTH));
    } catch (error) {
      if (error instanceof StateError)
        throw new ProblemError(400, error.message, "Missing or malformed parameter");
      throw error;
    }
    return c.body(null, 204);
  });

  app.post("/reset", async (c) => {
    await sim.reset();
    return c.body(null, 204);
  });

  app.post("/tokens/revoke", async (c) => {
    const body = parseWith(RevokeBody, await readOptionalJsonBody(c));
    if (body.platform)
      return c.json({ platform: body.platform, revoked: slotOf(body.platform).runtime.revokeTokens() });
    sim.cmo.auth.revoke(body.clientId);
    return c.json({ revoked: body.clientId ?? "all clients" });
  });

  return app;
}
