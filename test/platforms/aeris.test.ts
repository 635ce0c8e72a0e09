import { beforeEach, describe, expect, it } from "vitest";
import { iota } from "../../simulators/aeris/index.js";
import type { PlatformProfileInput } from "../../src/config/schema.js";
import { API, aerisServer, PROBLEM, REQUESTS, requestCalls, SICA, TIMELINE } from "./aeris-support.js";

/** Aeris' auth service, problem+json errors, state-change requests and per-endpoint rate limits. */

const aeris = await aerisServer();
const { server, clock, runtime, account, sibling, token, grant, bearer, get, json, deviceIn } = aeris;
const { submit, accepted } = requestCalls(aeris);
const SETTABLE = "ACTIVE, DEACTIVATED, PAUSE, TERMINATED, ACTIVE_NO_BILLING, DEACTIVATED_NO_BILLING";

const readSim = (iccid: string, who = account) =>
  get(`${SICA}/sim-resource/${iccid}?identifier_type=ICC`, who);

async function simStatus(iccid: string): Promise<string> {
  const body = await json<{ sims: Array<{ sim_subscription_status: string }> }>(readSim(iccid));
  return body.sims[0]!.sim_subscription_status;
}

const stateChange = (iccid: string, state: string) => ({
  subscriptions: { identifier_type: "ICC", identifiers: [iccid] },
  change: { state },
});

async function request(id: string): Promise<Record<string, unknown>> {
  const res = await get(`${REQUESTS}/${id}`);
  expect(res.status).toBe(200);
  return json(res);
}

const instant = (ms: number) => ({ epochSecond: Math.floor(ms / 1000), nano: (ms % 1000) * 1_000_000 });

describe("IOTA native API", () => {
  beforeEach(() => server.sim.reset());

  it("issues password-grant tokens and answers bad ones in the auth service's legacy envelope", async () => {
    const ok = await token(grant());
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ access_token: expect.any(String), token_type: "JWT", expires_in: 300 });
    const asJson = await server.request(`${API}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(grant()),
    });
    expect(asJson.status).toBe(200);

    const wrong = await token({ ...grant(), password: "nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 2040, httpStatus: 401, message: "Invalid credentials" });
    const { password: _password, ...withoutPassword } = grant();
    const missing = await token(withoutPassword);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      code: 4000,
      httpStatus: 400,
      message: "Request validation failed",
      detailedMessage: "tokenV3.arg1.password: password must not be null",
    });
    expect((await token({ ...grant(), grant_type: "client_credentials" })).status).toBe(400);
    const { client_id: _client, ...withoutClient } = grant();
    expect(await json(token(withoutClient))).toMatchObject({
      detailedMessage: "tokenV3.arg1.client_id: client_id must not be null",
    });
    expect(await json(token({ ...grant(), client_id: "someone-else" }))).toMatchObject({
      code: 4000,
      detailedMessage: "tokenV3.arg1.client_id: someone-else is not supported",
    });
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

  it("accepts a state change with 201 and a request id, then tracks it PENDING → IN_PROGRESS → COMPLETED", async () => {
    const device = await deviceIn("ACTIVE");
    const iccid = device.record.iccid!;
    const created = clock.now();
    const id = await accepted("state-changes", {
      subscriptions: { identifier_type: "IMSI", identifiers: [device.record.imsi] },
      change: { state: "PAUSE" },
    });

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
      companyName: account.name,
      timeCreated: instant(created),
      lastUpdated: instant(created),
      size: 1,
      subscriptionRequestResourceCounters: { ...counters, pending: 1 },
      subscriptionRequestFailureInfos: [],
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
    const iccid = (await deviceIn("ACTIVE")).record.iccid!;
    expect((await submit("state-changes", stateChange(iccid, "TERMINATED"))).status).toBe(201);
    expect(await simStatus(iccid)).toBe("TERMINATED_PENDING");
    await clock.advance(4000);
    expect(await simStatus(iccid)).toBe("TERMINATED");
  });

  it("ends a failing request COMPLETED_WITH_FAILURES, or REJECTED when it fails while PENDING", async () => {
    const [first, second] = (await runtime.listDevices(account.id, 0, 100)).filter(
      (d) => d.nativeStatus === "ACTIVE",
    );
    await runtime.setProfileOverride({ asyncTimeline: [TIMELINE[0]!, { ...TIMELINE[1]!, failureRate: 1 }] });
    const failing = await accepted("state-changes", stateChange(first!.record.iccid!, "PAUSE"));
    await clock.advance(4000);
    const failed = await request(failing);
    expect(failed).toMatchObject({
      subscriptionRequestState: "COMPLETED_WITH_FAILURES",
      subscriptionRequestResourceCounters: { failed: 1, completed: 0 },
    });
    expect((failed.subscriptionRequestResources as Array<Record<string, unknown>>)[0]).toMatchObject({
      resourceState: "FAILED",
      resourceFailureInfos: [
        {
          errorObject: { errorCode: "PROVISIONING_FAILED", errorMessage: expect.any(String) },
          getErrorType: "DCP_ERROR",
        },
      ],
    });
    expect(await simStatus(first!.record.iccid!)).toBe("ACTIVE");

    await runtime.setProfileOverride({ asyncTimeline: [{ ...TIMELINE[0]!, failureRate: 1 }, TIMELINE[1]!] });
    const rejecting = await accepted("state-changes", stateChange(second!.record.iccid!, "PAUSE"));
    await clock.advance(1000);
    expect(await request(rejecting)).toMatchObject({
      subscriptionRequestState: "REJECTED",
      subscriptionRequestResourceCounters: { rejected: 1 },
      subscriptionRequestFailureInfos: [
        {
          errorObject: { errorCode: "REQUEST_REJECTED", errorMessage: expect.any(String) },
          getErrorType: "DCP_ERROR",
        },
      ],
    });
  });

  it("refuses lower-case states, invalid transitions, unknown SIMs and changes in flight as problems", async () => {
    const active = (await deviceIn("ACTIVE")).record.iccid!;
    const terminated = (await deviceIn("TERMINATED")).record.iccid!;
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
    await runtime.setProfileOverride({
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
    await runtime.setProfileOverride({
      rateLimits: iota.defaults.rateLimits as PlatformProfileInput["rateLimits"],
    });
    const headers = await bearer();
    const read = await readSim((await deviceIn("ACTIVE")).record.iccid!);
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
});
