import { beforeEach, describe, expect, it } from "vitest";
import { airlinq } from "../../simulators/airlinq/index.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { asyncLifecycle } from "../helpers/async-lifecycle.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { QUIET, startServer } from "../helpers/server.js";

/** The default stages, without the 2 % failure: tests of the happy path must not hang on a seeded draw. */
const SURE = {
  ...QUIET,
  asyncTimeline: airlinq.defaults.asyncTimeline!.map((stage) => ({ ...stage, failureRate: 0 })),
};
const clock = new VirtualClock(Date.UTC(2026, 5, 1, 12));
const server = await startServer({ platforms: { AIRLINQ: { profile: SURE } } }, { clock });
const runtime = server.sim.world.platform("AIRLINQ")!.runtime;
const account = [...runtime.accounts.values()].find((a) => a.tenant === "eos")!;
const API = "/platforms/airlinq/cmp/api/v1";
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function bearer(): Promise<Record<string, string>> {
  const res = await server.request("/platforms/airlinq/cmp/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: account.username,
      client_secret: account.secret,
    }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  return { authorization: `Bearer ${access_token}`, "content-type": "application/json" };
}

const simIn = (state: string) =>
  runtime.listDevices(account.id, 0, 100).find((d) => d.nativeStatus === state)!;

async function stateChange(body: unknown, headers: Record<string, string>) {
  return server.request(`${API}/sims/state-change`, { method: "POST", headers, body: JSON.stringify(body) });
}

const request = async (id: string, headers: Record<string, string>) =>
  (await (await server.request(`${API}/requests/${id}`, { headers })).json()) as Record<string, unknown>;

describe("AIRLINQ native API", () => {
  beforeEach(() => server.sim.reset());

  it("refuses calls without a valid token in the CMP's FAILURE envelope", async () => {
    const bare = await server.request(`${API}/sims`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({
      status: "FAILURE",
      errorCode: "CMP-4010",
      errorMessage: "Missing or malformed Authorization header",
    });
    const forged = await server.request(`${API}/sims`, { headers: { authorization: "Bearer forged" } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({
      status: "FAILURE",
      errorCode: "CMP-4010",
      errorMessage: "Invalid access token",
    });
  });

  it("reads a SIM with Jio numbering, and answers CMP-4004 for one it does not hold", async () => {
    const sim = simIn("ACTIVE");
    const headers = await bearer();
    const res = await server.request(`${API}/sims/${sim.record.iccid}`, { headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      iccid: sim.record.iccid,
      imsi: sim.record.imsi,
      msisdn: sim.record.msisdn,
      imei: sim.record.imei,
      simState: "ACTIVE",
      plan: sim.record.ratePlan,
      accountId: account.id,
      activatedAt: new Date(sim.activatedAt!).toISOString(),
      stateChangedAt: new Date(sim.updatedAt).toISOString(),
    });
    expect(sim.record.iccid).toMatch(/^8991874\d{13}$/);
    expect(sim.record.imsi).toMatch(/^405857\d{9}$/);
    expect(sim.record.msisdn).toMatch(/^91[6-9]\d{9}$/);

    const missing = await server.request(`${API}/sims/89918740000000000000`, { headers });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      status: "FAILURE",
      errorCode: "CMP-4004",
      errorMessage: "SIM 89918740000000000000 not found in this account",
    });
  });

  it("pages SIMs by pageNo (from 1) and pageSize (at most 500) with totalRecords", async () => {
    const headers = await bearer();
    const page = async (query: string) => {
      const res = await server.request(`${API}/sims?${query}`, { headers });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const second = await page("pageNo=2&pageSize=30");
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ pageNo: 2, pageSize: 30, totalRecords: 100, totalPages: 4 });
    const sims = second.body.sims as Array<{ iccid: string }>;
    expect(sims).toHaveLength(30);
    expect(sims[0]!.iccid).toBe(runtime.listDevices(account.id, 30, 1)[0]!.record.iccid);
    expect(((await page("pageNo=4&pageSize=30")).body.sims as unknown[]).length).toBe(10);
    expect((await page("")).body).toMatchObject({ pageNo: 1, pageSize: 50 });
    expect(await page("pageSize=501")).toEqual({
      status: 400,
      body: { status: "FAILURE", errorCode: "CMP-4001", errorMessage: "pageSize must be between 1 and 500" },
    });
    expect((await page("pageNo=0")).status).toBe(400);
  });

  it("accepts a state change with 202 and runs the request QUEUED → PROCESSING → SUCCESS", async () => {
    const sim = simIn("ACTIVE");
    const headers = await bearer();
    const res = await stateChange(
      { iccids: [sim.record.iccid], targetState: "SUSPENDED", reason: "Device returned" },
      headers,
    );
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { requestId: string; status: string };
    expect(accepted).toEqual({ requestId: expect.stringMatching(/^[0-9a-f]{24}$/), status: "IN_PROGRESS" });

    const plan = runtime.getOperation(accepted.requestId)!.plan;
    const queued = await request(accepted.requestId, headers);
    expect(queued).toEqual({
      requestId: accepted.requestId,
      requestType: "STATE_CHANGE",
      targetState: "SUSPENDED",
      reason: "Device returned",
      status: "IN_PROGRESS",
      submittedAt: new Date(clock.now()).toISOString(),
      completedAt: null,
      totalCount: 1,
      successCount: 0,
      failureCount: 0,
      results: [{ iccid: sim.record.iccid, status: "QUEUED", errorCode: null, errorMessage: null }],
    });
    await clock.advanceTo(plan.stages[0]!.endsAt);
    expect(await request(accepted.requestId, headers)).toMatchObject({
      status: "IN_PROGRESS",
      results: [{ status: "PROCESSING" }],
    });
    await clock.advanceTo(plan.endsAt);
    expect(await request(accepted.requestId, headers)).toMatchObject({
      status: "SUCCESS",
      completedAt: new Date(plan.endsAt).toISOString(),
      successCount: 1,
      results: [{ iccid: sim.record.iccid, status: "SUCCESS" }],
    });
    const read = await server.request(`${API}/sims/${sim.record.iccid}`, { headers });
    expect(await read.json()).toMatchObject({
      simState: "SUSPENDED",
      stateChangedAt: new Date(plan.endsAt).toISOString(),
    });
  });

  it("fails the request with CMP-5101 when the timeline fails, leaving the SIM as it was", async () => {
    runtime.setProfileOverride({
      ...QUIET,
      asyncTimeline: [
        { state: "QUEUED", duration: 1000 },
        { state: "PROCESSING", duration: 20_000, failureRate: 1 },
      ],
    });
    const sim = simIn("SUSPENDED");
    const headers = await bearer();
    const { requestId } = (await (
      await stateChange({ iccids: [sim.record.iccid], targetState: "ACTIVE" }, headers)
    ).json()) as { requestId: string };
    await clock.advance(21_000);
    expect(await request(requestId, headers)).toEqual({
      requestId,
      requestType: "STATE_CHANGE",
      targetState: "ACTIVE",
      reason: null,
      status: "FAILED",
      submittedAt: expect.stringMatching(ISO),
      completedAt: expect.stringMatching(ISO),
      totalCount: 1,
      successCount: 0,
      failureCount: 1,
      results: [
        {
          iccid: sim.record.iccid,
          status: "FAILED",
          errorCode: "CMP-5101",
          errorMessage: `The network did not confirm the change of ${sim.record.iccid} to ACTIVE`,
        },
      ],
    });
    expect(runtime.findDevice(account.id, sim.record.nativeId)!.nativeStatus).toBe("SUSPENDED");
  });

  it("runs a bulk request with what passes and reports the rest per ICCID: PARTIAL_SUCCESS", async () => {
    const active = simIn("ACTIVE");
    const gone = simIn("TERMINATED");
    const headers = await bearer();
    const res = await stateChange(
      { iccids: [active.record.iccid, gone.record.iccid, "89918740000000000000"], targetState: "SUSPENDED" },
      headers,
    );
    expect(res.status).toBe(202);
    const { requestId } = (await res.json()) as { requestId: string };
    await clock.advanceTo(runtime.getOperation(requestId)!.plan.endsAt);
    expect(await request(requestId, headers)).toMatchObject({
      status: "PARTIAL_SUCCESS",
      totalCount: 3,
      successCount: 1,
      failureCount: 2,
      results: [
        { iccid: active.record.iccid, status: "SUCCESS", errorCode: null },
        {
          iccid: gone.record.iccid,
          status: "FAILED",
          errorCode: "CMP-4002",
          errorMessage: "Status change from TERMINATED to SUSPENDED is not allowed",
        },
        { iccid: "89918740000000000000", status: "FAILED", errorCode: "CMP-4004" },
      ],
    });
    expect(runtime.findDevice(account.id, active.record.nativeId)!.nativeStatus).toBe("SUSPENDED");
  });

  it("refuses a forbidden transition (422 CMP-4002), a SIM in flight (409) and malformed bodies (400)", async () => {
    const headers = await bearer();
    const gone = simIn("TERMINATED");
    const refused = await stateChange({ iccids: [gone.record.iccid], targetState: "ACTIVE" }, headers);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      status: "FAILURE",
      errorCode: "CMP-4002",
      errorMessage: "Status change from TERMINATED to ACTIVE is not allowed",
    });

    const busy = simIn("ACTIVE");
    expect(
      (await stateChange({ iccids: [busy.record.iccid], targetState: "SUSPENDED" }, headers)).status,
    ).toBe(202);
    const again = await stateChange({ iccids: [busy.record.iccid], targetState: "TERMINATED" }, headers);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ errorCode: "CMP-4009" });

    const unknownState = await stateChange({ iccids: [busy.record.iccid], targetState: "Active" }, headers);
    expect(await unknownState.json()).toEqual({
      status: "FAILURE",
      errorCode: "CMP-4001",
      errorMessage: "targetState must be one of INVENTORY, TEST, ACTIVE, SUSPENDED, TERMINATED",
    });
    const tooMany = Array.from({ length: 101 }, () => busy.record.iccid);
    const bulk = await stateChange({ iccids: tooMany, targetState: "ACTIVE" }, headers);
    expect(bulk.status).toBe(400);
    expect(await bulk.json()).toMatchObject({ errorCode: "CMP-4003" });
    const unknownRequest = await server.request(`${API}/requests/000000000000000000000000`, { headers });
    expect(unknownRequest.status).toBe(404);
    expect(await unknownRequest.json()).toMatchObject({ errorCode: "CMP-4005" });
  });

  it("counts a per-minute quota in RateLimit-* headers and answers 429 CMP-4029 past it", async () => {
    runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "minute", limit: 3, windowMs: 60_000, algorithm: "fixed-window" }],
    });
    const headers = await bearer();
    const answers = [];
    for (let n = 0; n < 4; n++) {
      const res = await server.request(`${API}/sims?pageSize=1`, { headers });
      answers.push({
        status: res.status,
        remaining: res.headers.get("ratelimit-remaining"),
        limit: res.headers.get("ratelimit-limit"),
        retryAfter: res.headers.get("retry-after"),
        body: (await res.json()) as Record<string, unknown>,
      });
    }
    expect(answers.map((a) => [a.status, a.limit, a.remaining])).toEqual([
      [200, "3", "2"],
      [200, "3", "1"],
      [200, "3", "0"],
      [429, "3", "0"],
    ]);
    const resetIn = String(Math.ceil((60_000 - (clock.now() % 60_000)) / 1000));
    expect(answers[3]!.retryAfter).toBe(resetIn);
    expect(answers[3]!.body).toEqual({
      status: "FAILURE",
      errorCode: "CMP-4029",
      errorMessage: "Rate limit exceeded: 3 requests per minute",
    });
  });
});

describe("AIRLINQ profile", () => {
  it("allows the CMO transitions of platforms.md: ACTIVE↔SUSPENDED, →TERMINATED from every live status", () => {
    expect(airlinq.defaults.transitions).toEqual({
      CREATED: ["TERMINATED"],
      INVENTORY: ["TERMINATED"],
      ACTIVE: ["SUSPENDED", "TERMINATED"],
      SUSPENDED: ["ACTIVE", "TERMINATED"],
    });
  });
});

describe("AIRLINQ CMO adapter", () => {
  it("gives identical results in-process and over HTTP, polling requests to DONE and to FAILED", async () => {
    const { inProcess, http } = await runOverBothTransports(
      "AIRLINQ",
      { platforms: { AIRLINQ: { profile: SURE } } },
      async (h) => {
        const tail = await h.adapter.list(h.account(), 95, 10);
        const { account, devices, suspended, outcomes } = await asyncLifecycle(h, "PROCESSING");
        const terminated = devices.find((d) => d.status === "TERMINATED")!;
        return {
          ...outcomes,
          tail: tail.ok ? tail.value.items.map((d) => d.nativeId) : [],
          refused: await h.adapter.changeStatus(account, terminated, "ACTIVE"),
          missing: await h.adapter.get(account, "89918740000000000000"),
          transfer: await h.adapter.transfer(account, suspended, account),
        };
      },
    );
    expect(inProcess.total).toBe(100);
    expect(inProcess.tail).toHaveLength(5);
    expect(inProcess.changed).toMatchObject({
      ok: true,
      value: { mode: "pending", ticket: expect.stringMatching(/^[0-9a-f]{24}$/) },
      exchange: { status: 202 },
    });
    expect(inProcess.early).toMatchObject({ ok: true, value: { state: "IN_PROGRESS" } });
    expect(inProcess.settled).toMatchObject({ ok: true, value: { state: "DONE" } });
    expect(inProcess.read).toMatchObject({
      ok: true,
      value: {
        status: "SUSPENDED",
        nativeStatus: "SUSPENDED",
        msisdn: expect.stringMatching(/^91\d{10}$/),
        characteristics: expect.arrayContaining([
          { name: "ICCID", value: expect.stringMatching(/^8991874/) },
          { name: "IMSI", value: expect.stringMatching(/^405857/) },
          { name: "dateUpdated", value: expect.stringMatching(ISO) },
        ]),
        connectivity: [
          { name: "networkProvider", value: "Reliance Jio" },
          { name: "ratePlan", value: expect.any(String) },
        ],
      },
    });
    expect(inProcess.failedPoll).toMatchObject({
      ok: true,
      value: { state: "FAILED", failure: { kind: "server-error", status: 200 } },
    });
    expect(inProcess.refused).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 422, message: expect.stringContaining("TERMINATED") },
    });
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 404 } });
    expect(inProcess.transfer).toMatchObject({ ok: false, failure: { kind: "invalid-transition" } });
    expect(http).toEqual(inProcess);
  });
});
