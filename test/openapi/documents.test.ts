import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { openApiPath, templateCovers } from "../../src/openapi/document.js";
import { brokenRefs, DocumentChecker } from "../helpers/openapi.js";
import { startServer } from "../helpers/server.js";

const clock = new VirtualClock(Date.UTC(2026, 2, 1));
const server = await startServer({}, { clock });
const fetchJson = async (path: string) => {
  const res = await server.request(path);
  expect(res.status, path).toBe(200);
  return res.json();
};
const cmoDoc = await fetchJson("/openapi.json");
const adminDoc = await fetchJson("/_sim/openapi.json");
const METHODS = ["get", "post", "put", "patch", "delete"];

/** `METHOD template` of every operation in a document. */
function operations(doc: any): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item as object)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

async function expectValid(doc: unknown, name: string) {
  const result = await new Validator().validate(doc as Record<string, unknown>);
  expect(result.errors, name).toBeUndefined();
  expect(result.valid, name).toBe(true);
  expect(brokenRefs(doc as object), name).toEqual([]);
}

describe("OpenAPI documents", () => {
  it("are valid OpenAPI 3.1 whose $refs all resolve", async () => {
    expect(cmoDoc.openapi).toMatch(/^3\.1\./);
    await expectValid(cmoDoc, "CMO");
    await expectValid(adminDoc, "admin");
    for (const { code } of PLATFORMS)
      await expectValid(await fetchJson(`/platforms/${code.toLowerCase()}/openapi.json`), code);
  });

  it("document every route the simulator registers, and nothing else", async () => {
    const documented = new Set([...operations(cmoDoc), ...operations(adminDoc)]);
    const registered = new Set<string>();
    for (const route of server.sim.app.routes) {
      // Middleware and the mounted native fakes (method ALL) have their own documents.
      if (route.method === "ALL" || route.path.startsWith("/_sim/ui")) continue;
      const key = `${route.method} ${openApiPath(route.path).replace(/(.)\/$/, "$1")}`;
      if (registered.has(key) || documented.has(key)) {
        registered.add(key);
        continue;
      }
      registered.add(key);
      // What is not documented is a documented template's (GET /product/find is GET /product/{id})
      // or only tells the caller which methods it allows.
      const concrete = route.path.replace(/:\w+/g, "x");
      if (
        [...documented].some((op) => {
          const [method, template] = op.split(" ") as [string, string];
          return method === route.method && templateCovers(template, concrete);
        })
      )
        continue;
      const res = await server.request(concrete, { method: route.method });
      expect(res.status, key).toBe(405);
    }
    expect([...documented].filter((key) => !registered.has(key))).toEqual([]);
  });

  it("give each native fake exactly its own routes, their credentials and its error envelope", async () => {
    const journalled = async () => (await server.sim.journal.find({ face: "platform" })).length;
    for (const { code } of PLATFORMS) {
      const before = await journalled();
      const doc = await fetchJson(`/platforms/${code.toLowerCase()}/openapi.json`);
      expect(await journalled(), `${code}: rendering its errors calls nothing`).toBe(before);
      const slot = server.sim.world.platform(code)!;
      const own = slot.app.routes
        .filter((r) => r.method !== "ALL" && !r.path.includes("*"))
        .map((r) => `${r.method} ${openApiPath(r.path)}`);
      expect(operations(doc).sort(), code).toEqual([...new Set(own)].sort());
      expect(doc.servers).toEqual([{ url: `/platforms/${code.toLowerCase()}` }]);

      const checker = new DocumentChecker(doc);
      const send = (method: string, path: string) =>
        server.request(`/platforms/${code.toLowerCase()}${path.replace(/\{\w+\}/g, "x")}`, {
          method,
          ...(method === "GET" ? {} : { headers: { "content-type": "application/json" }, body: "{}" }),
        });
      const secured = operations(doc).filter((op) => {
        const [method, path] = op.split(" ") as [string, string];
        return (checker.operation(method, path)?.security?.length ?? 0) > 0;
      });
      expect(secured.length, code).toBeGreaterThan(0);
      for (const op of operations(doc)) {
        const [method, path] = op.split(" ") as [string, string];
        const res = await send(method, path);
        if (secured.includes(op)) {
          expect(res.status, `${code} ${op} without credentials`).toBe(401);
          expect(await checker.response(method, path, res), `${code} ${op}`).toEqual([]);
        } else expect(method, `${code}: only token endpoints are open`).toBe("POST");
      }
      const [method, path] = (secured[0] as string).split(" ") as [string, string];
      // Not always a 404: Turkcell answers its errors with 200 and a result code.
      const unknown = await server.request(`/platforms/${code.toLowerCase()}/no/such/resource`);
      expect(await checker.response(method, path, unknown), `${code} 404`).toEqual([]);
      await slot.runtime.startOutage({ start: clock.now(), status: 503, reason: "test" });
      const down = await send(method, path);
      await slot.runtime.stopOutages(clock.now());
      expect(down.status).toBe(503);
      expect(await checker.response(method, path, down), `${code} 503`).toEqual([]);
    }
    const cisco = await fetchJson("/platforms/jasper/openapi.json");
    expect(Object.values(cisco.components.securitySchemes)).toEqual([
      expect.objectContaining({ scheme: "basic" }),
    ]);
    const tmsp = await fetchJson("/platforms/tmsp/openapi.json");
    expect(Object.values(tmsp.components.securitySchemes)).toEqual([
      expect.objectContaining({ scheme: "bearer" }),
    ]);
  });

  it("catch a body that drifts from them", async () => {
    const checker = new DocumentChecker(adminDoc);
    const res = await server.request("/_sim/clock");
    expect(await checker.response("GET", "/_sim/clock", res.clone())).toEqual([]);
    const { iso: _dropped, ...body } = await res.json();
    const drifted = new Response(JSON.stringify({ ...body, extra: 1 }), {
      headers: { "content-type": "application/json" },
    });
    expect((await checker.response("GET", "/_sim/clock", drifted)).join("\n")).toMatch(
      /iso[\s\S]*extra|extra[\s\S]*iso/,
    );
  });
});

describe("Swagger UI at /docs", () => {
  it("serves the page and its assets from the package, with no external URL", async () => {
    const res = await server.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/(https?:)?\/\/[a-z]/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const file = await server.request(asset);
      expect(file.status, asset).toBe(200);
      expect(file.headers.get("content-type"), asset).toMatch(/css|javascript|png/);
      await file.arrayBuffer();
    }
    // Every document the selector offers: the CMO, the admin API and each fake, by ?spec=key.
    const urls = [...html.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] as string);
    expect(urls).toEqual([
      "/openapi.json",
      "/_sim/openapi.json",
      ...PLATFORMS.map((p) => `/platforms/${p.code.toLowerCase()}/openapi.json`),
    ]);
    expect(html).toContain('"key":"1nce"');
    expect(html).toContain('get("spec")');
  });
});
