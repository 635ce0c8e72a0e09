import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { CmoTestClient, deviceIn } from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

/** Spec (cmo-api.md §3): one platform's trouble stays on that platform. */

const clock = new VirtualClock(Date.UTC(2026, 5, 2, 9));
const server = await startServer({ platforms: quietPlatforms() }, { clock });
const client = new CmoTestClient(server.request);
const PAGE = 25;

const admin = (method: string, path: string, body?: unknown) =>
  server.request(`/_sim${path}`, {
    method,
    headers: method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** The first page (of PAGE) that lists a JASPER product, found while every platform is well. */
async function firstJasperPage(): Promise<number> {
  for (let page = 1; ; page++) {
    const res = await client.get(`/product?pageSize=${PAGE}&pageNumber=${page}`);
    expect(res.status).toBe(200);
    if (res.body.entities.some((e: { id: string }) => e.id.startsWith("JASPER-"))) return page;
    if (res.body.entities.length < PAGE) throw new Error("no JASPER product listed");
  }
}

const TROUBLES = [
  {
    name: "an outage",
    status: 503,
    start: () => admin("POST", "/platforms/JASPER/outage", { reason: "maintenance" }),
    stop: () => admin("DELETE", "/platforms/JASPER/outage"),
  },
  {
    name: "5xx faults",
    status: 502,
    start: () => admin("PUT", "/platforms/JASPER/faults", { faults: { errorRate: 1, errorStatus: 500 } }),
    stop: () => admin("DELETE", "/platforms/JASPER/profile"),
  },
  {
    name: "timeouts",
    status: 504,
    start: () => admin("PUT", "/platforms/JASPER/faults", { faults: { timeoutRate: 1 } }),
    stop: () => admin("DELETE", "/platforms/JASPER/profile"),
  },
  {
    name: "its rate limit",
    status: 429,
    start: () =>
      admin("PATCH", "/platforms/JASPER/profile", {
        rateLimits: [{ name: "hour", limit: 1, windowMs: 3_600_000 }],
        pacing: { passThrough: true },
      }),
    stop: () => admin("DELETE", "/platforms/JASPER/profile"),
  },
];

describe("one platform's trouble stays on that platform", async () => {
  const jasperPage = await firstJasperPage();
  const healthy = await client.get(`/product?pageSize=${PAGE}&pageNumber=1`);
  const jasper = await deviceIn(server.sim, "JASPER", "ACTIVE");
  const tmsp = await deviceIn(server.sim, "TMSP", "ACTIVE");

  it.each(TROUBLES)("with $name on JASPER", async ({ status, start, stop }) => {
    expect((await start()).status).toBeLessThan(300);
    try {
      // Spend the one call an hour, so that what follows meets the carrier's refusal.
      if (status === 429) await client.get(`/product/${jasper.productId}-simCard`);

      // Paging needs no platform: a page without JASPER products answers as before, totals included.
      const first = await client.get(`/product?pageSize=${PAGE}&pageNumber=1`);
      expect(first.status).toBe(200);
      expect(first.body.statistics).toEqual(healthy.body.statistics);
      expect(first.body.entities.map((e: { id: string }) => e.id)).toEqual(
        healthy.body.entities.map((e: { id: string }) => e.id),
      );

      // A page with JASPER products, a read, a change: JASPER's trouble, with JASPER named.
      for (const answer of [
        await client.get(`/product?pageSize=${PAGE}&pageNumber=${jasperPage}`),
        await client.get(`/product/${jasper.productId}`),
        await client.setStatus(`${jasper.productId}-simCard`, "SUSPENDED"),
      ]) {
        expect(answer.status).toBe(status);
        expect(answer.body.externalErrors[0]).toMatchObject({ platform: "JASPER" });
      }

      // A find still finds what lives elsewhere, with JASPER's trouble as the other identifier's error.
      const found = await client.call("POST", "/product/find", {
        body: { iccidList: [tmsp.nativeId, jasper.nativeId] },
      });
      expect(found.status).toBe(200);
      expect(found.body.entities.map((e: { id: string }) => e.id)).toEqual([tmsp.productId]);
      expect(found.body.errors).toHaveLength(1);
      expect(found.body.errors[0]).toMatchObject({ status, externalErrors: [{ platform: "JASPER" }] });
    } finally {
      expect((await stop()).status).toBeLessThan(300);
    }
    expect((await client.get(`/product?pageSize=${PAGE}&pageNumber=${jasperPage}`)).status).toBe(200);
  });
});
