import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { captureState } from "../../src/server/state.js";
import { BASE_PATH, deviceIn } from "../helpers/cmo.js";
import { quietPlatforms } from "../helpers/server.js";

/**
 * Hostile input everywhere: every generated request carries at least one defect (no or forged
 * credentials, an odd id, a broken body, a wrong content type, a hostile JSON Patch…), so every
 * answer must be a 4xx in the right envelope, and no rejected request may change any state.
 */
const sim = createSimulator(
  { platforms: quietPlatforms(), clock: "manual" },
  { clock: new VirtualClock(Date.UTC(2026, 8, 1)), applyLatency: false },
);
const send = async (method: string, path: string, headers: Record<string, string>, body?: string) =>
  sim.fetch(
    new Request(`http://sim${path}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : body,
    }),
  );

const tokenRes = await send(
  "POST",
  "/auth/realms/iothub/protocol/openid-connect/token",
  { "content-type": "application/x-www-form-urlencoded" },
  "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
);
const TOKEN = ((await tokenRes.json()) as { access_token: string }).access_token;
const real = {
  sim: `TMSP-${(await deviceIn(sim, "TMSP", "ACTIVE")).nativeId}`,
  sat: `INTELSAT-${(await deviceIn(sim, "INTELSAT", "ACTIVE")).nativeId}`,
};

/** Native credentials of one account per platform, issued before the baseline snapshot. */
const nativeAuth = new Map<string, string>();
for (const [code, slot] of sim.world.platforms) {
  const account = [...slot.runtime.accounts.values()][0]!;
  nativeAuth.set(
    code,
    slot.runtime.definition.family === "cisco"
      ? `Basic ${Buffer.from(`${account.username}:${account.secret}`).toString("base64")}`
      : `Bearer ${(await slot.runtime.issueToken(account)).token}`,
  );
}

/**
 * Simulated state only: random sequence positions, id allocators (a platform may number every
 * answer, errors included, as INTELSAT's trace ids do), sessions (the CMO signs in to a platform
 * to read a product before refusing a change to it) and wall-clock stamps are bookkeeping.
 */
async function fingerprint(): Promise<string> {
  const { savedAt: _savedAt, random: _random, platforms, ...rest } = await captureState(sim);
  const simulated = Object.fromEntries(
    Object.entries(platforms).map(([code, { sequence: _sequence, tokens: _tokens, ...p }]) => [code, p]),
  );
  return JSON.stringify({ ...rest, platforms: simulated });
}

const oddId = fc.oneof(
  fc.constantFrom(
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "%E2%80%AE",
    "__proto__",
    "constructor",
    "TMSP-",
    "-simCard",
    "1NCE--simCard",
    "%F0%9F%93%B1",
    "%25%25",
    "TMSP-8949%0A0200",
  ),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
  fc.integer({ min: 200, max: 3000 }).map((n) => "9".repeat(n)),
  fc.stringMatching(/^[A-Z0-9]{2,8}-[0-9]{1,25}(-[a-zA-Z-]{1,20})?$/),
);

const brokenJson = fc.oneof(
  fc.constantFrom(
    "{",
    "[",
    '{"op":',
    "[{]",
    "null",
    "nul",
    "\u0000",
    '{"a":1}}',
    "[1,2",
    "\uFEFF{",
    "{'op':'add'}",
    "NaN",
    '"text"',
  ),
  // Whitespace is an empty body, not a broken one: endpoints with optional bodies rightly accept it.
  fc.string({ maxLength: 40 }).filter((s) => {
    if (s.trim() === "") return false;
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc
    .json()
    .map((j) => j.slice(0, Math.max(1, Math.floor(j.length / 2))))
    .filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
);

/** Valid JSON that nests past the limit, inside what is otherwise a well-formed body of `shape`. */
const tooDeep = (shape: (nested: string) => string) =>
  fc.integer({ min: 33, max: 20_000 }).map((depth) => shape(`${"[".repeat(depth)}${"]".repeat(depth)}`));

const hostilePath = fc.constantFrom(
  "/__proto__/polluted",
  "/constructor/prototype/x",
  "/customProperty/__proto__",
  "customProperty[name=__proto__]",
  "/customProperty/-1",
  "/customProperty/999",
  "/status/x",
  "/imsi",
  "",
  "/",
  "~1~0",
  "/customProperty/0/name/x",
  "customProperty[name=%]/value",
  "customProperty[name=%E0%A4%A]",
);
const hostilePatch = fc
  .oneof(
    fc.array(
      fc.record({
        op: fc.constantFrom("frob", "move", "copy", "test", "", "ADD", "Replace"),
        path: hostilePath,
        value: fc.anything(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    fc.array(
      fc.record({ op: fc.constantFrom("add", "replace", "remove"), path: hostilePath, value: fc.anything() }),
      { minLength: 1, maxLength: 3 },
    ),
    fc.array(
      fc.record({
        op: fc.constant("replace"),
        path: fc.constant("/status"),
        value: fc.oneof(
          fc.integer(),
          fc.constant(null),
          fc.constantFrom("active", "SLEEPING", "", "ACTIVE "),
        ),
      }),
      { minLength: 1, maxLength: 1 },
    ),
    fc.anything().filter((v) => !Array.isArray(v)),
    fc.constant([]),
  )
  .map((v) => JSON.stringify(v) ?? "null");

const wrongType = fc.constantFrom(
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "",
  "application/json; charset=ebcdic",
);
const badToken = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    "Bearer",
    "Bearer ",
    "Basic Og==",
    "Bearer a.b.c",
    "bearer x",
    `Bearer ${"e".repeat(5000)}`,
  ),
  fc.string({ maxLength: 50 }).map((s) => `Bearer ${s}`),
);

type Hostile = {
  face: "cmo" | "admin" | "platform";
  platform?: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  why: string;
};
const CMO = `${BASE_PATH}/eos`;
const withToken = (token: string | undefined, type: string): Record<string, string> =>
  token === undefined ? { "content-type": type } : { authorization: token, "content-type": type };
const auth = { authorization: `Bearer ${TOKEN}` };

const cmoRequests: fc.Arbitrary<Hostile> = fc.oneof(
  fc
    .record({
      route: fc.constantFrom(
        ["GET", `${CMO}/product`],
        ["GET", `${CMO}/product/${real.sim}`],
        ["PATCH", `${CMO}/product/${real.sim}-simCard`],
        ["PATCH", `${CMO}/product`],
        ["POST", `${CMO}/product/find`],
        ["GET", `${CMO}/monitor/x-1-monitor`],
      ),
      token: badToken,
    })
    .map(({ route, token }) => ({
      face: "cmo" as const,
      method: route[0] as string,
      path: route[1] as string,
      headers: withToken(token, "application/json-patch+json"),
      body: "[]",
      why: "no or forged token",
    })),
  fc.record({ id: oddId, method: fc.constantFrom("GET", "PATCH") }).map(({ id, method }) => ({
    face: "cmo" as const,
    method,
    path: `${CMO}/product/${id}`,
    headers: { ...auth, "content-type": "application/json-patch+json" },
    body: '[{"op":"replace","path":"/status","value":"ACTIVE"}]',
    why: "odd product id",
  })),
  oddId.map((id) => ({
    face: "cmo" as const,
    method: "GET",
    path: `${CMO}/monitor/${id}`,
    headers: auth,
    why: "odd monitor id",
  })),
  fc
    .record({
      body: fc.oneof(
        hostilePatch,
        brokenJson,
        tooDeep((deep) => `[{"op":"replace","path":"/status","value":"SUSPENDED","extra":${deep}}]`),
        tooDeep((deep) => `[{"op":"add","path":"/customProperty/-","value":${deep}}]`),
      ),
      target: fc.constantFrom(
        `${real.sim}-simCard`,
        real.sim,
        `${real.sim}-usageVolume-data`,
        `${real.sat}-terminal`,
      ),
    })
    .map(({ body, target }) => ({
      face: "cmo" as const,
      method: "PATCH",
      path: `${CMO}/product/${target}`,
      headers: { ...auth, "content-type": "application/json-patch+json" },
      body,
      why: "hostile JSON Patch",
    })),
  wrongType.map((type) => ({
    face: "cmo" as const,
    method: "PATCH",
    path: `${CMO}/product/${real.sim}-simCard`,
    headers: { ...auth, "content-type": type },
    body: '[{"op":"replace","path":"/status","value":"SUSPENDED"}]',
    why: "wrong content type",
  })),
  fc
    .oneof(
      brokenJson,
      fc
        .anything()
        .map((v) => JSON.stringify({ productIdList: v, request: { method: "PATCH", body: v } }) ?? "{}"),
      fc.constant(
        JSON.stringify({
          productIdList: Array.from({ length: 150 }, (_, i) => `TMSP-${i}`),
          request: { method: "PATCH", body: [] },
        }),
      ),
      tooDeep(
        (deep) =>
          `{"productIdList":["${real.sim}-simCard"],"request":{"method":"PATCH","body":[{"op":"replace","path":"/status","value":"SUSPENDED","x":${deep}}]}}`,
      ),
    )
    .map((body) => ({
      face: "cmo" as const,
      method: "PATCH",
      path: `${CMO}/product`,
      headers: { ...auth, "content-type": "application/json" },
      body,
      why: "broken batch",
    })),
  fc
    .oneof(
      brokenJson,
      fc
        .record({ iccidList: fc.anything(), terminalSNList: fc.anything() })
        .map((v) => JSON.stringify(v) ?? "{}"),
    )
    .filter((b) => !/^\{"iccidList":\["\d{19,20}"/.test(b))
    .map((body) => ({
      face: "cmo" as const,
      method: "POST",
      path: `${CMO}/product/find`,
      headers: { ...auth, "content-type": "application/json" },
      body,
      why: "broken find",
    })),
  fc
    .record({
      name: fc.constantFrom("pageSize", "pageNumber", "fields"),
      value: fc.constantFrom("0", "-1", "abc", "1e3", "999999999999", "", "id,,", "../../", "%00", "1.5"),
    })
    .map(({ name, value }) => ({
      face: "cmo" as const,
      method: "GET",
      path: `${CMO}/product?${name}=${encodeURIComponent(value)}`,
      headers: auth,
      why: "bad paging parameter",
    })),
  fc
    .constantFrom(
      "JQ==",
      Buffer.from("%:%zz").toString("base64"),
      Buffer.from("a%E0%A4%A:b").toString("base64"),
      "!!!",
    )
    .map((credentials) => ({
      face: "cmo" as const,
      method: "POST",
      path: "/auth/realms/iothub/protocol/openid-connect/token",
      headers: { authorization: `Basic ${credentials}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
      why: "client credentials that do not percent-decode",
    })),
  fc.constantFrom("DELETE", "PUT", "POST").map((method) => ({
    face: "cmo" as const,
    method,
    path: `${CMO}/product/${real.sim}`,
    headers: { ...auth, "content-type": "application/json" },
    body: "{}",
    why: "method not allowed",
  })),
);

const adminRequests: fc.Arbitrary<Hostile> = fc.oneof(
  fc
    .record({
      route: fc.constantFrom(
        ["PATCH", "/_sim/platforms/1NCE/profile"],
        ["PUT", "/_sim/platforms/TMSP/profile"],
        ["PUT", "/_sim/platforms/JASPER/faults"],
        ["PUT", "/_sim/platforms/IOTA/latency"],
        ["POST", "/_sim/platforms/STC/outage"],
        ["POST", "/_sim/clock/advance"],
        ["POST", "/_sim/inventory"],
        ["PUT", "/_sim/snapshot"],
        ["POST", "/_sim/tokens/revoke"],
      ),
      body: fc.oneof(
        brokenJson,
        fc
          .anything()
          .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
          .map((v) => JSON.stringify(v) ?? "1"),
        tooDeep((deep) => `{"reason":"maintenance","extra":${deep}}`),
        tooDeep((deep) => `{"kind":"cmo-sim-state","version":2,"x":${deep}}`),
        fc.constantFrom(
          '{"latency":{"type":"gaussian"}}',
          '{"faults":{"errorRate":7}}',
          '{"ms":-5}',
          '{"seed":null}',
          '{"durationMs":"soon"}',
          '{"clientId":5}',
          '{"__proto__":{"x":1}}',
          '{"rateLimits":[{"limit":0}]}',
        ),
      ),
    })
    .map(({ route, body }) => ({
      face: "admin" as const,
      method: route[0] as string,
      path: route[1] as string,
      headers: { "content-type": "application/json" },
      body,
      why: "hostile admin body",
    })),
  fc
    .record({ code: oddId, tail: fc.constantFrom("", "/profile", "/outage", "/devices", "/devices/x") })
    .map(({ code, tail }) => ({
      face: "admin" as const,
      method: "GET",
      path: `/_sim/platforms/${code}${tail}`,
      headers: {},
      why: "odd platform",
    })),
  fc
    .record({ id: oddId, body: fc.constantFrom('{"status":"ACTIVE"}', '{"nativeStatus":"x"}', "{}") })
    .map(({ id, body }) => ({
      face: "admin" as const,
      method: "PUT",
      path: `/_sim/platforms/TMSP/devices/${id}`,
      headers: { "content-type": "application/json" },
      body,
      why: "odd device",
    })),
  fc
    .record({
      route: fc.constantFrom(
        ["POST", "/_sim/reset"],
        ["POST", "/_sim/platforms/STC/outage"],
        ["PATCH", "/_sim/platforms/TMSP/profile"],
      ),
      type: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", ""),
    })
    .map(({ route, type }) => ({
      face: "admin" as const,
      method: route[0] as string,
      path: route[1] as string,
      headers: (type ? { "content-type": type } : {}) as Record<string, string>,
      body: "{}",
      why: "a change without JSON, as a foreign page could send it",
    })),
  fc.constantFrom("status=abc", "limit=-1", "since=x", "limit=1e9").map((q) => ({
    face: "admin" as const,
    method: "GET",
    path: `/_sim/journal?${q}`,
    headers: {},
    why: "bad journal filter",
  })),
);

const nativeRoutes = [...sim.world.platforms].flatMap(([code, slot]) =>
  slot.app.routes
    .filter((r) => r.method !== "ALL" && !r.path.endsWith("*"))
    .map((r) => ({ code, method: r.method, path: r.path, isToken: /token/i.test(r.path) })),
);
const fillParams = (path: string, id: string) => path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, id);

const platformRequests: fc.Arbitrary<Hostile> = fc.oneof(
  fc
    .record({ route: fc.constantFrom(...nativeRoutes.filter((r) => !r.isToken)), token: badToken })
    .map(({ route, token }) => ({
      face: "platform" as const,
      platform: route.code,
      method: route.method,
      path: `/platforms/${route.code.toLowerCase()}${fillParams(route.path, "89490200000000000000")}`,
      headers: withToken(token, "application/json"),
      body: "{}",
      why: "no or forged native credentials",
    })),
  fc
    .record({
      route: fc.constantFrom(...nativeRoutes.filter((r) => !r.isToken && r.path.includes(":"))),
      id: oddId,
    })
    .map(({ route, id }) => ({
      face: "platform" as const,
      platform: route.code,
      method: route.method,
      path: `/platforms/${route.code.toLowerCase()}${fillParams(route.path, id)}`,
      headers: { authorization: nativeAuth.get(route.code) as string, "content-type": "application/json" },
      body: '{"status":"ACTIVE"}',
      why: "odd native id",
    })),
  fc
    .record({
      route: fc.constantFrom(...nativeRoutes.filter((r) => r.method !== "GET")),
      body: brokenJson,
      type: fc.oneof(fc.constant("application/json"), wrongType),
    })
    .map(({ route, body, type }) => ({
      face: "platform" as const,
      platform: route.code,
      method: route.method,
      path: `/platforms/${route.code.toLowerCase()}${fillParams(route.path, "89490200000000000000")}`,
      headers: { authorization: nativeAuth.get(route.code) as string, "content-type": type },
      body,
      why: "broken native body",
    })),
);

async function check(request: Hostile): Promise<void> {
  const res = await send(request.method, request.path, request.headers, request.body);
  const text = await res.text();
  const what = `${request.why}: ${request.method} ${request.path.slice(0, 120)} ${request.body?.slice(0, 80) ?? ""} → ${res.status} ${text.slice(0, 200)}`;
  // TURKCELL's documented quirk: a refused business request is a 200 whose envelope says so.
  const refusedInside =
    request.platform === "TURKCELL" &&
    res.status === 200 &&
    (JSON.parse(text) as { header?: { resultCode?: string } }).header?.resultCode !== "0";
  expect((res.status >= 400 && res.status < 500) || refusedInside, what).toBe(true);
  if (request.face !== "platform") {
    expect(res.headers.get("content-type"), what).toMatch(/^application\/json/);
    const body = JSON.parse(text) as Record<string, unknown>;
    if (!request.path.includes("/token")) {
      expect(body, what).toMatchObject({
        "@type": "problem",
        status: res.status,
        type: expect.any(String),
        title: expect.any(String),
        instance: expect.any(String),
        traceId: expect.any(String),
      });
      expect(typeof body.detail === "string" && body.detail.length > 0, what).toBe(true);
    }
  } else if (text.length > 0) {
    // The platform's own envelope: JSON of its own shape, never a stack trace.
    expect(() => JSON.parse(text), what).not.toThrow();
    expect(text, what).not.toMatch(/\bat \S+ \(.*:\d+:\d+\)/);
  }
}

describe("hostile input", () => {
  it("answers ≥10,000 hostile requests to the CMO front, the admin API and every native route with a 4xx, and changes nothing", async () => {
    const before = await fingerprint();
    let sent = 0;
    const faces = fc.oneof(
      { weight: 4, arbitrary: cmoRequests },
      { weight: 2, arbitrary: adminRequests },
      { weight: 4, arbitrary: platformRequests },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(faces, { minLength: 20, maxLength: 20 }), async (requests) => {
        for (const request of requests) {
          await check(request);
          sent++;
        }
        const after = await fingerprint();
        if (after !== before) {
          let at = 0;
          while (after[at] === before[at]) at++;
          const changed = `…${before.slice(Math.max(0, at - 150), at + 150)}… became …${after.slice(Math.max(0, at - 150), at + 150)}…`;
          expect.fail(
            `state changed (${changed}) after: ${requests.map((r) => `${r.method} ${r.path.slice(0, 80)} ${r.body?.slice(0, 60) ?? ""}`).join(" | ")}`,
          );
        }
      }),
      { numRuns: 520 },
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    const covered = new Set(nativeRoutes.map((r) => r.code));
    expect(covered.size).toBe(sim.world.platforms.size);
    expect((await send("GET", "/health", {})).status).toBe(200);
  }, 180_000);
});
