import { beforeEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { startServer } from "../helpers/server.js";

const server = await startServer(
  { journal: { maxEntries: 50 } },
  { clock: new VirtualClock(Date.UTC(2026, 2, 1)) },
);
const json = { "content-type": "application/json" };

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await server.request(`/_sim${path}`, {
    method,
    headers: method === "GET" || method === "DELETE" ? {} : json,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

function expectProblem(res: { status: number; body: any }, status: number, detail: RegExp) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({
    status,
    "@type": "problem",
    externalErrors: [],
    traceId: expect.any(String),
  });
  expect(res.body.detail).toMatch(detail);
}

describe("admin API", () => {
  beforeEach(async () => {
    expect((await call("POST", "/reset")).status).toBe(204);
    for (const slot of server.sim.world.platforms.values()) await slot.runtime.setProfileOverride(undefined);
  });

  it("lists its endpoints", async () => {
    const res = await call("GET", "");
    expect(res.body.endpoints).toContain("POST /_sim/clock/advance");
  });

  it("shows every platform with its live profile, limits and accounts", async () => {
    const res = await call("GET", "/platforms");
    expect(res.status).toBe(200);
    const codes = res.body.map((p: { code: string }) => p.code);
    expect(codes).toEqual([...server.sim.world.platforms.keys()]);
    const once = res.body.find((p: { code: string }) => p.code === "1NCE");
    expect(once).toMatchObject({
      cmoMode: "sync",
      transport: "in-process",
      basePath: "/platforms/1nce",
      outage: null,
    });
    expect(once.profile.rateLimits).toEqual([
      { name: "second", limit: 10, windowMs: 1000, algorithm: "fixed-window" },
    ]);
    expect(once.accounts).toHaveLength(2);
    expect(once.accounts[0]).toMatchObject({
      size: 100,
      devices: 100,
      rateLimits: [{ rule: "second", remaining: 10 }],
    });
    expectProblem(await call("GET", "/platforms/NOPE"), 404, /No platform NOPE/);
  });

  it("patches, replaces and clears a live profile, validating it", async () => {
    const patched = await call("PATCH", "/platforms/1nce/profile", {
      latency: { type: "fixed", milliseconds: 5 },
      faults: { errorRate: 0.5 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.profile.latency).toEqual({ type: "fixed", milliseconds: 5 });
    expect(patched.body.profile.faults.errorRate).toBe(0.5);
    const again = await call("PATCH", "/platforms/1nce/profile", { faults: { errorStatus: 502 } });
    expect(again.body.profile.faults).toMatchObject({ errorRate: 0.5, errorStatus: 502 });
    expectProblem(
      await call("PATCH", "/platforms/1nce/profile", { faults: { errorRate: 2 } }),
      400,
      /body\.faults\.errorRate: errorRate cannot exceed 1/,
    );
    expectProblem(
      await call("PATCH", "/platforms/1nce/profile", { latency: { type: "sometimes" } }),
      400,
      /body\.latency/,
    );
    const replaced = await call("PUT", "/platforms/1nce/profile", { rateLimits: [] });
    expect(replaced.body.override).toEqual({ rateLimits: [] });
    expect(replaced.body.profile.faults.errorRate).toBe(0);
    const cleared = await call("DELETE", "/platforms/1nce/profile");
    expect(cleared.body.override).toBeNull();
    expect(cleared.body.profile.rateLimits).toHaveLength(1);
  });

  it("sets faults and latency per platform or per operation", async () => {
    const faults = await call("PUT", "/platforms/1nce/faults", {
      operation: "changeStatus",
      faults: { errorRate: 1, errorStatus: 503 },
    });
    expect(faults.body.profile.operations.changeStatus.faults).toEqual({ errorRate: 1, errorStatus: 503 });
    const latency = await call("PUT", "/platforms/1nce/latency", {
      latency: { type: "uniform", lower: 1, upper: 2 },
    });
    expect(latency.body.profile.latency).toEqual({ type: "uniform", lower: 1, upper: 2 });
    expectProblem(
      await call("PUT", "/platforms/1nce/faults", { operation: "fly", faults: {} }),
      400,
      /operation/,
    );
    const wrongType = await server.request("/_sim/platforms/1nce/latency", {
      method: "PUT",
      headers: { "content-type": "text/plain" },
      body: "5",
    });
    expect(wrongType.status).toBe(415);
  });

  it("starts and stops an outage, which the platform then answers with", async () => {
    const started = await call("POST", "/platforms/1nce/outage", { reason: "maintenance" });
    expect(started.status).toBe(201);
    expect(started.body.outage).toMatchObject({ status: 503, reason: "maintenance" });
    const native = await server.request("/platforms/1nce/management-api/v1/sims", {
      headers: { authorization: "Bearer x" },
    });
    expect(native.status).toBe(503);
    expect(await native.json()).toMatchObject({
      error_token: "ServiceUnavailable",
      message: "Service unavailable: maintenance",
    });
    const stopped = await call("DELETE", "/platforms/1nce/outage");
    expect(stopped.body.outage).toBeNull();
    expectProblem(await call("DELETE", "/platforms/1nce/outage"), 409, /no outage in progress/);
    expectProblem(await call("POST", "/platforms/1nce/outage", { durationMs: -5 }), 400, /durationMs/);
    const timed = await call("POST", "/platforms/1nce/outage", { durationMs: 60_000, status: 502 });
    expect(timed.body.outage.end - timed.body.outage.start).toBe(60_000);
    await call("DELETE", "/platforms/1nce/outage");
    // Durations read as in scenario files.
    const text = await call("POST", "/platforms/1nce/outage", { durationMs: "5m" });
    expect(text.body.outage.end - text.body.outage.start).toBe(300_000);
  });

  it("takes a bodiless outage or revocation as defaults, and refuses one that is not JSON", async () => {
    const bare = await server.admin("POST", "/platforms/stc/outage");
    expect(bare.status).toBe(201);
    expect(((await bare.json()) as { outage: { status: number } }).outage.status).toBe(503);
    const revoked = await server.admin("POST", "/tokens/revoke");
    expect(await revoked.json()).toEqual({ revoked: "all clients" });
    for (const path of ["/platforms/stc/outage", "/tokens/revoke"]) {
      const res = await server.request(`/_sim${path}`, { method: "POST", headers: json, body: "{reason" });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/^Malformed JSON/);
    }
    await call("DELETE", "/platforms/stc/outage");
  });

  it("lists and sets devices directly", async () => {
    const page = await call("GET", "/platforms/1nce/devices?limit=3&offset=10");
    expect(page.body).toMatchObject({ platform: "1NCE", total: 100 });
    expect(page.body.devices).toHaveLength(3);
    const device = page.body.devices[0];
    const set = await call("PUT", `/platforms/1nce/devices/${device.nativeId}`, {
      status: device.status === "ACTIVE" ? "SUSPENDED" : "ACTIVE",
    });
    expect(set.status).toBe(200);
    expect(set.body.status).not.toBe(device.status);
    const native = await call("PUT", `/platforms/1nce/devices/${device.nativeId}`, {
      nativeStatus: "Enabled",
    });
    expect(native.body).toMatchObject({ nativeStatus: "Enabled", status: "ACTIVE" });
    expectProblem(
      await call("PUT", `/platforms/1nce/devices/${device.nativeId}`, { status: "BLOCKED" }),
      400,
      /no status/,
    );
    expectProblem(
      await call("PUT", "/platforms/1nce/devices/123", { status: "ACTIVE" }),
      404,
      /no device 123/,
    );
    const suspended = await call("GET", "/platforms/1nce/devices?status=SUSPENDED&limit=1000");
    expect(suspended.body.devices.every((d: { status: string }) => d.status === "SUSPENDED")).toBe(true);
    expect(suspended.body.total).toBe(suspended.body.devices.length);
    expectProblem(
      await call("GET", "/platforms/1nce/devices?limit=ten"),
      400,
      /limit must be a whole number/,
    );
  });

  it("moves a manual clock and refuses to move it backwards", async () => {
    const before = (await call("GET", "/clock")).body;
    expect(before).toMatchObject({ kind: "virtual" });
    const after = await call("POST", "/clock/advance", { ms: 90_000 });
    expect(after.body.now).toBe(before.now + 90_000);
    const to = await call("POST", "/clock/advance", { to: new Date(before.now + 100_000).toISOString() });
    expect(to.body.now).toBe(before.now + 100_000);
    expect((await call("POST", "/clock/advance", { ms: "1m30s" })).body.now).toBe(before.now + 190_000);
    expectProblem(
      await call("POST", "/clock/advance", { to: new Date(before.now).toISOString() }),
      400,
      /Cannot move the clock back/,
    );
    expectProblem(await call("POST", "/clock/advance", { ms: "soon" }), 400, /ms: expected a duration/);
  });

  it("keeps a bounded, filterable journal", async () => {
    for (let i = 0; i < 60; i++)
      await server.request("/platforms/1nce/management-api/v1/sims", {
        headers: { authorization: "Bearer nope" },
      });
    const all = await call("GET", "/journal?limit=1000");
    expect(all.body.size).toBe(50);
    const filtered = await call("GET", "/journal?platform=1nce&status=401&limit=5");
    expect(filtered.body.entries).toHaveLength(5);
    expect(filtered.body.entries[0]).toMatchObject({
      face: "platform",
      platform: "1NCE",
      method: "GET",
      path: "/management-api/v1/sims",
      status: 401,
      caller: "client",
    });
    expect((await call("DELETE", "/journal")).status).toBe(204);
    // The DELETE itself is the first entry of the new journal; nothing of what came before is left.
    expect((await call("GET", "/journal?face=platform")).body.entries).toEqual([]);
    expectProblem(await call("GET", "/journal?status=abc"), 400, /status must be a whole number/);
  });

  it("exports a snapshot and imports it back, refusing a foreign or broken one", async () => {
    const device = (await call("GET", "/platforms/1nce/devices?limit=1")).body.devices[0];
    await call("PUT", `/platforms/1nce/devices/${device.nativeId}`, { nativeStatus: "Disabled" });
    const snapshot = (await call("GET", "/snapshot")).body;
    expect(snapshot).toMatchObject({ kind: "cmo-sim-state", version: 2 });
    await call("PUT", `/platforms/1nce/devices/${device.nativeId}`, { nativeStatus: "Enabled" });
    expect((await call("PUT", "/snapshot", snapshot)).status).toBe(204);
    expect((await call("GET", "/platforms/1nce/devices?limit=1")).body.devices[0].nativeStatus).toBe(
      "Disabled",
    );
    expectProblem(
      await call("PUT", "/snapshot", { ...snapshot, inventoryKey: "other" }),
      400,
      /another inventory/,
    );
    expectProblem(
      await call("PUT", "/snapshot", { ...snapshot, kind: "wiremock" }),
      400,
      /not a cmo-sim state file/,
    );
    expectProblem(
      await call("PUT", "/snapshot", { ...snapshot, platforms: { "1NCE": { overlays: 5 } } }),
      400,
      /platforms\.1NCE/,
    );
    expect((await call("GET", "/platforms/1nce/devices?limit=1")).body.devices[0].nativeStatus).toBe(
      "Disabled",
    );
    const bad = await server.request("/_sim/snapshot", { method: "PUT", headers: json, body: "{not json" });
    expect(bad.status).toBe(400);
  });

  it("re-seeds the inventory and shows it", async () => {
    const first = (await call("GET", "/platforms/1nce/devices?limit=1")).body.devices[0].nativeId;
    const res = await call("POST", "/inventory", { seed: 77, size: 10 });
    expect(res.body.seed).toBe(77);
    const inventory = (await call("GET", "/inventory")).body;
    expect(inventory.seed).toBe(77);
    expect(inventory.tenants[0].accounts[0].size).toBe(10);
    expect((await call("GET", "/platforms/1nce/devices?limit=1")).body.devices[0].nativeId).not.toBe(first);
    expectProblem(await call("POST", "/inventory", { size: -1 }), 400, /size/);
    await call("POST", "/inventory", { seed: 1, size: 100 });
  });

  it("revokes tokens", async () => {
    expect((await call("POST", "/tokens/revoke", {})).body).toEqual({ revoked: "all clients" });
    expect((await call("POST", "/tokens/revoke", { platform: "1NCE" })).body).toMatchObject({
      platform: "1NCE",
      revoked: expect.any(Number),
    });
    expectProblem(await call("POST", "/tokens/revoke", { clientId: 5 }), 400, /clientId/);
  });

  it("answers unknown admin paths with a problem", async () => {
    expectProblem(await call("GET", "/nothing-here"), 404, /No resource at GET \/_sim\/nothing-here/);
  });
});
