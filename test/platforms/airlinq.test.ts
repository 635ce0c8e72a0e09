import { beforeEach, describe, expect, it } from "vitest";
import { airlinq } from "../../simulators/airlinq/index.js";
import { AIRLINQ } from "./airlinq-dialect.js";
import { ticketFixture } from "./ticket-dialect-support.js";

/** What only Airlinq does; what it shares with stc and Turkcell is in ticket-dialect.test.ts. */
const f = await ticketFixture(airlinq);
const { clock, runtime, account, inStatus } = f;

const stateChange = async (body: unknown, headers: Record<string, string>) =>
  (
    await f.server.request(`${AIRLINQ.api}/sims/state-change`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    })
  ).json() as Promise<Record<string, unknown>>;

describe("AIRLINQ native API", () => {
  beforeEach(() => f.server.sim.reset());

  it("refuses a call without a token in the CMP's FAILURE envelope", async () => {
    const bare = await AIRLINQ.get(f, "/sims", {});
    expect(bare.status).toBe(401);
    expect(bare.body).toEqual({
      status: "FAILURE",
      errorCode: "CMP-4010",
      errorMessage: "Missing or malformed Authorization header",
    });
  });

  it("runs a bulk request with what passes and reports the rest per ICCID: PARTIAL_SUCCESS", async () => {
    const active = await inStatus("ACTIVE");
    const gone = await inStatus("TERMINATED");
    const headers = await AIRLINQ.signIn(f);
    const res = await f.server.request(`${AIRLINQ.api}/sims/state-change`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        iccids: [active.record.iccid, gone.record.iccid, "89918740000000000000"],
        targetState: "SUSPENDED",
      }),
    });
    expect(res.status).toBe(202);
    const { requestId } = (await res.json()) as { requestId: string };
    await clock.advanceTo((await runtime.getOperation(requestId))!.plan.endsAt);
    expect((await AIRLINQ.get(f, AIRLINQ.ticketPath(requestId), headers)).body).toMatchObject({
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
    expect((await runtime.findDevice(account.id, active.record.nativeId))!.nativeStatus).toBe("SUSPENDED");
  });

  it("refuses an unknown state and more than 100 ICCIDs (400), and answers CMP-4005 for an unknown request", async () => {
    const headers = await AIRLINQ.signIn(f);
    const sim = await inStatus("ACTIVE");
    expect(await stateChange({ iccids: [sim.record.iccid], targetState: "Active" }, headers)).toEqual({
      status: "FAILURE",
      errorCode: "CMP-4001",
      errorMessage: "targetState must be one of INVENTORY, TEST, ACTIVE, SUSPENDED, TERMINATED",
    });
    const tooMany = Array.from({ length: 101 }, () => sim.record.iccid);
    const bulk = await f.server.request(`${AIRLINQ.api}/sims/state-change`, {
      method: "POST",
      headers,
      body: JSON.stringify({ iccids: tooMany, targetState: "ACTIVE" }),
    });
    expect(bulk.status).toBe(400);
    expect(await bulk.json()).toMatchObject({ errorCode: "CMP-4003" });
    const unknownRequest = await AIRLINQ.get(f, AIRLINQ.ticketPath("000000000000000000000000"), headers);
    expect(unknownRequest.status).toBe(404);
    expect(unknownRequest.body).toMatchObject({ errorCode: "CMP-4005" });
  });

  it("counts a per-minute quota in RateLimit-* headers and answers 429 CMP-4029 past it", async () => {
    await runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "minute", limit: 3, windowMs: 60_000, algorithm: "fixed-window" }],
    });
    const headers = await AIRLINQ.signIn(f);
    const answers = [];
    for (let n = 0; n < 4; n++) {
      const res = await f.server.request(`${AIRLINQ.api}/sims?pageSize=1`, { headers });
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
