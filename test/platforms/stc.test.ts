import { beforeEach, describe, expect, it } from "vitest";
import { stc } from "../../simulators/stc/index.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { asyncLifecycle } from "../helpers/async-lifecycle.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { QUIET, startServer } from "../helpers/server.js";

/** The default stages, without the 3 % rejection: happy-path tests must not depend on a seeded draw. */
const SURE = {
  ...QUIET,
  asyncTimeline: stc.defaults.asyncTimeline!.map((stage) => ({ ...stage, failureRate: 0 })),
};
const clock = new VirtualClock(Date.UTC(2026, 5, 1, 12));
const server = await startServer({ platforms: { STC: { profile: SURE } } }, { clock });
const runtime = server.sim.world.platform("STC")!.runtime;
const account = [...runtime.accounts.values()].find((a) => a.tenant === "eos")!;
const API = "/platforms/stc/api/v2";
const RIYADH = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/;

/** `ms` as ConnectME writes it: Riyadh wall time with its offset. */
const riyadh = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19) + "+03:00";

async function session(lang = "en"): Promise<Record<string, string>> {
  const res = await server.request(`${API}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${account.username}:${account.secret}`)}` },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  return {
    authorization: `Bearer ${access_token}`,
    "content-type": "application/json",
    "accept-language": lang,
  };
}

const subscription = (status: string) =>
  runtime.listDevices(account.id, 0, 100).find((d) => d.nativeStatus === status)!;

async function setStatus(iccid: string, status: string, headers: Record<string, string>) {
  return server.request(`${API}/subscriptions/${iccid}/status`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ status }),
  });
}

const transaction = async (id: string, headers: Record<string, string>) =>
  (await (await server.request(`${API}/transactions/${id}`, { headers })).json()) as Record<string, unknown>;

describe("STC native API", () => {
  beforeEach(() => server.sim.reset());

  it("refuses an invalid token with E1010, in English or Arabic as Accept-Language asks", async () => {
    const english = await server.request(`${API}/subscriptions`, {
      headers: { authorization: "Bearer forged" },
    });
    expect(english.status).toBe(401);
    expect(english.headers.get("content-language")).toBe("en");
    expect(await english.json()).toEqual({ resultCode: "E1010", resultMessage: "Invalid access token" });

    const arabic = await server.request(`${API}/subscriptions`, {
      headers: { authorization: "Bearer forged", "accept-language": "en;q=0.4, ar-SA;q=0.9" },
    });
    expect(arabic.status).toBe(401);
    expect(arabic.headers.get("content-language")).toBe("ar");
    expect(await arabic.json()).toEqual({
      resultCode: "E1010",
      resultMessage: "رمز الوصول مفقود أو غير صالح أو منتهي الصلاحية",
    });
  });

  it("reads a subscription in Riyadh time, and answers E1002 for an unknown one in both languages", async () => {
    const sim = subscription("ACTIVE");
    const res = await server.request(`${API}/subscriptions/${sim.record.iccid}`, {
      headers: await session(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      iccid: sim.record.iccid,
      msisdn: sim.record.msisdn,
      imsi: sim.record.imsi,
      status: "ACTIVE",
      ratePlan: sim.record.ratePlan,
      customerAccount: account.id,
      activationDate: riyadh(sim.activatedAt!),
      lastUpdated: riyadh(sim.updatedAt),
    });
    expect(sim.record.iccid).toMatch(/^8996601\d{13}$/);
    expect(sim.record.imsi).toMatch(/^42001\d{10}$/);
    expect(sim.record.msisdn).toMatch(/^9665[035]\d{7}$/);

    const unknown = `${API}/subscriptions/89966010000000000000`;
    const english = await server.request(unknown, { headers: await session() });
    expect(english.status).toBe(404);
    expect(await english.json()).toEqual({ resultCode: "E1002", resultMessage: "Subscription not found" });
    const arabic = await server.request(unknown, { headers: await session("ar") });
    expect(arabic.status).toBe(404);
    expect(arabic.headers.get("content-language")).toBe("ar");
    expect(await arabic.json()).toEqual({ resultCode: "E1002", resultMessage: "الاشتراك غير موجود" });
  });

  it("lists subscriptions by offset and limit (at most 200) with totalCount", async () => {
    const headers = await session();
    const list = async (query: string) => {
      const res = await server.request(`${API}/subscriptions?${query}`, { headers });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const window = await list("offset=30&limit=30");
    expect(window.body).toMatchObject({ offset: 30, limit: 30, totalCount: 100 });
    const items = window.body.subscriptions as Array<{ iccid: string }>;
    expect(items).toHaveLength(30);
    expect(items[0]!.iccid).toBe(runtime.listDevices(account.id, 30, 1)[0]!.record.iccid);
    expect((await list("offset=90&limit=30")).body.subscriptions).toHaveLength(10);
    expect((await list("")).body).toMatchObject({ offset: 0, limit: 50 });
    expect(await list("limit=201")).toEqual({
      status: 400,
      body: { resultCode: "E1001", resultMessage: "limit must be between 1 and 200" },
    });
    expect((await list("offset=-1")).status).toBe(400);
  });

  it("accepts a status change with 202 and a transaction that goes PENDING → COMPLETED", async () => {
    const sim = subscription("ACTIVE");
    const headers = await session();
    const res = await setStatus(sim.record.iccid!, "SUSPENDED", headers);
    expect(res.status).toBe(202);
    const { transactionId } = (await res.json()) as { transactionId: string };
    expect(transactionId).toMatch(/^TRX20260601\d{8}$/);
    expect(res.headers.get("location")).toBe(`/api/v2/transactions/${transactionId}`);

    const plan = runtime.getOperation(transactionId)!.plan;
    expect(await transaction(transactionId, headers)).toEqual({
      transactionId,
      type: "STATUS_CHANGE",
      iccid: sim.record.iccid,
      requestedStatus: "SUSPENDED",
      status: "PENDING",
      stage: "RECEIVED",
      createdAt: riyadh(clock.now()),
      updatedAt: riyadh(clock.now()),
      completedAt: null,
    });
    await clock.advanceTo(plan.stages[0]!.endsAt);
    expect(await transaction(transactionId, headers)).toMatchObject({
      status: "PENDING",
      stage: "PROVISIONING",
      updatedAt: riyadh(plan.stages[0]!.endsAt),
    });
    await clock.advanceTo(plan.endsAt);
    expect(await transaction(transactionId, headers)).toMatchObject({
      status: "COMPLETED",
      stage: null,
      completedAt: riyadh(plan.endsAt),
    });
    const read = await server.request(`${API}/subscriptions/${sim.record.iccid}`, { headers });
    expect(await read.json()).toMatchObject({ status: "SUSPENDED", lastUpdated: riyadh(plan.endsAt) });
  });

  it("rejects the transaction with E3001 when the timeline fails, its reason in the caller's language", async () => {
    runtime.setProfileOverride({
      ...QUIET,
      asyncTimeline: [
        { state: "RECEIVED", duration: 2000 },
        { state: "PROVISIONING", duration: 60_000, failureRate: 1 },
      ],
    });
    const sim = subscription("SUSPENDED");
    const headers = await session();
    const { transactionId } = (await (await setStatus(sim.record.iccid!, "ACTIVE", headers)).json()) as {
      transactionId: string;
    };
    await clock.advance(62_000);
    expect(await transaction(transactionId, headers)).toMatchObject({
      status: "REJECTED",
      completedAt: expect.stringMatching(RIYADH),
      rejectionCode: "E3001",
      rejectionReason: `The network rejected the change of ${sim.record.iccid} to ACTIVE`,
    });
    expect(await transaction(transactionId, await session("ar"))).toMatchObject({
      status: "REJECTED",
      rejectionReason: "رفضت الشبكة تغيير حالة الاشتراك",
    });
    expect(runtime.findDevice(account.id, sim.record.nativeId)!.nativeStatus).toBe("SUSPENDED");
  });

  it("refuses forbidden transitions with 409 E1004 (in Arabic too), a second change with E1005, bad bodies with E1001", async () => {
    const headers = await session();
    const gone = subscription("TERMINATED");
    const refused = await setStatus(gone.record.iccid!, "ACTIVE", headers);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      resultCode: "E1004",
      resultMessage: "Status change from TERMINATED to ACTIVE is not allowed",
    });
    // Only the operator lifts its own bar.
    const barred = subscription("SUSPENDED");
    runtime.setStatus(barred.record.nativeId, "BARRED");
    const lift = await setStatus(barred.record.iccid!, "ACTIVE", await session("ar"));
    expect(lift.status).toBe(409);
    expect(await lift.json()).toEqual({
      resultCode: "E1004",
      resultMessage: "لا يُسمح بتغيير حالة الاشتراك من BARRED إلى ACTIVE",
    });

    const busy = subscription("ACTIVE");
    expect((await setStatus(busy.record.iccid!, "SUSPENDED", headers)).status).toBe(202);
    const second = await setStatus(busy.record.iccid!, "TERMINATED", headers);
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ resultCode: "E1005" });

    const unknown = await setStatus(busy.record.iccid!, "DORMANT", await session("ar"));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      resultCode: "E1001",
      resultMessage: "الحالة المطلوبة غير معروفة: DORMANT",
    });
    const empty = await server.request(`${API}/subscriptions/${busy.record.iccid}/status`, {
      method: "PUT",
      headers,
      body: "{}",
    });
    expect(await empty.json()).toEqual({ resultCode: "E1001", resultMessage: "status is required" });
    const lost = await server.request(`${API}/transactions/TRX2026060100000000`, { headers });
    expect(lost.status).toBe(404);
    expect(await lost.json()).toMatchObject({ resultCode: "E1003" });
  });

  it("answers 429 E1029 with Retry-After past its per-second limit", async () => {
    runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "second", limit: 3, windowMs: 1000, algorithm: "token-bucket" }],
    });
    const headers = await session("ar");
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        server.request(`${API}/subscriptions?limit=1`, { headers }).then(async (r) => ({
          status: r.status,
          retryAfter: r.headers.get("retry-after"),
          body: await r.json(),
        })),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(2);
    for (const answer of limited) {
      expect(answer.retryAfter).toBe("1");
      expect(answer.body).toEqual({
        resultCode: "E1029",
        resultMessage: "تم تجاوز الحد المسموح به من الطلبات، يرجى المحاولة لاحقًا",
      });
    }
  });
});

describe("STC CMO adapter", () => {
  it("gives identical results in-process and over HTTP, polling transactions to DONE and to FAILED", async () => {
    const { inProcess, http } = await runOverBothTransports(
      "STC",
      { platforms: { STC: { profile: SURE } } },
      async (h) => {
        const window = await h.adapter.list(h.account(), 90, 250);
        const { account, devices, outcomes } = await asyncLifecycle(h, "PROVISIONING");
        const gone = devices.find((d) => d.status === "TERMINATED")!;
        return {
          ...outcomes,
          window: window.ok ? window.value.items.length : -1,
          refused: await h.adapter.changeStatus(account, gone, "ACTIVE"),
          missing: await h.adapter.get(account, "89966010000000000000"),
        };
      },
    );
    expect(inProcess.total).toBe(100);
    expect(inProcess.window).toBe(10);
    expect(inProcess.changed).toMatchObject({
      ok: true,
      value: { mode: "pending", ticket: expect.stringMatching(/^TRX\d{16}$/) },
      exchange: { status: 202 },
    });
    expect(inProcess.early).toMatchObject({ ok: true, value: { state: "IN_PROGRESS" } });
    expect(inProcess.settled).toMatchObject({ ok: true, value: { state: "DONE" } });
    expect(inProcess.read).toMatchObject({
      ok: true,
      value: {
        status: "SUSPENDED",
        nativeStatus: "SUSPENDED",
        accountId: expect.any(String),
        startDate: expect.stringMatching(/Z$/),
        characteristics: expect.arrayContaining([
          { name: "ICCID", value: expect.stringMatching(/^8996601/) },
          { name: "MSISDN", value: expect.stringMatching(/^9665/) },
          { name: "dateUpdated", value: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/) },
        ]),
      },
    });
    expect(inProcess.failedPoll).toMatchObject({
      ok: true,
      value: {
        state: "FAILED",
        failure: { kind: "server-error", message: expect.stringContaining("rejected the change") },
      },
    });
    // 409 alone would read as a conflict: the result code says it is a forbidden transition.
    expect(inProcess.refused).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 409 },
    });
    expect(inProcess.missing).toMatchObject({
      ok: false,
      failure: { kind: "not-found", status: 404, message: "Subscription not found" },
    });
    expect(http).toEqual(inProcess);
  });
});
