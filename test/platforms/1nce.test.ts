import { beforeEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { basic, QUIET, startServer } from "../helpers/server.js";

// A clock that stands still: the per-second window cannot roll over in the middle of a burst, however slow the machine.
const server = await startServer(
  { platforms: { "1NCE": { profile: QUIET } } },
  { clock: new VirtualClock(Date.UTC(2026, 5, 1, 12)) },
);
const runtime = server.sim.world.platform("1NCE")!.runtime;
const account = [...runtime.accounts.values()].find((a) => a.tenant === "eos")!;
const API = "/platforms/1nce/management-api";

async function token(username = account.username, password = account.secret): Promise<Response> {
  return server.request(`${API}/oauth/token`, {
    method: "POST",
    headers: { authorization: basic(username, password), "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials" }),
  });
}

async function bearer(): Promise<Record<string, string>> {
  const body = (await (await token()).json()) as { access_token: string };
  return { authorization: `Bearer ${body.access_token}` };
}

describe("1NCE native API", () => {
  beforeEach(() => server.sim.reset());

  it("issues tokens in 1NCE's shape and refuses bad credentials in its token-error envelope", async () => {
    const ok = await token();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      status_code: 200,
      token_type: "bearer",
      expires_in: 3600,
      scope: "all",
      access_token: expect.any(String),
    });
    const bad = await token(account.username, "wrong");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      statusCode: 400,
      errorCode: "BadCredentials",
      message: "Bad credentials",
    });
  });

  it("answers 401 with its error envelope without a valid token", async () => {
    const res = await server.request(`${API}/v1/sims`, { headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error_code: 1003,
      error_token: "Unauthorized",
      message: "Invalid access token",
    });
  });

  it("reads a SIM with 1NCE field names and title-case status", async () => {
    const first = (await runtime.listDevices(account.id, 0, 1))[0]!;
    const res = await server.request(`${API}/v1/sims/${first.record.iccid!.slice(0, -1)}`, {
      headers: await bearer(),
    });
    expect(res.status).toBe(200);
    const sim = (await res.json()) as Record<string, unknown>;
    expect(sim.iccid_with_luhn).toBe(first.record.iccid);
    expect(sim.iccid).toBe(first.record.iccid!.slice(0, -1));
    expect(["Enabled", "Disabled"]).toContain(sim.status);
    expect(Object.keys(sim)).toEqual(
      expect.arrayContaining([
        "imsi",
        "msisdn",
        "imei",
        "imei_lock",
        "activation_date",
        "ip_address",
        "current_quota",
        "quota_status",
        "label",
      ]),
    );
    const missing = await server.request(`${API}/v1/sims/8988228066000000000`, { headers: await bearer() });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: 1000, error_token: "NotFound" });
  });

  it("pages the SIM list with X-Total-* headers", async () => {
    const headers = await bearer();
    const res = await server.request(`${API}/v1/sims?page=2&pageSize=30`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-total-count")).toBe("100");
    expect(res.headers.get("x-total-pages")).toBe("4");
    expect(res.headers.get("x-current-page")).toBe("2");
    const sims = (await res.json()) as Array<{ iccid_with_luhn: string }>;
    expect(sims).toHaveLength(30);
    expect(sims[0]!.iccid_with_luhn).toBe((await runtime.listDevices(account.id, 30, 1))[0]!.record.iccid);
    const last = (await (
      await server.request(`${API}/v1/sims?page=4&pageSize=30`, { headers })
    ).json()) as unknown[];
    expect(last).toHaveLength(10);
    expect((await server.request(`${API}/v1/sims?pageSize=500`, { headers })).status).toBe(400);
  });

  it("changes status synchronously and refuses a status outside its vocabulary", async () => {
    const headers = { ...(await bearer()), "content-type": "application/json" };
    const sim = (await runtime.listDevices(account.id, 0, 100)).find((d) => d.nativeStatus === "Enabled")!;
    const put = await server.request(`${API}/v1/sims/${sim.record.iccid}`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ status: "Disabled" }),
    });
    expect(put.status).toBe(200);
    expect((await runtime.findDevice(account.id, sim.record.nativeId))!.nativeStatus).toBe("Disabled");
    const shouted = await server.request(`${API}/v1/sims/${sim.record.iccid}`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ status: "ENABLED" }),
    });
    expect(shouted.status).toBe(400);
    expect(await shouted.json()).toMatchObject({
      error_code: 1001,
      error_token: "BadRequest",
      message: "status must be one of Enabled, Disabled",
    });
    expect((await runtime.findDevice(account.id, sim.record.nativeId))!.nativeStatus).toBe("Disabled");
  });

  it("answers 429 past 10 requests per second per organisation", async () => {
    await runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "second", limit: 10, windowMs: 1000, algorithm: "fixed-window" }],
    });
    const headers = await bearer();
    const statuses = await Promise.all(
      Array.from({ length: 15 }, () =>
        server
          .request(`${API}/v1/sims?pageSize=1`, { headers })
          .then(async (r) => [r.status, r.headers.get("retry-after"), await r.json()] as const),
      ),
    );
    const limited = statuses.filter(([s]) => s === 429);
    // The clock stands still, so the window holds exactly the limit.
    expect(statuses.filter(([s]) => s === 200)).toHaveLength(10);
    expect(limited).toHaveLength(5);
    expect(limited[0]![1]).toBe("1");
    expect(limited[0]![2]).toMatchObject({ error_code: 1005, error_token: "TooManyRequests" });
  });
});

describe("1NCE CMO adapter", () => {
  it("gives identical results in-process and over HTTP", async () => {
    const { inProcess, http } = await runOverBothTransports(
      "1NCE",
      { platforms: { "1NCE": { profile: QUIET } } },
      async (h) => {
        const account = h.account();
        const page = await h.adapter.list(account, 95, 10);
        if (!page.ok) throw new Error(page.failure.message);
        const target = page.value.items.find((d) => d.status === "ACTIVE")!;
        const changed = await h.adapter.changeStatus(account, target, "SUSPENDED");
        const missing = await h.adapter.get(account, "8988228066000000000");
        return { total: page.value.total, ids: page.value.items.map((d) => d.nativeId), changed, missing };
      },
    );
    expect(inProcess.total).toBe(100);
    expect(inProcess.ids).toHaveLength(5);
    expect(inProcess.changed).toMatchObject({
      ok: true,
      value: { mode: "done", device: { status: "SUSPENDED", nativeStatus: "Disabled" } },
    });
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 404 } });
    expect(http).toEqual(inProcess);
  });
});
