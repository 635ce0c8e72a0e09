import { beforeEach, describe, expect, it } from "vitest";
import { pacingLimits, resolveProfile } from "../../simulators/shared/profile.js";
import { turkcell } from "../../simulators/turkcell/index.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { Pacer } from "../../src/engine/pacing.js";
import type { NativeExchange, NativeRequest } from "../../src/transport/types.js";
import { asyncLifecycle } from "../helpers/async-lifecycle.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { QUIET, startServer } from "../helpers/server.js";

/** The default stages, without the 2 % error: happy-path tests must not depend on a seeded draw. */
const SURE = {
  ...QUIET,
  asyncTimeline: turkcell.defaults.asyncTimeline!.map((stage) => ({ ...stage, failureRate: 0 })),
};
const clock = new VirtualClock(Date.UTC(2026, 5, 1, 12));
const server = await startServer({ platforms: { TURKCELL: { profile: SURE } } }, { clock });
const runtime = server.sim.world.platform("TURKCELL")!.runtime;
const account = [...runtime.accounts.values()].find((a) => a.tenant === "eos")!;
const API = "/platforms/turkcell/m2m/v1";
const OK = { resultCode: "0", resultDescription: "SUCCESS" };

/** `ms` as Turkcell writes it: Istanbul wall time (UTC+3), no zone. */
const istanbul = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

async function auth(): Promise<Record<string, string>> {
  const res = await server.request("/platforms/turkcell/m2m/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: account.username,
      client_secret: account.secret,
    }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  return { authorization: `Bearer ${access_token}`, "content-type": "application/json" };
}

const line = (status: string) =>
  runtime.listDevices(account.id, 0, 100).find((d) => d.nativeStatus === status)!;

/** Status and envelope of one call. */
async function call(path: string, headers: Record<string, string>, body?: unknown) {
  const res = await server.request(`${API}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), envelope: await res.json() };
}

describe("TURKCELL native API", () => {
  beforeEach(() => server.sim.reset());

  it("keeps HTTP 401 for authentication, still inside its envelope", async () => {
    expect(await call("/lines", { authorization: "Bearer forged" })).toEqual({
      status: 401,
      retryAfter: null,
      envelope: { header: { resultCode: "9401", resultDescription: "Invalid access token" }, body: null },
    });
  });

  it("reads a line in its envelope, and reports an unknown line as resultCode 1001 inside an HTTP 200", async () => {
    const sim = line("ACTIVE");
    const headers = await auth();
    const read = await call(`/lines/${sim.record.iccid}`, headers);
    expect(read).toEqual({
      status: 200,
      retryAfter: null,
      envelope: {
        header: OK,
        body: {
          iccid: sim.record.iccid,
          msisdn: sim.record.msisdn!.slice(2),
          imsi: sim.record.imsi,
          lineStatus: "ACTIVE",
          tariff: sim.record.ratePlan,
          activationDate: istanbul(sim.activatedAt!),
        },
      },
    });
    expect(sim.record.iccid).toMatch(/^899001\d{14}$/);
    expect(sim.record.imsi).toMatch(/^28601\d{10}$/);
    expect(sim.record.msisdn).toMatch(/^9053[0-6]\d{7}$/);

    expect(await call("/lines/89900100000000000000", headers)).toEqual({
      status: 200,
      retryAfter: null,
      envelope: {
        header: { resultCode: "1001", resultDescription: "Line 89900100000000000000 not found" },
        body: null,
      },
    });
  });

  it("pages lines by pageIndex (from 0) and pageSize (at most 100)", async () => {
    const headers = await auth();
    const second = await call("/lines?pageIndex=1&pageSize=30", headers);
    expect(second.envelope.header).toEqual(OK);
    expect(second.envelope.body).toMatchObject({
      pageIndex: 1,
      pageSize: 30,
      totalCount: 100,
      totalPages: 4,
    });
    expect(second.envelope.body.lines).toHaveLength(30);
    expect(second.envelope.body.lines[0].iccid).toBe(runtime.listDevices(account.id, 30, 1)[0]!.record.iccid);
    expect((await call("/lines?pageIndex=3&pageSize=30", headers)).envelope.body.lines).toHaveLength(10);
    expect((await call("/lines", headers)).envelope.body).toMatchObject({ pageIndex: 0, pageSize: 20 });
    expect(await call("/lines?pageSize=101", headers)).toMatchObject({
      status: 200,
      envelope: { header: { resultCode: "1000", resultDescription: "pageSize must be between 1 and 100" } },
    });
  });

  it("answers a status change with an orderId in a 200, then runs the order WAITING → IN_PROCESS → COMPLETED", async () => {
    const sim = line("ACTIVE");
    const headers = await auth();
    const accepted = await call(`/lines/${sim.record.iccid}/status`, headers, { targetStatus: "SUSPENDED" });
    expect(accepted).toEqual({
      status: 200,
      retryAfter: null,
      envelope: { header: OK, body: { orderId: expect.stringMatching(/^3\d{9}$/) } },
    });
    const { orderId } = accepted.envelope.body as { orderId: string };
    const plan = runtime.getOperation(orderId)!.plan;
    const order = async () => (await call(`/orders/${orderId}`, headers)).envelope;
    expect(await order()).toEqual({
      header: OK,
      body: {
        orderId,
        orderType: "LINE_STATUS_CHANGE",
        iccid: sim.record.iccid,
        targetStatus: "SUSPENDED",
        orderStatus: "WAITING",
        createDate: istanbul(clock.now()),
        updateDate: istanbul(clock.now()),
      },
    });
    await clock.advanceTo(plan.stages[0]!.endsAt);
    expect((await order()).body).toMatchObject({ orderStatus: "IN_PROCESS" });
    await clock.advanceTo(plan.endsAt);
    expect((await order()).body).toMatchObject({
      orderStatus: "COMPLETED",
      updateDate: istanbul(plan.endsAt),
    });
    expect((await call(`/lines/${sim.record.iccid}`, headers)).envelope.body.lineStatus).toBe("SUSPENDED");
  });

  it("ends the order in ERROR with code 2001 when the timeline fails, leaving the line as it was", async () => {
    runtime.setProfileOverride({
      ...QUIET,
      asyncTimeline: [
        { state: "WAITING", duration: 1000 },
        { state: "IN_PROCESS", duration: 10_000, failureRate: 1 },
      ],
    });
    const sim = line("SUSPENDED");
    const headers = await auth();
    const accepted = await call(`/lines/${sim.record.iccid}/status`, headers, { targetStatus: "ACTIVE" });
    await clock.advance(11_000);
    const polled = await call(`/orders/${accepted.envelope.body.orderId}`, headers);
    expect(polled.status).toBe(200);
    expect(polled.envelope).toMatchObject({
      header: OK,
      body: {
        orderStatus: "ERROR",
        errorCode: "2001",
        errorDescription: `Network provisioning of ACTIVE failed for line ${sim.record.iccid}`,
      },
    });
    expect(runtime.findDevice(account.id, sim.record.nativeId)!.nativeStatus).toBe("SUSPENDED");
  });

  it("answers refused changes as HTTP 200 with the refusal in header.resultCode", async () => {
    const headers = await auth();
    const refusal = (resultCode: string, resultDescription: string) => ({
      status: 200,
      retryAfter: null,
      envelope: { header: { resultCode, resultDescription }, body: null },
    });
    const cancelled = line("CANCELLED");
    expect(
      await call(`/lines/${cancelled.record.iccid}/status`, headers, { targetStatus: "ACTIVE" }),
    ).toEqual(refusal("1003", "Status change from CANCELLED to ACTIVE is not allowed"));
    const busy = line("ACTIVE");
    const path = `/lines/${busy.record.iccid}/status`;
    expect((await call(path, headers, { targetStatus: "SUSPENDED" })).envelope.header).toEqual(OK);
    expect((await call(path, headers, { targetStatus: "CANCELLED" })).envelope.header.resultCode).toBe(
      "1004",
    );
    expect((await call(path, headers, { targetStatus: "DEACTIVATED" })).envelope.header.resultCode).toBe(
      "1000",
    );
    expect(await call(path, headers, {})).toEqual(refusal("1000", "targetStatus is required"));
    expect(
      (await call(path, { ...headers, "content-type": "text/plain" }, "SUSPENDED")).envelope.header,
    ).toEqual({
      resultCode: "1005",
      resultDescription: "Content-Type must be application/json, got text/plain",
    });
    expect(await call("/orders/3999999999", headers)).toEqual(refusal("1002", "Order 3999999999 not found"));
  });

  it("keeps HTTP 429 (enveloped, with Retry-After) past 5 requests per second", async () => {
    runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "second", limit: 5, windowMs: 1000, algorithm: "fixed-window" }],
    });
    const headers = await auth();
    const answers = await Promise.all(Array.from({ length: 7 }, () => call("/lines?pageSize=1", headers)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited[0]).toEqual({
      status: 429,
      retryAfter: "1",
      envelope: {
        header: { resultCode: "9429", resultDescription: "Rate limit exceeded: 5 requests per second" },
        body: null,
      },
    });
  });
});

describe("TURKCELL CMO adapter", () => {
  /** An adapter whose platform answers every API call with `answer`, after a normal token. */
  function adapterAnswering(answer: NativeExchange) {
    const sent: NativeRequest[] = [];
    const adapter = turkcell.adapter({
      code: "TURKCELL",
      clock,
      vocabulary: turkcell.vocabulary,
      profile: () => resolveProfile(turkcell.defaults),
      pacer: new Pacer(clock, () => pacingLimits(resolveProfile(turkcell.defaults), false, 0)),
      transport: {
        kind: "in-process",
        async send(request) {
          sent.push(request);
          if (request.path.endsWith("/oauth/token"))
            return { status: 200, headers: [], body: JSON.stringify({ access_token: "t", expires_in: 900 }) };
          return answer;
        },
      },
    });
    return { adapter, sent };
  }
  const who = { id: "1", name: "T", tenant: "eos", username: "u", secret: "s" };
  const enveloped = (status: number, resultCode: string, headers: NativeExchange["headers"] = []) => ({
    status,
    headers,
    body: JSON.stringify({ header: { resultCode, resultDescription: `code ${resultCode}` }, body: null }),
  });

  it("reads the error inside a 200 from header.resultCode, and the HTTP status only where the gateway set it", async () => {
    const cases: Array<[NativeExchange, Record<string, unknown>]> = [
      [enveloped(200, "1001"), { kind: "not-found", status: 200, message: "code 1001" }],
      [enveloped(200, "1003"), { kind: "invalid-transition", status: 200 }],
      [enveloped(200, "1004"), { kind: "conflict", status: 200 }],
      [enveloped(200, "1777"), { kind: "bad-request", status: 200 }],
      [
        enveloped(429, "9429", [{ name: "Retry-After", value: "2" }]),
        { kind: "rate-limited", retryAfterMs: 2000 },
      ],
      [enveloped(503, "9503"), { kind: "unavailable", status: 503 }],
      [
        { status: 200, headers: [], body: '{"lines":[]}' },
        { kind: "protocol", status: 200 },
      ],
    ];
    for (const [answer, failure] of cases) {
      const { adapter, sent } = adapterAnswering(answer);
      expect(await adapter.get(who, "89900100000000000000")).toMatchObject({ ok: false, failure });
      expect(sent.at(-1)).toMatchObject({ method: "GET", path: "/m2m/v1/lines/89900100000000000000" });
    }
  });

  it("gives identical results in-process and over HTTP, polling orders to DONE and to FAILED", async () => {
    const { inProcess, http } = await runOverBothTransports(
      "TURKCELL",
      { platforms: { TURKCELL: { profile: SURE } } },
      async (h) => {
        const middle = await h.adapter.list(h.account(), 150, 30);
        const { account, devices, outcomes } = await asyncLifecycle(h, "IN_PROCESS", (who, first) =>
          h.adapter.changeStatus(who, first, "TERMINATED"),
        );
        const cancelled = devices.find((d) => d.nativeStatus === "CANCELLED")!;
        return {
          ...outcomes,
          middle: middle.ok ? middle.value : undefined,
          refused: await h.adapter.changeStatus(account, cancelled, "ACTIVE"),
          missing: await h.adapter.get(account, "89900100000000000000"),
        };
      },
    );
    expect(inProcess.total).toBe(100);
    expect(inProcess.middle).toEqual({ items: [], total: 100 });
    expect(inProcess.changed).toMatchObject({
      ok: true,
      value: { mode: "pending", ticket: expect.stringMatching(/^3\d{9}$/) },
      exchange: { status: 200 },
    });
    expect(inProcess.whilePending).toMatchObject({ ok: false, failure: { kind: "conflict", status: 200 } });
    expect(inProcess.early).toMatchObject({ ok: true, value: { state: "IN_PROGRESS" } });
    expect(inProcess.settled).toMatchObject({ ok: true, value: { state: "DONE" } });
    expect(inProcess.read).toMatchObject({
      ok: true,
      value: {
        status: "SUSPENDED",
        nativeStatus: "SUSPENDED",
        msisdn: expect.stringMatching(/^9053\d{8}$/),
        startDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
        characteristics: expect.arrayContaining([{ name: "ICCID", value: expect.stringMatching(/^899001/) }]),
        connectivity: [
          { name: "networkProvider", value: "Turkcell" },
          { name: "tariff", value: expect.any(String) },
        ],
      },
    });
    expect(inProcess.failedPoll).toMatchObject({
      ok: true,
      value: { state: "FAILED", failure: { kind: "server-error", status: 200 } },
    });
    expect(inProcess.refused).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 200, message: expect.stringContaining("CANCELLED") },
    });
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 200 } });
    expect(http).toEqual(inProcess);
  });
});
