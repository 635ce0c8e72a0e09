import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import { VirtualClock } from "../../src/engine/clock.js";
import {
  BAD_CHECK_1NCE_ICCID,
  BASE_PATH,
  CmoTestClient,
  deviceIn,
  UNKNOWN_1NCE_ICCID,
} from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

const server = await startServer(
  { platforms: quietPlatforms() },
  { clock: new VirtualClock(Date.UTC(2026, 4, 2)) },
);
const client = new CmoTestClient(server.request);
const base = `${server.url}${BASE_PATH}/eos`;
const totalEos = server.sim.world.tenants
  .find((t) => t.id === "eos")!
  .accounts.reduce((n, a) => n + a.size, 0);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("GET /product", () => {
  it("pages 1-based through every account of the tenant, with statistics and links", async () => {
    const first = await client.get("/product?pageSize=25&pageNumber=1");
    expect(first.status).toBe(200);
    expect(first.body.statistics).toEqual({ currentPage: 1, pageSize: 25, totalCount: totalEos });
    expect(first.body.entities).toHaveLength(25);
    expect(first.body.links).toEqual([
      { type: "self", url: `${base}/product?pageSize=25&pageNumber=1` },
      { type: "next", url: `${base}/product?pageSize=25&pageNumber=2` },
    ]);
    const entity = first.body.entities[0];
    expect(entity).toMatchObject({
      href: `${base}/product/${entity.id}`,
      isBundle: true,
      "@type": "IoTConnection",
      "@baseType": "product",
    });
    expect(entity.correlationId).toMatch(UUID);
    expect(entity.productRelationship).toBeUndefined();
    expect(["ACTIVE", "INACTIVE"]).toContain(entity.status);

    const lastPage = Math.ceil(totalEos / 25);
    const last = await client.get(`/product?pageSize=25&pageNumber=${lastPage}`);
    expect(last.body.entities).toHaveLength(totalEos - (lastPage - 1) * 25);
    expect(last.body.links.map((l: { type: string }) => l.type)).toEqual(["self", "prev"]);
    const beyond = await client.get(`/product?pageSize=25&pageNumber=${lastPage + 3}`);
    expect(beyond.body.entities).toEqual([]);

    const seen = new Set<string>();
    for (let page = 1; page <= Math.ceil(totalEos / 100); page++) {
      for (const e of (await client.get(`/product?pageSize=100&pageNumber=${page}`)).body.entities)
        seen.add(e.id);
    }
    expect(seen.size).toBe(totalEos);
    const platformsSeen = new Set([...seen].map((id) => id.split("-")[0]));
    expect([...platformsSeen].sort()).toEqual(PLATFORMS.map((p) => p.code).sort());
  });

  it("projects fields and rejects bad paging parameters", async () => {
    const projected = await client.get("/product?pageSize=3&fields=id,connectivityType,status");
    for (const e of projected.body.entities)
      expect(Object.keys(e)).toEqual(["id", "connectivityType", "status"]);
    expect(projected.body.links[0].url).toContain("fields=id%2CconnectivityType%2Cstatus");
    for (const [query, detail] of [
      ["pageSize=0", /pageSize must be a whole number of at least 1/],
      ["pageSize=abc", /pageSize must be a whole number/],
      ["pageSize=1000", /pageSize must be at most 100/],
      ["pageNumber=-2", /pageNumber must be a whole number/],
      ["fields=id,colour", /unknown field\(s\) colour/],
    ] as const) {
      const res = await client.get(`/product?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ title: "Missing or malformed parameter", "@type": "problem" });
      expect(res.body.detail).toMatch(detail);
    }
  });

  it("shows a tenant only its own products", async () => {
    const acme = new CmoTestClient(server.request, "acme-client");
    const page = await acme.get("/product?pageSize=100");
    const acmeAccounts = new Set(
      server.sim.world.tenants.find((t) => t.id === "acme")!.accounts.map((a) => a.id),
    );
    for (const e of page.body.entities) expect(acmeAccounts.has(e.relatedParty[0].id)).toBe(true);
  });
});

describe.each(PLATFORMS.map((p) => p.code))("%s products", async (code) => {
  const satellite = PLATFORMS.find((p) => p.code === code)!.connectivity === "SATELLITE";
  const device = await deviceIn(server.sim, code, "ACTIVE");
  const subs = satellite
    ? ["terminal", "usageVolume-data"]
    : ["simCard", "dataConnectivity", "usageVolume-data"];

  it("reads the composite with its sub-products and absolute hrefs", async () => {
    const res = await client.get(`/product/${device.productId}`);
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({
      id: device.productId,
      href: `${base}/product/${device.productId}`,
      isBundle: true,
      status: "ACTIVE",
      connectivityType: satellite ? "SATELLITE" : "CELLULAR",
      relatedParty: [{ id: device.accountId, role: "customer", name: expect.any(String) }],
      productOffering: { name: expect.any(String) },
      "@type": "IoTConnection",
      "@baseType": "product",
    });
    expect(body.productCharacteristic[0]).toEqual({ name: "SYSTEM", value: code });
    expect(body.correlationId).toMatch(UUID);
    expect(body.productRelationship.map((r: { product: { id: string } }) => r.product.id)).toEqual(
      subs.map((s) => `${device.productId}-${s}`),
    );
    for (const r of body.productRelationship) {
      expect(r.type).toBe("BUNDLED");
      expect(r.product.href).toBe(`${base}/product/${r.product.id}`);
    }
    const again = await client.get(`/product/${device.productId}`);
    expect(again.body.correlationId).not.toBe(body.correlationId);
  });

  it("reads every sub-product on its own", async () => {
    for (const sub of subs) {
      const res = await client.get(`/product/${device.productId}-${sub}`);
      expect(res.status, sub).toBe(200);
      expect(res.body.id).toBe(`${device.productId}-${sub}`);
      expect(res.body.correlationId).toMatch(UUID);
      expect(res.body["@type"]).toBe(sub === "usageVolume-data" ? "usageVolume" : sub);
      if (sub === "simCard" || sub === "terminal") {
        expect(res.body).toMatchObject({ isBundle: false, status: "ACTIVE", customProperty: [] });
        expect(res.body.productCharacteristic.length).toBeGreaterThan(0);
        for (const c of res.body.productCharacteristic) expect(typeof c.value).toBe("string");
      }
      if (sub === "usageVolume-data") {
        expect(res.body).toMatchObject({ isShared: false, usageType: "DATA" });
        for (const b of res.body.bucketCounter)
          expect(b).toMatchObject({ counterType: "USED", value: { units: "KB" } });
      }
    }
    const wrong = await client.get(`/product/${device.productId}-${satellite ? "simCard" : "terminal"}`);
    expect(wrong.status).toBe(404);
  });
});

describe("product ids and origins", () => {
  it("builds hrefs from the request's own origin; X-Forwarded-* count only behind a trusted proxy", async () => {
    const device = await deviceIn(server.sim, PLATFORMS[0]!.code, "ACTIVE");
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "cmo.example.com" };
    const own = await client.call("GET", `/product/${device.productId}`, { headers: forwarded });
    expect(own.body.href).toBe(`${server.url}${BASE_PATH}/eos/product/${device.productId}`);

    const proxied = await startServer({ platforms: quietPlatforms(), server: { trustProxy: true } });
    const behind = new CmoTestClient(proxied.request);
    const res = await behind.call("GET", `/product/${device.productId}`, { headers: forwarded });
    expect(res.body.href).toBe(`https://cmo.example.com${BASE_PATH}/eos/product/${device.productId}`);
    // A forwarded value that is not a host cannot smuggle anything into hrefs or Link headers.
    const injected = await behind.call("GET", `/product/${device.productId}`, {
      headers: { "x-forwarded-host": 'evil.example>; rel="next", <https://evil.example' },
    });
    expect(injected.status).toBe(400);
    expect(injected.body.detail).toBe("X-Forwarded-Host is not a host name with an optional port");
    const proto = await behind.call("GET", `/product/${device.productId}`, {
      headers: { "x-forwarded-proto": "javascript" },
    });
    expect(proto.status).toBe(400);
  });

  it("answers wrong ids with 400 or 404 and a detail that names the fault", async () => {
    const cases: Array<[string, number, RegExp]> = [
      ["nodash", 400, /must look like \{PLATFORM\}-\{nativeId\}/],
      ["VODAFONE-8949", 404, /VODAFONE is not a platform/],
      ["1NCE-12345", 400, /an ICCID has 19 or 20 digits/],
      [`1NCE-${BAD_CHECK_1NCE_ICCID}`, 400, /fails its Luhn check digit/],
      [`1NCE-${UNKNOWN_1NCE_ICCID}-radio`, 400, /not a sub-product/],
      [`1NCE-${"9".repeat(130)}`, 400, /longer than 120/],
      ["1NCE-..%2F..%2Fetc", 400, /native id/],
    ];
    for (const [id, status, detail] of cases) {
      const res = await client.get(`/product/${id}`);
      expect(res.status, id).toBe(status);
      expect(res.body.detail, id).toMatch(detail);
      expect(res.body.instance).toContain("/product/");
    }
    const unknown = await client.get(`/product/1NCE-${UNKNOWN_1NCE_ICCID}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/not found/);
  });

  it("404s an unknown tenant and 405s a wrong method", async () => {
    const noAuth = await server.request(`${BASE_PATH}/nobody/product`, {
      headers: { authorization: `Bearer ${await client.token()}` },
    });
    expect(noAuth.status).toBe(403);
    const post = await client.call("POST", "/product", { body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, PATCH");
    expect(post.body.status).toBe(405);
  });
});

describe("POST /product/find", () => {
  it("returns full composites for found identifiers and one 404 problem per missing one", async () => {
    const cellular = await Promise.all(
      PLATFORMS.filter((p) => p.connectivity === "CELLULAR").map((p) =>
        deviceIn(server.sim, p.code, "ACTIVE"),
      ),
    );
    const satellite = await Promise.all(
      PLATFORMS.filter((p) => p.connectivity === "SATELLITE").map((p) =>
        deviceIn(server.sim, p.code, "ACTIVE"),
      ),
    );
    const res = await client.call("POST", "/product/find", {
      body: {
        iccidList: [...cellular.map((d) => d.nativeId), "8907160000000000533"],
        terminalSNList: [...satellite.map((d) => d.nativeId), "0000001"],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.entities.map((e: { id: string }) => e.id).sort()).toEqual(
      [...cellular, ...satellite].map((d) => d.productId).sort(),
    );
    for (const e of res.body.entities) expect(e.productRelationship.length).toBeGreaterThan(1);
    expect(res.body.errors).toHaveLength(2);
    expect(res.body.errors[0]).toMatchObject({
      type: "Not Found",
      status: 404,
      title: "Error",
      detail: "Product with iccid 8907160000000000533 not found",
      // A path, as every problem's instance is.
      instance: "/api-gw/connection-management-orchestrator/v5/eos/product/find",
      externalErrors: [],
      "@type": "problem",
    });
    expect(res.body.errors[1].detail).toBe("Product with terminal serial number 0000001 not found");
  });

  it("does not find another tenant's products", async () => {
    const acmeDevice = await deviceIn(server.sim, "1NCE", "ACTIVE", "acme");
    const res = await client.call("POST", "/product/find", { body: { iccidList: [acmeDevice.nativeId] } });
    expect(res.body.entities).toEqual([]);
    expect(res.body.errors).toHaveLength(1);
  });

  it("rejects a body that is not a find request", async () => {
    for (const [body, detail] of [
      [{}, /give iccidList or terminalSNList/],
      [{ iccidList: ["abc"] }, /body\.iccidList\[0\]: an ICCID has 19 or 20 digits/],
      [{ iccidList: "8949" }, /iccidList/],
      [{ msisdnList: ["1"] }, /msisdnList/],
      [{ iccidList: Array.from({ length: 101 }, () => "89490200000000000000") }, /at most 100 identifiers/],
    ] as const) {
      const res = await client.call("POST", "/product/find", { body });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.detail).toMatch(detail);
    }
    expect(
      (await client.call("POST", "/product/find", { body: "{nope", type: "application/json" })).body.detail,
    ).toMatch(/Malformed JSON/);
    expect(
      (await client.call("POST", "/product/find", { body: { iccidList: [] }, type: "text/plain" })).status,
    ).toBe(415);
  });
});
