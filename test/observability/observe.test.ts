import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { Journal } from "../../src/observability/journal.js";
import type { Logger } from "../../src/observability/log.js";
import type { Metrics } from "../../src/observability/metrics.js";
import { observeRequests } from "../../src/observability/observe.js";
import { MemoryStore } from "../../src/store/store.js";

const BASE = "/api-gw/cmo/v5/{tenant}";

/** An app observed through plain ports: a virtual clock, a journal, a recording metrics observer and log. */
function observed() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const journal = new Journal(new MemoryStore(), 100);
  const observations: Array<[Parameters<Metrics["observe"]>[0], number]> = [];
  const logged: Array<[string, Record<string, unknown>]> = [];
  const logger = {
    debug: (line: Record<string, unknown>) => logged.push(["debug", line]),
    warn: (line: Record<string, unknown>) => logged.push(["warn", line]),
  } as unknown as Logger;
  const metrics = { observe: (labels, seconds) => observations.push([labels, seconds]) } satisfies Pick<
    Metrics,
    "observe"
  >;
  const app = new Hono();
  app.use("*", observeRequests({ clock, journal, metrics, cmoBasePath: BASE }, logger));
  app.get("/api-gw/cmo/v5/:tenant/product/:id", async (c) => {
    await clock.advance(250);
    c.set("correlationId", "corr-1");
    return c.json({ id: c.req.param("id") });
  });
  app.get("/_sim/clock", (c) => c.text("boom", 500));
  app.get("/platforms/tmsp/devices", (c) => c.text("native"));
  return { app, journal, observations, logged };
}

describe("request observation through its ports", () => {
  it("journals, counts and logs a CMO call with its platform, simulated latency and request id", async () => {
    const { app, journal, observations, logged } = observed();
    const res = await app.request("/api-gw/cmo/v5/eos/product/TMSP-8949-simCard", {
      headers: { "x-request-id": "req-7" },
    });
    expect(res.headers.get("x-request-id")).toBe("req-7");
    expect(await journal.find()).toEqual([
      {
        seq: 1,
        at: Date.UTC(2026, 0, 1),
        face: "cmo",
        platform: "TMSP",
        method: "GET",
        path: "/api-gw/cmo/v5/eos/product/TMSP-8949-simCard",
        status: 200,
        latencyMs: 250,
        caller: "client",
      },
    ]);
    expect(observations).toEqual([
      [
        {
          face: "cmo",
          route: "/api-gw/cmo/v5/:tenant/product/:id",
          method: "GET",
          status: 200,
          platform: "TMSP",
          caller: "client",
        },
        0.25,
      ],
    ]);
    expect(logged).toEqual([
      [
        "debug",
        expect.objectContaining({ requestId: "req-7", correlationId: "corr-1", face: "cmo", latencyMs: 250 }),
      ],
    ]);
  });

  it("warns of a failed admin call, gives a request without an id a new one, and leaves native traffic alone", async () => {
    const { app, journal, observations, logged } = observed();
    const failed = await app.request("/_sim/clock");
    expect(failed.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await app.request("/platforms/tmsp/devices");
    expect((await journal.find()).map((e) => [e.face, e.path, e.status])).toEqual([
      ["admin", "/_sim/clock", 500],
    ]);
    expect(observations).toHaveLength(1);
    expect(logged.map(([level, line]) => [level, line.face, line.status])).toEqual([["warn", "admin", 500]]);
  });
});
