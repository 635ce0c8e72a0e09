import { beforeEach, describe, expect, it } from "vitest";
import { pacingLimits, resolveProfile } from "../../simulators/shared/profile.js";
import { turkcell } from "../../simulators/turkcell/index.js";
import { Pacer } from "../../src/engine/pacing.js";
import type { NativeExchange, NativeRequest } from "../../src/transport/types.js";
import { answerOf, ticketFixture } from "./ticket-dialect-support.js";
import { turkcellRefusal as refusal, TURKCELL } from "./turkcell-dialect.js";

/** What only Turkcell does (its envelope, mostly); what it shares with Airlinq and stc is in ticket-dialect.test.ts. */
const f = await ticketFixture(turkcell);
const { clock, runtime, inStatus } = f;

describe("TURKCELL native API", () => {
  beforeEach(() => f.server.sim.reset());

  it("answers refused changes as HTTP 200 with the refusal in header.resultCode", async () => {
    const headers = await TURKCELL.signIn(f);
    const path = `${TURKCELL.api}/lines/${(await inStatus("ACTIVE")).record.iccid}/status`;
    const post = (body: string, contentType = "application/json") =>
      f.server
        .request(path, { method: "POST", headers: { ...headers, "content-type": contentType }, body })
        .then(answerOf);
    expect((await post(JSON.stringify({ targetStatus: "DEACTIVATED" }))).body.header.resultCode).toBe("1000");
    expect(await post("{}")).toEqual(refusal("1000", "targetStatus is required"));
    expect((await post("SUSPENDED", "text/plain")).body.header).toEqual({
      resultCode: "1005",
      resultDescription: "Content-Type must be application/json, got text/plain",
    });
    expect(await TURKCELL.get(f, "/orders/3999999999", headers)).toEqual(
      refusal("1002", "Order 3999999999 not found"),
    );
  });

  it("keeps HTTP 429 (enveloped, with Retry-After) past 5 requests per second", async () => {
    await runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "second", limit: 5, windowMs: 1000, algorithm: "fixed-window" }],
    });
    const headers = await TURKCELL.signIn(f);
    const answers = await Promise.all(
      Array.from({ length: 7 }, () => TURKCELL.get(f, "/lines?pageSize=1", headers)),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited[0]).toEqual({
      status: 429,
      retryAfter: "1",
      location: null,
      body: {
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
});
