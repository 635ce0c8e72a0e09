import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import {
  BASE_PATH,
  CmoTestClient,
  deviceIn,
  JSON_PATCH,
  TOKEN_PATH,
  UNKNOWN_1NCE_ICCID,
} from "../helpers/cmo.js";
import { DocumentChecker } from "../helpers/openapi.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

/**
 * Real CMO answers against the CMO document: every documented (operation, status) that can be
 * reached is reached here and its body validated, so the document cannot drift from the code.
 */
const clock = new VirtualClock(Date.UTC(2026, 2, 1));
const BODY_LIMIT = 20_000;
const server = await startServer(
  {
    platforms: quietPlatforms(),
    server: { bodyLimitBytes: BODY_LIMIT },
    auth: {
      clients: [
        { clientId: "any", clientSecret: "secret", tenants: ["*"], roles: ["rw"] },
        { clientId: "reader", clientSecret: "secret", tenants: ["eos"], roles: ["ro"] },
        { clientId: "acme-client", clientSecret: "secret", tenants: ["acme"], roles: ["rw"] },
      ],
    },
  },
  { clock },
);
const checker = new DocumentChecker(await (await server.request("/openapi.json")).json());
const T = "/api-gw/connection-management-orchestrator/v5/{tenant}";
const clients = {
  any: new CmoTestClient(server.request, "any", "secret", "eos"),
  reader: new CmoTestClient(server.request, "reader", "secret", "eos"),
  acme: new CmoTestClient(server.request, "acme-client", "secret", "acme"),
};

interface Call {
  body?: unknown;
  type?: string;
  client?: keyof typeof clients | "none";
  tenant?: string;
}

/** Sends one CMO request, insists on `status`, and checks the answer (and an accepted body) against the document. */
async function cmo(method: string, path: string, status: number, call: Call = {}) {
  const template = checker.templateFor(method, `${T}${path}`);
  const client = call.client ?? "any";
  const headers: Record<string, string> = { accept: "application/json" };
  if (client !== "none") headers.authorization = `Bearer ${await clients[client].token()}`;
  const raw = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
  if (call.body !== undefined) headers["content-type"] = call.type ?? "application/json";
  const res = await server.request(`${BASE_PATH}/${call.tenant ?? "eos"}${path}`, {
    method,
    headers,
    body: call.body === undefined ? undefined : raw,
  });
  const text = await res.clone().text();
  expect(res.status, `${method} ${path}: ${text.slice(0, 300)}`).toBe(status);
  expect(await checker.response(method, template, res), `${method} ${path} ${status}`).toEqual([]);
  if (status < 300 && call.body !== undefined)
    expect(checker.requestBody(method, template, call.body, call.type)).toEqual([]);
  return text ? JSON.parse(text) : undefined;
}

const runtime = (code: string) => server.sim.world.platform(code)!.runtime;

/** Puts a platform in trouble for the length of `fn`. */
async function failing(code: string, trouble: 429 | 502 | 503 | 504, fn: () => Promise<void>) {
  const rt = runtime(code);
  if (trouble === 503) await rt.startOutage({ start: clock.now(), status: 503, reason: "test" });
  else
    await rt.setProfileOverride(
      trouble === 429
        ? { rateLimits: [{ name: "test", limit: 1, windowMs: 3_600_000, algorithm: "fixed-window" }] }
        : trouble === 504
          ? { faults: { timeoutRate: 1 } }
          : { faults: { errorRate: 1, errorStatus: 500 } },
    );
  try {
    await fn();
  } finally {
    await rt.stopOutages(clock.now());
    await rt.setProfileOverride(undefined);
  }
}

/** Platform trouble surfaces on the first request or, for a rate limit, within a few. */
async function expectTrouble(method: string, path: string, status: number, call: Call = {}) {
  const template = checker.templateFor(method, `${T}${path}`);
  for (let attempt = 0; attempt < 4; attempt++) {
    const res = await server.request(`${BASE_PATH}/eos${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await clients.any.token()}`,
        ...(call.body === undefined ? {} : { "content-type": call.type ?? "application/json" }),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    if (res.status === status) {
      expect(await checker.response(method, template, res)).toEqual([]);
      return;
    }
  }
  throw new Error(`${method} ${path} never answered ${status}`);
}

const tmsp = await deviceIn(server.sim, "TMSP", "ACTIVE");
const once = await deviceIn(server.sim, "1NCE", "ACTIVE");
const intelsat = await deviceIn(server.sim, "INTELSAT", "ACTIVE");
const suspend = [{ op: "replace", path: "/status", value: "SUSPENDED" }];

describe("the CMO document against real answers", () => {
  it("token endpoint", async () => {
    const form = (fields: Record<string, string>) =>
      server.request(TOKEN_PATH, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
    const good = { grant_type: "client_credentials", client_id: "any", client_secret: "secret" };
    for (const [fields, status] of [
      [good, 200],
      [{ client_id: "any" }, 400],
      [{ ...good, client_secret: "wrong" }, 401],
    ] as const) {
      const res = await form(fields);
      expect(res.status).toBe(status);
      expect(await checker.response("POST", TOKEN_PATH, res)).toEqual([]);
    }
    expect(checker.requestBody("POST", TOKEN_PATH, good, "application/x-www-form-urlencoded")).toEqual([]);
  });

  it("lists products, projected or whole, and refuses bad paging", async () => {
    await cmo("GET", "/product?pageSize=3", 200);
    await cmo("GET", "/product?pageSize=2&pageNumber=2&fields=id,status,@type", 200);
    await cmo("GET", "/product?pageSize=0", 400);
    await cmo("GET", "/product", 401, { client: "none" });
    await cmo("GET", "/product", 403, { client: "acme" });
    await cmo("GET", "/product", 404, { tenant: "nowhere" });
    for (const trouble of [429, 502, 503, 504] as const)
      await failing("TMSP", trouble, () => expectTrouble("GET", "/product?pageSize=1", trouble));
  });

  it("reads composites and every kind of sub-product", async () => {
    for (const id of [
      tmsp.productId,
      `${tmsp.productId}-simCard`,
      `${tmsp.productId}-dataConnectivity`,
      `${tmsp.productId}-usageVolume-data`,
      intelsat.productId,
      `${intelsat.productId}-terminal`,
    ])
      await cmo("GET", `/product/${id}`, 200);
    await cmo("GET", "/product/TMSP-12", 400);
    await cmo("GET", `/product/1NCE-${UNKNOWN_1NCE_ICCID}`, 404);
    await cmo("GET", `/product/${tmsp.productId}`, 401, { client: "none" });
    await cmo("GET", `/product/${tmsp.productId}`, 403, { client: "acme", tenant: "eos" });
    for (const trouble of [429, 502, 503, 504] as const)
      await failing("1NCE", trouble, () => expectTrouble("GET", `/product/${once.productId}`, trouble));
  });

  it("finds products by identifier", async () => {
    const iccid = tmsp.nativeId;
    await cmo("POST", "/product/find", 200, {
      body: { iccidList: [iccid, UNKNOWN_1NCE_ICCID], terminalSNList: [intelsat.nativeId] },
    });
    await cmo("POST", "/product/find", 400, { body: { iccidList: [] } });
    await cmo("POST", "/product/find", 401, {
      client: "none",
      body: { iccidList: [iccid] },
    });
    await cmo("POST", "/product/find", 403, {
      client: "acme",
      body: { iccidList: [iccid] },
    });
    await cmo("POST", "/product/find", 404, {
      tenant: "nowhere",
      body: { iccidList: [iccid] },
    });
    await cmo("POST", "/product/find", 413, {
      body: { iccidList: ["1".repeat(BODY_LIMIT)] },
    });
    await cmo("POST", "/product/find", 415, { body: "iccid", type: "text/plain" });
  });

  it("patches products: custom properties, sync and async status, conflicts, monitors", async () => {
    const sim = `/product/${once.productId}-simCard`;
    await cmo("PATCH", sim, 200, {
      type: JSON_PATCH,
      body: [{ op: "add", path: "/customProperty/-", value: { name: "colour", value: "blue" } }],
    });
    await cmo("PATCH", sim, 200, { type: JSON_PATCH, body: suspend });

    const tmspSim = `/product/${tmsp.productId}-simCard`;
    const monitor = await cmo("PATCH", tmspSim, 202, { type: JSON_PATCH, body: suspend });
    await cmo("PATCH", tmspSim, 409, { type: JSON_PATCH, body: suspend });
    await cmo("GET", `/monitor/${monitor.id}`, 200);
    await clock.advance(3_600_000);
    for (const client of Object.values(clients)) client.forgetToken();
    const done = await cmo("GET", `/monitor/${monitor.id}`, 200);
    expect(done.state).not.toBe("IN_PROGRESS");
    await cmo("GET", "/monitor/nothing-1-monitor", 404);
    await cmo("GET", `/monitor/${monitor.id}`, 401, { client: "none" });
    await cmo("GET", `/monitor/${monitor.id}`, 403, { client: "acme" });

    await cmo("PATCH", sim, 400, {
      type: JSON_PATCH,
      body: [{ op: "bogus", path: "/status" }],
    });
    await cmo("PATCH", sim, 401, { client: "none", type: JSON_PATCH, body: suspend });
    await cmo("PATCH", sim, 403, { client: "reader", type: JSON_PATCH, body: suspend });
    await cmo("PATCH", `/product/1NCE-${UNKNOWN_1NCE_ICCID}-simCard`, 404, {
      type: JSON_PATCH,
      body: suspend,
    });
    await cmo("PATCH", sim, 413, { type: JSON_PATCH, body: "x".repeat(BODY_LIMIT + 1) });
    await cmo("PATCH", sim, 415, { body: suspend });
    const back = await deviceIn(server.sim, "1NCE", "ACTIVE", "eos", 1);
    for (const trouble of [429, 502, 503, 504] as const)
      await failing("1NCE", trouble, () =>
        expectTrouble("PATCH", `/product/${back.productId}-simCard`, trouble, {
          body: suspend,
          type: JSON_PATCH,
        }),
      );
  });

  it("patches in batches", async () => {
    const ids = [
      `${(await deviceIn(server.sim, "1NCE", "ACTIVE", "eos", 2)).productId}-simCard`,
      `${(await deviceIn(server.sim, "TMSP", "ACTIVE", "eos", 1)).productId}-simCard`,
    ];
    const batch = { productIdList: ids, request: { method: "PATCH", body: suspend } };
    const monitor = await cmo("PATCH", "/product", 202, { body: batch });
    await cmo("GET", `/monitor/${monitor.id}`, 200);
    await cmo("PATCH", "/product", 400, { body: { productIdList: [], request: batch.request } });
    await cmo("PATCH", "/product", 401, { client: "none", body: batch });
    await cmo("PATCH", "/product", 403, { client: "reader", body: batch });
    await cmo("PATCH", "/product", 404, { tenant: "nowhere", body: batch });
    await cmo("PATCH", "/product", 413, { body: { ...batch, pad: "x".repeat(BODY_LIMIT) } });
    await cmo("PATCH", "/product", 415, { body: batch, type: JSON_PATCH });
  });

  it("documents what the handlers accept and refuses what they refuse", async () => {
    const product = `/product/${once.productId}-simCard`;
    const refused: Array<[string, string, unknown, string?]> = [
      ["POST", "/product/find", { iccidList: ["123"] }],
      ["POST", "/product/find", { iccids: [tmsp.nativeId] }],
      ["PATCH", "/product", { productIdList: [tmsp.productId] }],
      ["PATCH", "/product", { productIdList: [tmsp.productId], request: { method: "PUT", body: [] } }],
      ["PATCH", product, [{ op: "bogus", path: "/status" }], JSON_PATCH],
      ["PATCH", product, { op: "replace", path: "/status" }, JSON_PATCH],
      ["PATCH", product, [], JSON_PATCH],
    ];
    for (const [method, path, body, type] of refused) {
      const template = checker.templateFor(method, `${T}${path}`);
      expect(checker.requestBody(method, template, body, type), JSON.stringify(body)).not.toEqual([]);
      await cmo(method, path, 400, { body, ...(type ? { type } : {}) });
    }
  });

  it("has reached every documented status", () => {
    expect(checker.documented().filter((key) => !checker.seen.has(key))).toEqual([]);
  });
});
