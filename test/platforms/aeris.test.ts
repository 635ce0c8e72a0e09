import { beforeEach, describe, expect, it } from "vitest";
import { iota } from "../../simulators/aeris/index.js";
import type { ConfigInput, PlatformProfileInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { type ParityHarness, runOverBothTransports } from "../helpers/parity.js";
import { QUIET, startServer } from "../helpers/server.js";

const START = Date.UTC(2026, 5, 1, 12);
const TENANTS: ConfigInput["tenants"] = [
  {
    id: "eos",
    accounts: [
      { platform: "IOTA", id: "100130101", name: "IOTA_EOS_1", size: 100 },
      { platform: "IOTA", id: "100130102", name: "IOTA_EOS_2", size: 20 },
    ],
  },
  { id: "acme", accounts: [{ platform: "IOTA", id: "100130201", name: "IOTA_ACME_1", size: 10 }] },
];
/** PENDING for 1 s, then IN_PROGRESS for 3 s: every request settles 4 s after it was made. */
const TIMELINE = [
  { state: "PENDING", duration: 1000 },
  { state: "IN_PROGRESS", duration: 3000 },
];
const PROFILE: PlatformProfileInput = { ...QUIET, asyncTimeline: TIMELINE };

const clock = new VirtualClock(START);
const server = await startServer({ tenants: TENANTS, platforms: { IOTA: { profile: PROFILE } } }, { clock });
const runtime = server.sim.world.platform("IOTA")!.runtime;
const account = runtime.accounts.get("100130101")!;
const sibling = runtime.accounts.get("100130102")!;
const stranger = runtime.accounts.get("100130201")!;
const API = "/platforms/iota/iot/api";
const REQUESTS = `${API}/sica/subscriptions/requests`;
const PROBLEM = "https://www.iana.org/assignments/http-status-codes/";
const SETTABLE = "ACTIVE, DEACTIVATED, PAUSE, TERMINATED, ACTIVE_NO_BILLING, DEACTIVATED_NO_BILLING";

function token(fields: Record<string, string>): Promise<Response> {
  return server.request(`${API}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

const grant = (who = account) => ({
  grant_type: "password",
  client_id: "cm-public-api-client",
  username: who.username,
  password: who.secret,
});

async function bearer(who = account): Promise<Record<string, string>> {
  const body = (await (await token(grant(who))).json()) as { access_token: string };
  return { authorization: `Bearer ${body.access_token}`, "content-type": "application/json" };
}

function deviceIn(status: string, owner = account) {
  return runtime.listDevices(owner.id, 0, 100).find((d) => d.nativeStatus === status)!;
}

async function readSim(iccid: string, who = account): Promise<Response> {
  return server.request(`${API}/sica/subscriptions/sim-resource/${iccid}?identifier_type=ICC`, {
    headers: await bearer(who),
  });
}

async function simStatus(iccid: string): Promise<string> {
  const body = (await (await readSim(iccid)).json()) as { sims: Array<{ sim_subscription_status: string }> };
  return body.sims[0]!.sim_subscription_status;
}

async function submit(kind: string, body: unknown, headers?: Record<string, string>): Promise<Response> {
  return server.request(`${REQUESTS}/${kind}`, {
    method: "POST",
    headers: headers ?? (await bearer()),
    body: JSON.stringify(body),
  });
}

const stateChange = (iccid: string, state: string) => ({
  subscriptions: { identifier_type: "ICC", identifiers: [iccid] },
  change: { state },
});

async function request(id: string): Promise<Record<string, unknown>> {
  const res = await server.request(`${REQUESTS}/${id}`, { headers: await bearer() });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const instant = (ms: number) => ({ epochSecond: Math.floor(ms / 1000), nano: (ms % 1000) * 1_000_000 });

describe("IOTA native API", () => {
  beforeEach(() => server.sim.reset());

  it("issues password-grant tokens and answers bad ones in the auth service's legacy envelope", async () => {
    const ok = await token(grant());
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ access_token: expect.any(String), token_type: "JWT", expires_in: 300 });
    const json = await server.request(`${API}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(grant()),
    });
    expect(json.status).toBe(200);

    const wrong = await token({ ...grant(), password: "nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 2040, httpStatus: 401, message: "Invalid credentials" });
    const { password: _, ...withoutPassword } = grant();
    const missing = await token(withoutPassword);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      code: 4000,
      httpStatus: 400,
      message: "Request validation failed",
      detailedMessage: "tokenV3.arg1.password: password must not be null",
    });
    expect((await token({ ...grant(), grant_type: "client_credentials" })).status).toBe(400);
  });

  it("answers 401 as application/problem+json, missing, unknown or expired", async () => {
    const path = `${API}/sica/subscriptions/sim-resource/894303?identifier_type=ICC`;
    const none = await server.request(path);
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toBe("application/problem+json");
    expect(await none.json()).toEqual({
      type: PROBLEM,
      title: "Unauthorized",
      status: 401,
      detail: "Authentication Failure",
      instance: "/iot/api/sica/subscriptions/sim-resource/894303",
      code: "AUTHENTICATION_FAILURE",
    });
    const unknown = await server.request(path, { headers: { authorization: "Bearer forged" } });
    expect(await unknown.json()).toMatchObject({ status: 401, detail: "Invalid token" });
    const headers = await bearer();
    await clock.advance(300_000);
    const expired = await server.request(path, { headers });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ status: 401, detail: "Token expired" });
  });

  it("reads a SIM resource by ICC, IMSI or MSISDN", async () => {
    const device = deviceIn("ACTIVE");
    const headers = await bearer();
    const read = (id: string, type: string) =>
      server.request(`${API}/sica/subscriptions/sim-resource/${id}?identifier_type=${type}`, { headers });
    const byIcc = await read(device.record.iccid!, "ICC");
    expect(byIcc.status).toBe(200);
    const body = (await byIcc.json()) as { sims: Array<Record<string, unknown>> };
    expect(body.sims).toHaveLength(1);
    expect(body.sims[0]).toMatchObject({
      icc: device.record.iccid,
      imsi: device.record.imsi,
      msisdn: device.record.msisdn,
      imei: device.record.imei,
      sim_subscription_status: "ACTIVE",
      sim_resource_status: "DEPLOYED",
      customer_label: device.record.label,
      product_offer_name: device.record.offering,
      apns: ["iot.magenta.at"],
      fixed_ips: [expect.stringMatching(/^100\.\d+\.\d+\.\d+$/)],
      lte: true,
      enable_5g: false,
    });
    expect(body.sims[0]!.first_activation_date).toBe(new Date(device.activatedAt!).toISOString());
    expect(await (await read(device.record.imsi!, "IMSI")).json()).toEqual(body);
    expect(await (await read(device.record.msisdn!, "MSISDN")).json()).toEqual(body);

    const missing = await read("89430300000000000000", "ICC");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, code: "SUBSCRIPTION_NOT_FOUND" });
    const shouted = await read(device.record.iccid!, "icc");
    expect(shouted.status).toBe(400);
    expect(await shouted.json()).toMatchObject({
      title: "Bad Request",
      detail: "identifier_type must be one of ICC, IMSI, MSISDN",
      code: "INVALID_REQUEST_PARAMETERS",
    });
  });

  it("lists subscriptions with cursor paging, following `next`", async () => {
    const headers = await bearer();
    const all = runtime.listDevices(account.id, 0, 100);
    const first = await server.request(`${API}/subscriptions/details?limit=30`, { headers });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-total-count")).toBe("100");
    const page1 = (await first.json()) as {
      subscriptions: Array<{ imsi: string }>;
      next: string;
      size: number;
    };
    expect(page1.size).toBe(30);
    expect(page1.subscriptions.map((s) => s.imsi)).toEqual(all.slice(0, 30).map((d) => d.record.imsi));
    expect(page1.next).toBe(`/details?limit=30&cursor=${all[29]!.record.imsi}`);
    expect(page1.subscriptions[0]).toMatchObject({
      enterprise: account.id,
      organizationId: account.id,
      iccid: all[0]!.record.iccid,
      state: all[0]!.nativeStatus,
      subscriptionPackageName: all[0]!.record.ratePlan,
    });

    const page2 = (await (await server.request(`${API}/subscriptions${page1.next}`, { headers })).json()) as {
      subscriptions: Array<{ imsi: string }>;
    };
    expect(page2.subscriptions[0]!.imsi).toBe(all[30]!.record.imsi);
    const last = (await (
      await server.request(`${API}/subscriptions/details?limit=30&cursor=${all[89]!.record.imsi}`, {
        headers,
      })
    ).json()) as Record<string, unknown>;
    expect(last.size).toBe(10);
    expect(last).not.toHaveProperty("next");

    const other = await server.request(`${API}/subscriptions/details?q=company==${sibling.id}&limit=5`, {
      headers,
    });
    expect(other.headers.get("x-total-count")).toBe("20");
    expect(((await other.json()) as { next: string }).next).toMatch(
      new RegExp(`^/details\\?q=company==${sibling.id}&limit=5&cursor=\\d+$`),
    );
    const refusals = await Promise.all(
      [`q=company==${stranger.id}`, "q=label==x", "limit=0", "limit=10001", "cursor=123"].map(
        async (query) => {
          const res = await server.request(`${API}/subscriptions/details?${query}`, { headers });
          return [res.status, ((await res.json()) as { code: string }).code];
        },
      ),
    );
    expect(refusals).toEqual([
      [403, "ACCESS_DENIED"],
      [400, "INVALID_REQUEST_PARAMETERS"],
      [400, "INVALID_REQUEST_PARAMETERS"],
      [400, "INVALID_REQUEST_PARAMETERS"],
      [400, "INVALID_REQUEST_PARAMETERS"],
    ]);
  });

  it("accepts a state change with 201 and a request id, then tracks it PENDING → IN_PROGRESS → COMPLETED", async () => {
    const device = deviceIn("ACTIVE");
    const iccid = device.record.iccid!;
    const created = clock.now();
    const res = await submit("state-changes", {
      subscriptions: { identifier_type: "IMSI", identifiers: [device.record.imsi] },
      change: { state: "PAUSE" },
    });
    expect(res.status).toBe(201);
    const { subscription_request_id: id } = (await res.json()) as { subscription_request_id: string };
    expect(id).toMatch(/^REQ\d{12}$/);

    const counters = { inProgress: 0, pending: 0, canceled: 0, rejected: 0, completed: 0, failed: 0 };
    const resource = (state: string) => ({
      resourceId: iccid,
      resourceState: state,
      resourceProperties: [
        { type: "ICCID", value: iccid, operation: "SUBSCRIPTION_STATE_CHANGE" },
        { type: "TARGET_SUBSCRIPTION_STATE", value: "PAUSE", operation: "SUBSCRIPTION_STATE_CHANGE" },
      ],
      resourceFailureInfos: [],
    });
    expect(await request(id)).toEqual({
      subscriptionRequestId: id,
      subscriptionRequestType: "CHANGE_SUBSCRIPTIONSTATE",
      subscriptionRequestState: "PENDING",
      createdBy: account.username,
      companyId: account.id,
      timeCreated: instant(created),
      lastUpdated: instant(created),
      size: 1,
      subscriptionRequestResourceCounters: { ...counters, pending: 1 },
      subscriptionRequestResources: [resource("PENDING")],
    });
    expect(await simStatus(iccid)).toBe("ACTIVE");

    await clock.advance(1500);
    expect(await request(id)).toMatchObject({
      subscriptionRequestState: "IN_PROGRESS",
      lastUpdated: instant(created + 1000),
      subscriptionRequestResourceCounters: { ...counters, inProgress: 1 },
    });
    await clock.advance(2500);
    expect(await request(id)).toMatchObject({
      subscriptionRequestState: "COMPLETED",
      lastUpdated: instant(created + 4000),
      subscriptionRequestResourceCounters: { ...counters, completed: 1 },
      subscriptionRequestResources: [resource("COMPLETED")],
    });
    expect(await simStatus(iccid)).toBe("PAUSE");
  });

  it("terminates through TERMINATED_PENDING", async () => {
    const iccid = deviceIn("ACTIVE").record.iccid!;
    expect((await submit("state-changes", stateChange(iccid, "TERMINATED"))).status).toBe(201);
    expect(await simStatus(iccid)).toBe("TERMINATED_PENDING");
    await clock.advance(4000);
    expect(await simStatus(iccid)).toBe("TERMINATED");
  });

  it("ends a failing request COMPLETED_WITH_FAILURES, or REJECTED when it fails while PENDING", async () => {
    const [first, second] = runtime
      .listDevices(account.id, 0, 100)
      .filter((d) => d.nativeStatus === "ACTIVE");
    runtime.setProfileOverride({ asyncTimeline: [TIMELINE[0]!, { ...TIMELINE[1]!, failureRate: 1 }] });
    const failing = (await (
      await submit("state-changes", stateChange(first!.record.iccid!, "PAUSE"))
    ).json()) as {
      subscription_request_id: string;
    };
    await clock.advance(4000);
    const failed = await request(failing.subscription_request_id);
    expect(failed).toMatchObject({
      subscriptionRequestState: "COMPLETED_WITH_FAILURES",
      subscriptionRequestResourceCounters: { failed: 1, completed: 0 },
    });
    expect((failed.subscriptionRequestResources as Array<Record<string, unknown>>)[0]).toMatchObject({
      resourceState: "FAILED",
      resourceFailureInfos: [{ errorCode: "PROVISIONING_FAILED", errorMessage: expect.any(String) }],
    });
    expect(await simStatus(first!.record.iccid!)).toBe("ACTIVE");

    runtime.setProfileOverride({ asyncTimeline: [{ ...TIMELINE[0]!, failureRate: 1 }, TIMELINE[1]!] });
    const rejecting = (await (
      await submit("state-changes", stateChange(second!.record.iccid!, "PAUSE"))
    ).json()) as {
      subscription_request_id: string;
    };
    await clock.advance(1000);
    expect(await request(rejecting.subscription_request_id)).toMatchObject({
      subscriptionRequestState: "REJECTED",
      subscriptionRequestResourceCounters: { rejected: 1 },
    });
  });

  it("refuses lower-case states, invalid transitions, unknown SIMs and changes in flight as problems", async () => {
    const active = deviceIn("ACTIVE").record.iccid!;
    const terminated = deviceIn("TERMINATED").record.iccid!;
    const problemOf = async (res: Response) => [res.status, await res.json()];

    expect(await problemOf(await submit("state-changes", stateChange(active, "pause")))).toEqual([
      400,
      {
        type: PROBLEM,
        title: "Bad Request",
        status: 400,
        detail: `change.state must be one of ${SETTABLE}`,
        instance: "/iot/api/sica/subscriptions/requests/state-changes",
        code: "INVALID_REQUEST_PARAMETERS",
      },
    ]);
    expect(await problemOf(await submit("state-changes", stateChange(terminated, "ACTIVE")))).toEqual([
      400,
      expect.objectContaining({
        detail: `${terminated}: Status change from TERMINATED to ACTIVE is not allowed`,
        code: "INVALID_STATE_TRANSITION",
      }),
    ]);
    expect(
      await problemOf(await submit("state-changes", stateChange("89430300000000000000", "PAUSE"))),
    ).toEqual([404, expect.objectContaining({ code: "SUBSCRIPTION_NOT_FOUND" })]);
    expect((await submit("state-changes", stateChange(active, "PAUSE"))).status).toBe(201);
    expect(await problemOf(await submit("state-changes", stateChange(active, "ACTIVE")))).toEqual([
      409,
      expect.objectContaining({ title: "Conflict", code: "REQUEST_IN_PROGRESS" }),
    ]);
  });

  it("sends X-RateLimit-* headers on 200 and on 429, and no Retry-After", async () => {
    runtime.setProfileOverride({
      rateLimits: [
        { name: "second", limit: 3, windowMs: 1000, algorithm: "fixed-window" },
        { name: "minute", limit: 100, windowMs: 60_000, algorithm: "fixed-window" },
      ],
    });
    const headers = await bearer();
    const limits = (res: Response) =>
      ["limit-second", "remaining-second", "limit-minute", "remaining-minute"].map((h) =>
        res.headers.get(`x-ratelimit-${h}`),
      );
    const answers: Response[] = [];
    for (let i = 0; i < 4; i++)
      answers.push(await server.request(`${API}/subscriptions/details?limit=1`, { headers }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map(limits)).toEqual([
      ["3", "2", "100", "99"],
      ["3", "1", "100", "98"],
      ["3", "0", "100", "97"],
      ["3", "0", "100", "97"],
    ]);
    const refused = answers[3]!;
    expect(refused.headers.get("retry-after")).toBeNull();
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({
      type: PROBLEM,
      title: "Too Many Requests",
      status: 429,
      code: "RATE_LIMIT_EXCEEDED",
    });
  });

  it("limits each endpoint on its own, the token endpoint per user", async () => {
    runtime.setProfileOverride({
      rateLimits: iota.defaults.rateLimits as PlatformProfileInput["rateLimits"],
    });
    const headers = await bearer();
    const read = await readSim(deviceIn("ACTIVE").record.iccid!);
    expect([
      read.headers.get("x-ratelimit-limit-second"),
      read.headers.get("x-ratelimit-limit-minute"),
    ]).toEqual(["30", "1000"]);
    const list = await server.request(`${API}/subscriptions/details?limit=1`, { headers });
    expect([
      list.headers.get("x-ratelimit-limit-second"),
      list.headers.get("x-ratelimit-limit-minute"),
    ]).toEqual(["10", "150"]);

    // bearer() and readSim() above took two of this user's five token requests in this second.
    const tokens: Response[] = [];
    for (let i = 0; i < 4; i++) tokens.push(await token(grant()));
    expect(tokens.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(tokens[3]!.headers.get("x-ratelimit-limit-second")).toBe("5");
    expect(tokens[3]!.headers.get("content-type")).toBe("application/problem+json");
    expect((await token(grant(sibling))).status).toBe(200);
  });

  it("moves subscriptions to another organisation with an organization-changes request", async () => {
    const device = deviceIn("ACTIVE");
    const iccid = device.record.iccid!;
    const move = (organization_id: string) => ({
      subscriptions: { identifier_type: "MSISDN", identifiers: [device.record.msisdn] },
      change: { organization_id },
    });
    expect(await (await submit("organization-changes", move(stranger.id))).json()).toMatchObject({
      status: 403,
      code: "ACCESS_DENIED",
    });
    const res = await submit("organization-changes", move(sibling.id));
    expect(res.status).toBe(201);
    const { subscription_request_id: id } = (await res.json()) as { subscription_request_id: string };
    await clock.advance(4000);
    expect(await request(id)).toMatchObject({
      subscriptionRequestType: "CHANGE_SUBSCRIPTIONORGANIZATION",
      subscriptionRequestState: "COMPLETED",
      subscriptionRequestResources: [
        {
          resourceId: iccid,
          resourceProperties: [
            { type: "ICCID", value: iccid, operation: "SUBSCRIPTION_ORGANIZATION_CHANGE" },
            { type: "TARGET_ORGANIZATION", value: sibling.id, operation: "SUBSCRIPTION_ORGANIZATION_CHANGE" },
          ],
        },
      ],
    });
    expect((await readSim(iccid)).status).toBe(404);
    expect((await readSim(iccid, sibling)).status).toBe(200);
    const list = await server.request(`${API}/subscriptions/details?limit=1`, { headers: await bearer() });
    expect(list.headers.get("x-total-count")).toBe("99");
  });
});

/** Moves both clocks in steps until `done`; over HTTP, lets each step's calls land on the wire first. */
async function advanceUntil(h: ParityHarness, done: () => boolean): Promise<void> {
  for (let step = 0; step < 80 && !done(); step++) {
    await h.advance(500);
    if (h.transport === "http") await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs an adapter call that waits on the clock; says whether it had settled before time moved. */
async function whileAdvancing<T>(h: ParityHarness, call: () => Promise<T>) {
  let settled = false;
  const pending = call().finally(() => {
    settled = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const settledBeforeTimeMoved = settled;
  await advanceUntil(h, () => settled);
  return { settledBeforeTimeMoved, outcome: await pending };
}

const parityConfig = (profile: PlatformProfileInput): ConfigInput => ({
  tenants: TENANTS,
  platforms: { IOTA: { profile: { ...PROFILE, ...profile } } },
});

describe("IOTA CMO adapter", () => {
  it("waits for the native request on the clock, identically in-process and over HTTP", async () => {
    const { inProcess, http } = await runOverBothTransports("IOTA", parityConfig({}), async (h) => {
      const account = h.account();
      const page = await h.adapter.list(account, 95, 10);
      const jump = await h.adapter.list(account, 40, 3);
      if (!page.ok || !jump.ok) throw new Error("list failed");
      const [target, moving] = page.value.items.filter((d) => d.status === "ACTIVE");
      const changed = await whileAdvancing(h, () => h.adapter.changeStatus(account, target!, "SUSPENDED"));
      const moved = await whileAdvancing(h, () => h.adapter.transfer(account, moving!, h.account("eos", 1)));
      const after = await h.adapter.list(account, 0, 1);
      const missing = await h.adapter.get(account, "89430300000000000000");
      const terminated = h.runtime
        .listDevices(account.id, 0, 100)
        .find((d) => d.nativeStatus === "TERMINATED")!;
      const read = await h.adapter.get(account, terminated.record.nativeId);
      const invalid = read.ok ? await h.adapter.changeStatus(account, read.value, "SUSPENDED") : read;
      return {
        total: page.value.total,
        ids: page.value.items.map((d) => d.nativeId),
        jump: jump.value.items.map((d) => d.nativeId),
        changed,
        moved,
        totalAfter: after.ok ? after.value.total : -1,
        missing,
        invalid,
      };
    });
    expect(inProcess.total).toBe(100);
    expect(inProcess.ids).toHaveLength(5);
    expect(inProcess.jump).toHaveLength(3);
    expect(inProcess.changed).toMatchObject({
      settledBeforeTimeMoved: false,
      outcome: { ok: true, value: { mode: "done", device: { status: "SUSPENDED", nativeStatus: "PAUSE" } } },
    });
    expect(
      JSON.parse((inProcess.changed.outcome as { exchange: { body: string } }).exchange.body),
    ).toMatchObject({
      subscriptionRequestState: "COMPLETED",
    });
    expect(inProcess.moved).toMatchObject({
      settledBeforeTimeMoved: false,
      outcome: { ok: true, value: { mode: "done", device: { status: "ACTIVE", nativeStatus: "ACTIVE" } } },
    });
    expect(inProcess.totalAfter).toBe(99);
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 404 } });
    expect(inProcess.invalid).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 400 },
    });
    expect(http).toEqual(inProcess);
  });

  it("reports a failed request with its native answer, and a request that outlasts the wait as a gateway timeout", async () => {
    const failing = parityConfig({ asyncTimeline: [TIMELINE[0]!, { ...TIMELINE[1]!, failureRate: 1 }] });
    const slow = parityConfig({ syncWaitTimeoutMs: 2000 });
    const script = async (h: ParityHarness) => {
      const account = h.account();
      const page = await h.adapter.list(account, 0, 20);
      const target = page.ok ? page.value.items.find((d) => d.status === "ACTIVE")! : undefined;
      return (await whileAdvancing(h, () => h.adapter.changeStatus(account, target!, "SUSPENDED"))).outcome;
    };
    const failed = await runOverBothTransports("IOTA", failing, script);
    expect(failed.inProcess).toMatchObject({ ok: false, failure: { kind: "server-error", status: 200 } });
    expect(
      JSON.parse((failed.inProcess as { failure: { exchange: { body: string } } }).failure.exchange.body),
    ).toMatchObject({ subscriptionRequestState: "COMPLETED_WITH_FAILURES" });
    expect(failed.http).toEqual(failed.inProcess);

    const timedOut = await runOverBothTransports("IOTA", slow, script);
    expect(timedOut.inProcess).toMatchObject({
      ok: false,
      failure: { kind: "gateway-timeout", status: 504 },
    });
    expect(timedOut.http).toEqual(timedOut.inProcess);
  });
});
