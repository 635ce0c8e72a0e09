import { createClient } from "@redis/client";
import { afterAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { CmoTestClient, deviceIn } from "../helpers/cmo.js";
import { DocumentChecker } from "../helpers/openapi.js";
import { quietPlatforms, startServer, type TestServer } from "../helpers/server.js";
import { startRedis } from "../setup/redis.js";

/** Real admin answers against the admin document, every documented (operation, status) reached. */
const server = await startServer(
  { platforms: quietPlatforms() },
  { clock: new VirtualClock(Date.UTC(2026, 2, 1)) },
);
const checker = new DocumentChecker(await (await server.request("/_sim/openapi.json")).json());

async function admin(
  method: string,
  path: string,
  status: number,
  body?: unknown,
  type?: string,
  target: TestServer = server,
) {
  const template = checker.templateFor(method, path);
  const headers: Record<string, string> = {};
  // The admin API wants JSON on every call that changes something, body or not.
  if (body !== undefined || (method !== "GET" && method !== "DELETE"))
    headers["content-type"] = type ?? "application/json";
  const res = await target.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.clone().text();
  expect(res.status, `${method} ${path}: ${text.slice(0, 300)}`).toBe(status);
  expect(await checker.response(method, template, res), `${method} ${path} ${status}`).toEqual([]);
  if (status < 300 && body !== undefined)
    expect(checker.requestBody(method, template, body, type)).toEqual([]);
  return res;
}

const device = await deviceIn(server.sim, "TMSP", "ACTIVE");

// A replica on a shared store: the answers only a shared world gives.
const redis = await startRedis();
const connection = createClient({ url: redis.url });
connection.on("error", () => {});
const replica = await startServer(
  { platforms: quietPlatforms() },
  {
    clock: new VirtualClock(Date.UTC(2026, 2, 1)),
    store: new RedisStore(await connection.connect(), "admin-doc"),
  },
);
afterAll(async () => {
  connection.destroy();
  await redis.stop();
});

describe("the admin document against real answers", () => {
  it("platforms, profiles, faults, latency and outages", async () => {
    await admin("GET", "/_sim", 200);
    await admin("GET", "/_sim/platforms", 200);
    await admin("GET", "/_sim/platforms/tmsp", 200);
    await admin("GET", "/_sim/platforms/nope", 404);
    const profile = {
      latency: { type: "uniform", lower: 1, upper: 5 },
      rateLimits: [{ name: "s", limit: 5, windowMs: 1000 }],
    };
    await admin("PATCH", "/_sim/platforms/TMSP/profile", 200, profile);
    await admin("PATCH", "/_sim/platforms/TMSP/profile", 400, { latency: "slow" });
    await admin("PATCH", "/_sim/platforms/NOPE/profile", 404, profile);
    await admin("PATCH", "/_sim/platforms/TMSP/profile", 415, "latency", "text/plain");
    await admin("PUT", "/_sim/platforms/TMSP/profile", 200, {
      transfer: false,
      maxConcurrent: 2,
    });
    await admin("PUT", "/_sim/platforms/TMSP/profile", 400, { colour: "blue" });
    await admin("PUT", "/_sim/platforms/NOPE/profile", 404, {});
    await admin("PUT", "/_sim/platforms/TMSP/profile", 415, "{}", "text/plain");
    await admin("DELETE", "/_sim/platforms/TMSP/profile", 200);
    await admin("DELETE", "/_sim/platforms/NOPE/profile", 404);
    await admin("PUT", "/_sim/platforms/1NCE/faults", 200, {
      operation: "read",
      faults: { errorRate: 0.5 },
    });
    await admin("PUT", "/_sim/platforms/1NCE/faults", 400, { faults: { errorRate: 2 } });
    await admin("PUT", "/_sim/platforms/NOPE/faults", 404, { faults: {} });
    await admin("PUT", "/_sim/platforms/1NCE/faults", 415, "{}", "text/plain");
    await admin("PUT", "/_sim/platforms/1NCE/latency", 200, { latency: 25 });
    await admin("PUT", "/_sim/platforms/1NCE/latency", 400, { latency: -1 });
    await admin("PUT", "/_sim/platforms/NOPE/latency", 404, { latency: 1 });
    await admin("PUT", "/_sim/platforms/1NCE/latency", 415, "1", "text/plain");
    await admin("DELETE", "/_sim/platforms/1NCE/profile", 200);
    await admin("POST", "/_sim/platforms/STC/outage", 201);
    await admin("DELETE", "/_sim/platforms/STC/outage", 200);
    await admin("POST", "/_sim/platforms/STC/outage", 201, {
      durationMs: 60_000,
      status: 502,
    });
    await admin("POST", "/_sim/platforms/STC/outage", 400, { status: 200 });
    await admin("POST", "/_sim/platforms/NOPE/outage", 404);
    await admin("DELETE", "/_sim/platforms/STC/outage", 200);
    await admin("DELETE", "/_sim/platforms/STC/outage", 409);
    await admin("DELETE", "/_sim/platforms/NOPE/outage", 404);
  });

  it("devices", async () => {
    await admin("GET", "/_sim/platforms/TMSP/devices?limit=3", 200);
    await admin("GET", "/_sim/platforms/INTELSAT/devices?limit=2&offset=1&status=ACTIVE", 200);
    await admin("GET", "/_sim/platforms/TMSP/devices?limit=x", 400);
    await admin("GET", "/_sim/platforms/TMSP/devices?account=nobody", 404);
    await admin("PUT", `/_sim/platforms/TMSP/devices/${device.nativeId}`, 200, { status: "SUSPENDED" });
    await admin("PUT", `/_sim/platforms/TMSP/devices/${device.nativeId}`, 400, { status: "ASLEEP" });
    await admin("PUT", "/_sim/platforms/TMSP/devices/123", 404, { status: "ACTIVE" });
    await admin("PUT", `/_sim/platforms/TMSP/devices/${device.nativeId}`, 415, "ACTIVE", "text/plain");
  });

  it("clock, journal, monitors, tokens, snapshots, reset and inventory", async () => {
    await admin("GET", "/_sim/clock", 200);
    await admin("POST", "/_sim/clock/advance", 200, { ms: 1000 });
    await admin("POST", "/_sim/clock/advance", 200, { to: "2026-03-01T01:00:00Z" });
    await admin("POST", "/_sim/clock/advance", 400, { to: "2020-01-01T00:00:00Z" });
    await admin("POST", "/_sim/clock/advance", 415, "1", "text/plain");
    const real = createSimulator({});
    const res = await real.fetch(
      new Request("http://sim/_sim/clock/advance", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"ms":1}',
      }),
    );
    expect(res.status).toBe(409);
    expect(await checker.response("POST", "/_sim/clock/advance", res)).toEqual([]);

    const client = new CmoTestClient(server.request);
    expect(
      (
        await client.setStatus(
          `${(await deviceIn(server.sim, "TMSP", "ACTIVE", "eos", 1)).productId}-simCard`,
          "SUSPENDED",
        )
      ).status,
    ).toBe(202);
    await admin("GET", "/_sim/journal?face=cmo&limit=5&since=1&status=202", 200);
    await admin("GET", "/_sim/journal?limit=-1", 400);
    await admin("DELETE", "/_sim/journal", 204);
    await admin("GET", "/_sim/monitors?tenant=eos", 200);
    await admin("GET", "/_sim/monitors?limit=many", 400);

    await admin("POST", "/_sim/tokens/revoke", 200);
    await admin("POST", "/_sim/tokens/revoke", 200, { platform: "TMSP" });
    await admin("POST", "/_sim/tokens/revoke", 400, { everyone: true });
    await admin("POST", "/_sim/tokens/revoke", 404, { platform: "NOPE" });

    const snapshot = await (await admin("GET", "/_sim/snapshot", 200)).json();
    await admin("PUT", "/_sim/snapshot", 204, snapshot);
    await admin("PUT", "/_sim/snapshot", 400, { kind: "something else" });
    await admin("PUT", "/_sim/snapshot", 415, "{}", "text/plain");
    await admin("POST", "/_sim/reset", 204);

    await admin("GET", "/_sim/inventory", 200);
    await admin("POST", "/_sim/inventory", 200, { size: 50 });
    await admin("POST", "/_sim/inventory", 400, { size: -1 });
    await admin("POST", "/_sim/inventory", 415, "{}", "text/plain");
  });

  it("refuses to re-seed a world that replicas share", async () => {
    await admin("POST", "/_sim/inventory", 409, { seed: 2 }, undefined, replica);
  });

  it("health, metrics and the documents themselves", async () => {
    await admin("GET", "/health", 200);
    await admin("GET", "/metrics", 200);
    await admin("GET", "/openapi.json", 200);
    await admin("GET", "/_sim/openapi.json", 200);
    await admin("GET", "/platforms/galaxy1/openapi.json", 200);
    await admin("GET", "/platforms/nope/openapi.json", 404);
    await admin("GET", "/docs", 200);
    await admin("GET", "/docs/assets/swagger-ui.css", 200);
    await admin("GET", "/docs/assets/secrets.txt", 404);
  });

  it("documents what the handlers accept and refuses what they refuse", async () => {
    const device = await deviceIn(server.sim, "TMSP", "ACTIVE");
    const refused: Array<[string, string, unknown]> = [
      ["PATCH", "/_sim/platforms/TMSP/profile", { asyncTimeline: [] }],
      ["PUT", "/_sim/platforms/TMSP/faults", { operation: "dance", faults: {} }],
      ["POST", "/_sim/platforms/TMSP/outage", { durationMs: 0 }],
      ["PUT", `/_sim/platforms/TMSP/devices/${device.nativeId}`, { status: "ACTIVE", nativeStatus: "x" }],
      ["POST", "/_sim/clock/advance", { ms: -5 }],
      ["POST", "/_sim/inventory", { seed: 1.5 }],
    ];
    for (const [method, path, body] of refused) {
      expect(
        checker.requestBody(method, checker.templateFor(method, path), body),
        JSON.stringify(body),
      ).not.toEqual([]);
      await admin(method, path, 400, body);
    }
  });

  it("has reached every documented status", () => {
    expect(checker.documented().filter((key) => !checker.seen.has(key))).toEqual([]);
  });
});
