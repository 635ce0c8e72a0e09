import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { BASE_PATH, CmoTestClient, TOKEN_PATH, UNKNOWN_1NCE_ICCID } from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

const clock = new VirtualClock(Date.UTC(2026, 4, 1, 8));
const server = await startServer({ platforms: quietPlatforms() }, { clock });
const form = { "content-type": "application/x-www-form-urlencoded" };

function tokenRequest(body: string, headers: Record<string, string> = form) {
  return server.request(TOKEN_PATH, { method: "POST", headers, body });
}

function products(authorization?: string, tenant = "eos") {
  return server.request(`${BASE_PATH}/${tenant}/product?pageSize=1`, {
    headers: authorization ? { authorization } : {},
  });
}

function decode(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString("utf8"));
}

async function expectProblem(res: Response, status: number, detail: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    type: expect.any(String),
    status,
    title: expect.any(String),
    instance: expect.any(String),
    externalErrors: [],
    "@type": "problem",
    traceId: expect.any(String),
  });
  expect(body.detail).toMatch(detail);
}

describe("CMO token endpoint", () => {
  it("issues a Keycloak-shaped answer with a JWT carrying tenants and roles", async () => {
    const res = await tokenRequest(
      "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({
      expires_in: 300,
      refresh_expires_in: 0,
      token_type: "Bearer",
      scope: "openid email profile",
    });
    const claims = decode(body.access_token);
    expect(claims).toMatchObject({
      azp: "cmo-sim-client",
      tenants: ["eos"],
      realm_access: {
        roles: ["ro%connection-management-orchestrator", "rw%connection-management-orchestrator"],
      },
      typ: "Bearer",
    });
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.iat).toBe(Math.floor(clock.now() / 1000));
    expect(JSON.parse(Buffer.from(body.access_token.split(".")[0], "base64url").toString())).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
  });

  it("accepts HTTP Basic client authentication too", async () => {
    const res = await tokenRequest("grant_type=client_credentials", {
      ...form,
      authorization: `Basic ${Buffer.from("acme-client:acme-secret").toString("base64")}`,
    });
    expect(res.status).toBe(200);
    expect(decode(((await res.json()) as { access_token: string }).access_token).tenants).toEqual(["acme"]);
  });

  it("refuses bad requests in OAuth's own error shape", async () => {
    const wrongSecret = await tokenRequest(
      "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=nope",
    );
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({
      error: "unauthorized_client",
      error_description: "Invalid client or Invalid client credentials",
    });
    const unknown = await tokenRequest("grant_type=client_credentials&client_id=ghost&client_secret=x");
    expect(unknown.status).toBe(401);
    const grant = await tokenRequest(
      "grant_type=password&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
    );
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: "unsupported_grant_type" });
    const missing = await tokenRequest("client_id=cmo-sim-client");
    expect(await missing.json()).toMatchObject({
      error: "invalid_request",
      error_description: "Missing form parameter: grant_type",
    });
    const json = await tokenRequest(JSON.stringify({ grant_type: "client_credentials" }), {
      "content-type": "application/json",
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: "invalid_request" });
  });
});

describe("CMO bearer checks", () => {
  it("401 without a token, with a malformed one, or with a forged one", async () => {
    await expectProblem(await products(), 401, /Bearer token is required/);
    await expectProblem(await products("Basic abc"), 401, /must be 'Bearer <JWT>'/);
    await expectProblem(await products("Bearer not.a.jwt!"), 401, /must be 'Bearer <JWT>'/);
    const forged = await sign(
      {
        exp: 9_999_999_999,
        iat: 1,
        tenants: ["eos"],
        clientId: "x",
        realm_access: { roles: ["rw%connection-management-orchestrator"] },
      },
      "another-key-another-key-another-key",
      "HS256",
    );
    await expectProblem(await products(`Bearer ${forged}`), 401, /signature, algorithm or format/);
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify({ exp: 9_999_999_999, tenants: ["eos"], clientId: "x" })).toString("base64url")}.`;
    await expectProblem(await products(`Bearer ${none}`), 401, /signature, algorithm or format/);
    const real = await new CmoTestClient(server.request).token();
    const [header, payload, signature] = real.split(".");
    const tampered = Buffer.from(JSON.stringify({ ...decode(real), tenants: ["eos", "acme"] })).toString(
      "base64url",
    );
    await expectProblem(await products(`Bearer ${header}.${tampered}.${signature}`), 401, /signature/);
    expect(payload).toBeTruthy();
    const res = await products(`Bearer ${real}`);
    expect(res.status).toBe(200);
  });

  it("expires a token after 300 s of simulated time and accepts a new one", async () => {
    const client = new CmoTestClient(server.request);
    const token = await client.token();
    expect((await products(`Bearer ${token}`)).status).toBe(200);
    await clock.advance(299_000);
    expect((await products(`Bearer ${token}`)).status).toBe(200);
    await clock.advance(1_000);
    const expired = await products(`Bearer ${token}`);
    await expectProblem(expired, 401, /expired/);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
    client.forgetToken();
    expect((await products(`Bearer ${await client.token()}`)).status).toBe(200);
  });

  it("403 for a tenant not in the token, and for a write without the rw role", async () => {
    const eos = await new CmoTestClient(server.request).token();
    await expectProblem(await products(`Bearer ${eos}`, "acme"), 403, /not valid for tenant acme/);
    const readonly = new CmoTestClient(server.request, "cmo-sim-readonly");
    expect((await readonly.get("/product?pageSize=1")).status).toBe(200);
    const write = await readonly.setStatus(`1NCE-${UNKNOWN_1NCE_ICCID}-simCard`, "ACTIVE");
    expect(write.status).toBe(403);
    expect(write.body.detail).toMatch(/needs the rw%connection-management-orchestrator role/);
    const batch = await readonly.call("PATCH", "/product", {
      body: { productIdList: [], request: { method: "PATCH", body: [] } },
    });
    expect(batch.status).toBe(403);
  });

  it("refuses tokens issued before a revocation and accepts one issued after it, within the same millisecond", async () => {
    // The manual clock stands still: issue, revoke and issue again all happen at one instant.
    const before = await new CmoTestClient(server.request).token();
    expect((await server.admin("POST", "/tokens/revoke")).status).toBe(200);
    const after = await new CmoTestClient(server.request).token();
    expect(decode(before).iat).toBe(decode(after).iat);
    await expectProblem(await products(`Bearer ${before}`), 401, /revoked/);
    expect((await products(`Bearer ${after}`)).status).toBe(200);
  });

  it("draws the line to the millisecond within one second, on the manual clock", async () => {
    await clock.advanceTo(Math.ceil(clock.now() / 1000) * 1000 + 300);
    const early = await new CmoTestClient(server.request).token();
    await clock.advance(200);
    expect((await server.admin("POST", "/tokens/revoke")).status).toBe(200);
    await clock.advance(200);
    const late = await new CmoTestClient(server.request).token();
    expect(decode(early).iat).toBe(decode(late).iat);
    await expectProblem(await products(`Bearer ${early}`), 401, /revoked/);
    expect((await products(`Bearer ${late}`)).status).toBe(200);
  });

  it("lets a client that signs in again on a 401 after a revocation carry on at once, on the real clock", async () => {
    const real = await startServer({ platforms: quietPlatforms() });
    const client = new CmoTestClient(real.request);
    const old = await client.token();
    const read = (token: string) =>
      real.request(`${BASE_PATH}/eos/product?pageSize=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await read(old)).status).toBe(200);
    expect((await real.admin("POST", "/tokens/revoke")).status).toBe(200);
    await expectProblem(await read(old), 401, /revoked/);
    client.forgetToken();
    const renewed = await client.token();
    expect((await read(renewed)).status).toBe(200);
    // A client revoked on its own leaves the others' tokens alone.
    const other = await new CmoTestClient(real.request, "cmo-sim-readonly").token();
    await real.request("/_sim/tokens/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientId: "cmo-sim-readonly" }),
    });
    await expectProblem(await read(other), 401, /revoked/);
    expect((await read(renewed)).status).toBe(200);
  });
});
