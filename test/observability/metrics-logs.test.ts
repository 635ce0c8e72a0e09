import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { PlatformProfileInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { CmoTestClient, deviceIn } from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

const lines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
    done();
  },
});
// Two calls a second: raw carrier 429s from 1NCE for the native counters, while AIRLINQ's calls are
// paced by the CMO.
const twoASecond: PlatformProfileInput = {
  latency: 0,
  rateLimits: [{ name: "second", limit: 2, windowMs: 1000, algorithm: "fixed-window" }],
};
const server = await startServer(
  {
    platforms: {
      ...quietPlatforms(),
      "1NCE": { profile: { ...twoASecond, pacing: { passThrough: true } } },
      AIRLINQ: { profile: twoASecond },
    },
  },
  { clock: new VirtualClock(Date.UTC(2026, 10, 1)), logger: pino({ level: "debug" }, sink) },
);
const client = new CmoTestClient(server.request);

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(" ").at(-1)) : undefined;
}

describe("metrics and logs", () => {
  it("counts requests by face, route and status, rate-limit rejections, pacing, faults and monitors in flight", async () => {
    const once = await deviceIn(server.sim, "1NCE", "ACTIVE");
    for (let i = 0; i < 4; i++) await client.get(`/product/${once.productId}-simCard`);
    const airlinq = await deviceIn(server.sim, "AIRLINQ", "ACTIVE");
    const paced = [];
    for (let i = 0; i < 4; i++)
      paced.push((await client.get(`/product/${airlinq.productId}-simCard`)).status);
    const tmsp = await deviceIn(server.sim, "TMSP", "ACTIVE");
    expect((await client.setStatus(`${tmsp.productId}-simCard`, "SUSPENDED")).status).toBe(202);
    await server.admin("POST", "/platforms/STC/outage");
    const stc = await deviceIn(server.sim, "STC", "ACTIVE");
    expect((await client.get(`/product/${stc.productId}`)).status).toBe(503);

    const res = await server.request("/metrics");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(
      sample(text, "cmo_sim_http_requests_total", {
        face: "cmo",
        route: "/api-gw/connection-management-orchestrator/v5/:tenant/product/:id",
        status: "200",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, "cmo_sim_http_requests_total", { face: "cmo", status: "429", platform: "1NCE" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, "cmo_sim_http_requests_total", {
        face: "platform",
        platform: "1NCE",
        caller: "cmo-adapter",
        status: "429",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, "cmo_sim_rate_limit_rejections_total", { platform: "1NCE", rule: "second" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, "cmo_sim_faults_injected_total", { platform: "STC", kind: "outage" }),
    ).toBeGreaterThanOrEqual(1);
    // Two reads fit AIRLINQ's two a second; on a manual clock nothing waits, so the rest are refused
    // by the CMO before they reach the carrier. The token request went through the queue too.
    expect(paced).toEqual([200, 200, 429, 429]);
    expect(sample(text, "cmo_sim_pacing_refusals_total", { platform: "AIRLINQ", reason: "rate" })).toBe(2);
    expect(sample(text, "cmo_sim_pacing_wait_seconds_count", { platform: "AIRLINQ" })).toBe(3);
    expect(sample(text, "cmo_sim_pacing_queue_depth", { platform: "AIRLINQ" })).toBe(0);
    expect(
      sample(text, "cmo_sim_http_requests_total", { face: "platform", platform: "AIRLINQ", status: "429" }),
    ).toBeUndefined();
    expect(text).toMatch(/^cmo_sim_monitors_in_flight 1$/m);
    expect(sample(text, "cmo_sim_native_operations_in_flight", { platform: "TMSP" })).toBe(1);
    expect(text).toContain('cmo_sim_http_request_duration_seconds_bucket{le="0.005",face="cmo"');
    expect(text).toContain("cmo_sim_process_cpu_seconds_total");
  });

  it("logs each request as JSON with its request id and the correlationId the client got", async () => {
    const device = await deviceIn(server.sim, "JASPER", "ACTIVE");
    const res = await client.call("GET", `/product/${device.productId}-simCard`, {
      headers: { "x-request-id": "req-42" },
    });
    expect(res.headers.get("x-request-id")).toBe("req-42");
    const line = lines.find((l) => l.requestId === "req-42");
    expect(line).toMatchObject({
      msg: "request",
      face: "cmo",
      method: "GET",
      status: 200,
      platform: "JASPER",
      correlationId: res.body.correlationId,
    });
    const generated = await server.request("/health");
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
