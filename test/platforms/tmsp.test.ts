import { beforeEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { QUIET, startServer } from "../helpers/server.js";
import { expectInvalidClient } from "./oauth-support.js";
import { ROOT, bearer as signIn, simIn, token } from "./tmsp-support.js";

const clock = new VirtualClock(Date.UTC(2026, 5, 1, 12));
const server = await startServer({ platforms: { TMSP: { profile: QUIET } } }, { clock });
const runtime = server.sim.world.platform("TMSP")!.runtime;
const [account, sibling] = [...runtime.accounts.values()].filter((a) => a.tenant === "eos");
const stranger = [...runtime.accounts.values()].find((a) => a.tenant === "acme")!;
const API = `/platforms/tmsp${ROOT}`;
const HAL = "application/hal+json;charset=UTF-8";
const SPRING_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

const bearer = (who = account!) => signIn(server, who);

const partner = (id = account!.id) => `${API}/partners/${id}`;
const device = (status: string) => simIn(runtime, account!, status);

async function post(path: string, body: unknown, headers: Record<string, string>) {
  return server.request(path, { method: "POST", headers, body: JSON.stringify(body) });
}

async function statusChange(iccid: string, targetStatus: string, headers: Record<string, string>) {
  return post(
    `${partner()}/sims/status-change`,
    { identifier: { type: "ICCID", value: iccid }, targetStatus },
    headers,
  );
}

describe("TMSP native API", () => {
  beforeEach(() => server.sim.reset());

  it("issues gateway tokens for client credentials and refuses bad ones in OAuth2 terms", async () => {
    const ok = await token(server, account!.username, account!.secret);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toEqual({
      access_token: expect.stringMatching(/^tmsp_/),
      expires_in: 300,
      refresh_expires_in: 0,
      token_type: "Bearer",
      "not-before-policy": 0,
      scope: "profile email",
    });
    await expectInvalidClient(await token(server, account!.username, "wrong"));
  });

  it("answers 401 in Spring's envelope with a bearer challenge", async () => {
    const bare = await server.request(`${partner()}/sims`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get("content-type")).toBe("application/json");
    expect(bare.headers.get("www-authenticate")).toBe("Bearer");
    expect(await bare.json()).toEqual({
      timestamp: new Date(clock.now()).toISOString().replace("Z", "+00:00"),
      status: 401,
      error: "Unauthorized",
      message: "Full authentication is required to access this resource",
      path: `${ROOT}/partners/${account!.id}/sims`,
    });
    const forged = await server.request(`${partner()}/sims`, { headers: { authorization: "Bearer forged" } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toBe(
      'Bearer error="invalid_token", error_description="Invalid access token"',
    );
    expect(await forged.json()).toMatchObject({ status: 401, message: "Invalid access token" });
  });

  it("reads a SIM as HAL with the exact content type, and 404s an unknown one", async () => {
    const sim = await device("ACTIVE");
    const res = await server.request(`${partner()}/sims/${sim.record.iccid}`, { headers: await bearer() });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(HAL);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      iccid: sim.record.iccid,
      imsi: sim.record.imsi,
      msisdn: sim.record.msisdn,
      eid: sim.record.eid ?? null,
      imei: sim.record.imei,
      partnerId: account!.id,
      simStatus: "ACTIVE",
      tariff: sim.record.ratePlan,
      apn: "internet.m2mportal.de",
      customerReference: sim.record.label,
      creationDate: new Date(sim.record.addedAt).toISOString(),
      activationDate: new Date(sim.activatedAt!).toISOString(),
      lastStatusChange: new Date(sim.updatedAt).toISOString(),
      dataUsage: {
        volumeBytes: sim.record.usageBytes,
        periodStart: new Date(sim.record.usageSince).toISOString(),
        periodEnd: new Date(clock.now()).toISOString(),
      },
      _links: {
        self: { href: `${ROOT}/partners/${account!.id}/sims/${sim.record.iccid}` },
        "status-change": { href: `${ROOT}/partners/${account!.id}/sims/status-change` },
        transfer: { href: `${ROOT}/partners/${account!.id}/sims/transfer` },
      },
    });
    expect(sim.record.iccid).toMatch(/^89490200\d{12}$/);
    expect(sim.record.imsi).toMatch(/^26201\d{10}$/);

    const missing = await server.request(`${partner()}/sims/89490200000000000000`, {
      headers: await bearer(),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      status: 404,
      error: "Not Found",
      message: `SIM 89490200000000000000 not found for partner ${account!.id}`,
    });
    const nowhere = await server.request(`${API}/nowhere`);
    expect(await nowhere.json()).toEqual({
      timestamp: expect.stringMatching(SPRING_TIME),
      status: 404,
      error: "Not Found",
      message: `No resource at GET ${ROOT}/nowhere`,
      path: `${ROOT}/nowhere`,
    });
  });

  it("forbids naming another partner, even one of the same customer", async () => {
    const headers = await bearer();
    for (const other of [sibling!, stranger]) {
      const res = await server.request(`${partner(other.id)}/sims`, { headers });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        status: 403,
        error: "Forbidden",
        message: `Access to partner ${other.id} is denied`,
        path: `${ROOT}/partners/${other.id}/sims`,
      });
    }
    const ownSim = await device("ACTIVE");
    const peek = await server.request(`${partner(sibling!.id)}/sims/${ownSim.record.iccid}`, { headers });
    expect(peek.status).toBe(403);
  });

  it("pages SIMs Spring-style, 0-based, with HAL navigation links", async () => {
    const headers = await bearer();
    const res = await server.request(`${partner()}/sims?page=1&size=30`, { headers });
    expect(res.headers.get("content-type")).toBe(HAL);
    const body = (await res.json()) as {
      _embedded: { sims: Array<{ iccid: string }> };
      _links: Record<string, { href: string }>;
      page: unknown;
    };
    expect(body.page).toEqual({ size: 30, totalElements: 100, totalPages: 4, number: 1 });
    expect(body._embedded.sims).toHaveLength(30);
    expect(body._embedded.sims[0]!.iccid).toBe(
      (await runtime.listDevices(account!.id, 30, 1))[0]!.record.iccid,
    );
    const at = (n: number) => ({ href: `${ROOT}/partners/${account!.id}/sims?page=${n}&size=30` });
    expect(body._links).toEqual({ first: at(0), prev: at(0), self: at(1), next: at(2), last: at(3) });

    const last = (await (await server.request(`${partner()}/sims?page=3&size=30`, { headers })).json()) as {
      _embedded: { sims: unknown[] };
      _links: Record<string, unknown>;
    };
    expect(last._embedded.sims).toHaveLength(10);
    expect(Object.keys(last._links)).toEqual(["first", "prev", "self", "last"]);

    const beyond = (await (
      await server.request(`${partner()}/sims?page=9&size=30`, { headers })
    ).json()) as Record<string, unknown>;
    expect(beyond._embedded).toBeUndefined();
    expect(beyond.page).toEqual({ size: 30, totalElements: 100, totalPages: 4, number: 9 });

    const clamped = (await (await server.request(`${partner()}/sims?size=5000`, { headers })).json()) as {
      page: { size: number; number: number };
    };
    expect(clamped.page).toMatchObject({ size: 500, number: 0 });

    const blocked = (await (
      await server.request(`${partner()}/sims?simStatus=BLOCKED&size=100`, { headers })
    ).json()) as {
      _embedded: { sims: Array<{ simStatus: string }> };
      page: { totalElements: number };
    };
    const { total: expected } = await runtime.scanDevices(
      account!.id,
      (d) => d.nativeStatus === "BLOCKED",
      0,
      0,
    );
    expect(expected).toBeGreaterThan(0);
    expect(blocked.page.totalElements).toBe(expected);
    expect(blocked._embedded.sims.every((s) => s.simStatus === "BLOCKED")).toBe(true);
    const wrong = await server.request(`${partner()}/sims?simStatus=Active`, { headers });
    expect(wrong.status).toBe(400);
  });

  it("accepts a status change with 202 and a Location, then completes it on the timeline", async () => {
    const sim = await device("ACTIVE");
    const headers = await bearer();
    const res = await statusChange(sim.record.iccid!, "SUSPENDED", headers);
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toBe(HAL);
    const request = (await res.json()) as { requestId: string };
    expect(request.requestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const location = `${ROOT}/partners/${account!.id}/requests/${request.requestId}`;
    expect(res.headers.get("location")).toBe(location);
    const created = new Date(clock.now()).toISOString();
    expect(request).toEqual({
      requestId: request.requestId,
      requestType: "STATUS_CHANGE",
      state: "PENDING",
      identifier: { type: "ICCID", value: sim.record.iccid },
      iccid: sim.record.iccid,
      targetStatus: "SUSPENDED",
      createdAt: created,
      lastUpdate: created,
      errorMessage: null,
      _links: {
        self: { href: location },
        sim: { href: `${ROOT}/partners/${account!.id}/sims/${sim.record.iccid}` },
      },
    });

    const during = (await (
      await server.request(`${API}/partners/${account!.id}/sims/${sim.record.iccid}`, { headers })
    ).json()) as { simStatus: string; _links: Record<string, { href: string }> };
    expect(during.simStatus).toBe("ACTIVE");
    expect(during._links["pending-request"]).toEqual({ href: location });

    const plan = (await runtime.getOperation(request.requestId))!.plan;
    const poll = async () => {
      const r = await server.request(`/platforms/tmsp${location}`, { headers });
      expect(r.headers.get("content-type")).toBe(HAL);
      return (await r.json()) as { state: string; lastUpdate: string; errorMessage: string | null };
    };
    await clock.advanceTo(plan.stages[0]!.endsAt);
    expect(await poll()).toMatchObject({
      state: "IN_PROGRESS",
      lastUpdate: new Date(plan.stages[0]!.endsAt).toISOString(),
    });
    await clock.advanceTo(plan.endsAt);
    expect(await poll()).toMatchObject({
      state: "COMPLETED",
      lastUpdate: new Date(plan.endsAt).toISOString(),
      errorMessage: null,
    });
    expect((await runtime.findDevice(account!.id, sim.record.nativeId))!.nativeStatus).toBe("SUSPENDED");
  });

  it("fails a request on the last stage when the profile says so, leaving the SIM as it was", async () => {
    await runtime.setProfileOverride({
      ...QUIET,
      asyncTimeline: [
        { state: "PENDING", duration: 1000 },
        { state: "IN_PROGRESS", duration: 5000, failureRate: 1 },
      ],
    });
    const sim = await device("SUSPENDED");
    const headers = await bearer();
    const res = await post(
      `${partner()}/sims/status-change`,
      { identifier: { type: "IMSI", value: sim.record.imsi }, targetStatus: "ACTIVE" },
      headers,
    );
    expect(res.status).toBe(202);
    const { requestId, identifier } = (await res.json()) as { requestId: string; identifier: unknown };
    expect(identifier).toEqual({ type: "IMSI", value: sim.record.imsi });
    await clock.advance(6000);
    const polled = await server.request(`${partner()}/requests/${requestId}`, { headers });
    expect(await polled.json()).toMatchObject({
      state: "FAILED",
      errorMessage:
        "Network provisioning failed: the HLR did not confirm the change; the SIM keeps its status",
    });
    expect((await runtime.findDevice(account!.id, sim.record.nativeId))!.nativeStatus).toBe("SUSPENDED");
  });

  it("refuses transitions its lifecycle forbids (422), a second request in flight (409) and bad bodies (400)", async () => {
    const headers = await bearer();
    const gone = await device("TERMINATED");
    const refused = await statusChange(gone.record.iccid!, "ACTIVE", headers);
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toBe("application/json");
    expect(await refused.json()).toEqual({
      timestamp: expect.stringMatching(SPRING_TIME),
      status: 422,
      error: "Unprocessable Entity",
      message: "Status change from TERMINATED to ACTIVE is not allowed",
      path: `${ROOT}/partners/${account!.id}/sims/status-change`,
    });

    const busy = await device("ACTIVE");
    expect((await statusChange(busy.record.iccid!, "BLOCKED", headers)).status).toBe(202);
    const second = await statusChange(busy.record.iccid!, "SUSPENDED", headers);
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ status: 409, error: "Conflict" });

    const stock = await statusChange(busy.record.iccid!, "INACTIVE", headers);
    expect(stock.status).toBe(400);
    expect(await stock.json()).toMatchObject({
      message: "targetStatus must be one of ACTIVE, BLOCKED, TERMINATED, SUSPENDED",
    });
    const byEid = await post(
      `${partner()}/sims/status-change`,
      { identifier: { type: "EID", value: "89049032000000000000000000000000" }, targetStatus: "ACTIVE" },
      headers,
    );
    expect(await byEid.json()).toMatchObject({
      status: 400,
      message: "Identifier type EID is not available for this request",
    });
    const unknown = await post(
      `${partner()}/sims/status-change`,
      { identifier: { type: "MSISDN", value: "49151000000" }, targetStatus: "ACTIVE" },
      headers,
    );
    expect(unknown.status).toBe(404);
  });

  it("transfers a SIM to another partner of the same customer through a request", async () => {
    const sim = await device("ACTIVE");
    const headers = await bearer();
    const foreign = await post(
      `${partner()}/sims/transfer`,
      { identifier: { type: "ICCID", value: sim.record.iccid }, targetPartnerId: stranger.id },
      headers,
    );
    expect(foreign.status).toBe(403);
    const res = await post(
      `${partner()}/sims/transfer`,
      { identifier: { type: "ICCID", value: sim.record.iccid }, targetPartnerId: sibling!.id },
      headers,
    );
    expect(res.status).toBe(202);
    const request = (await res.json()) as { requestId: string; requestType: string; targetPartnerId: string };
    expect(request).toMatchObject({
      requestType: "TRANSFER",
      targetPartnerId: sibling!.id,
      state: "PENDING",
    });
    await clock.advanceTo((await runtime.getOperation(request.requestId))!.plan.endsAt);
    const done = await server.request(`${partner()}/requests/${request.requestId}`, { headers });
    expect(await done.json()).toMatchObject({ state: "COMPLETED" });
    const atSibling = await server.request(`${partner(sibling!.id)}/sims/${sim.record.iccid}`, {
      headers: await bearer(sibling!),
    });
    expect(await atSibling.json()).toMatchObject({ partnerId: sibling!.id, simStatus: "ACTIVE" });
    const left = await server.request(`${partner()}/sims/${sim.record.iccid}`, { headers });
    expect(left.status).toBe(404);
  });

  it("lets the gateway answer 429 with an empty body and Retry-After past its limit", async () => {
    await runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "second", limit: 3, windowMs: 1000, algorithm: "fixed-window" }],
    });
    const headers = await bearer();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        server
          .request(`${partner()}/sims?size=1`, { headers })
          .then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() })),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(3);
    for (const answer of limited) {
      expect(answer.body).toBe("");
      expect(answer.headers.get("retry-after")).toBe("1");
      expect(answer.headers.get("content-type")).toBeNull();
    }
  });
});

describe("TMSP CMO adapter", () => {
  it("gives identical results in-process and over HTTP, polling requests to DONE", async () => {
    const { inProcess, http } = await runOverBothTransports(
      "TMSP",
      { platforms: { TMSP: { profile: QUIET } } },
      async (h) => {
        const account = h.account();
        const sibling = h.account("eos", 1);
        const all = await h.adapter.list(account, 0, 100);
        if (!all.ok) throw new Error(all.failure.message);
        const tail = await h.adapter.list(account, 95, 10);
        const [first, second] = all.value.items.filter((d) => d.status === "ACTIVE");
        const terminated = all.value.items.find((d) => d.status === "TERMINATED")!;
        const changed = await h.adapter.changeStatus(account, first!, "SUSPENDED");
        const moved = await h.adapter.transfer(account, second!, sibling);
        const ticket = (o: typeof changed) => (o.ok && o.value.mode === "pending" ? o.value.ticket : "");
        const early = await h.adapter.poll(account, ticket(changed));
        await h.advance(5 * 60_000);
        const settled = await h.adapter.poll(account, ticket(changed));
        const transferred = await h.adapter.poll(account, ticket(moved));
        return {
          total: all.value.total,
          tail: tail.ok ? tail.value.items.map((d) => d.nativeId) : [],
          read: await h.adapter.get(account, first!.nativeId),
          changed,
          early,
          settled,
          transferred,
          atSibling: await h.adapter.get(sibling, second!.nativeId),
          refused: await h.adapter.changeStatus(account, terminated, "ACTIVE"),
          missing: await h.adapter.get(account, "89490200000000000000"),
        };
      },
    );
    expect(inProcess.total).toBe(100);
    expect(inProcess.tail).toHaveLength(5);
    expect(inProcess.changed).toMatchObject({
      ok: true,
      value: { mode: "pending", ticket: expect.stringMatching(/^\d+\/[0-9a-f-]{36}$/) },
      exchange: { status: 202 },
    });
    expect(inProcess.early).toMatchObject({ ok: true, value: { state: "IN_PROGRESS" } });
    expect(inProcess.settled).toMatchObject({ ok: true, value: { state: "DONE" } });
    expect(inProcess.transferred).toMatchObject({ ok: true, value: { state: "DONE" } });
    expect(inProcess.read).toMatchObject({
      ok: true,
      value: {
        status: "SUSPENDED",
        nativeStatus: "SUSPENDED",
        characteristics: expect.arrayContaining([
          { name: "ICCID", value: expect.stringMatching(/^89490200/) },
        ]),
      },
    });
    expect(inProcess.atSibling).toMatchObject({ ok: true, value: { status: "ACTIVE" } });
    expect(inProcess.refused).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 422 },
    });
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 404 } });
    expect(http).toEqual(inProcess);
  });
});
