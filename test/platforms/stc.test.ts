import { beforeEach, describe, expect, it } from "vitest";
import { stc } from "../../simulators/stc/index.js";
import { QUIET } from "../helpers/server.js";
import { STC } from "./stc-dialect.js";
import { failingTimeline, ticketFixture } from "./ticket-dialect-support.js";

/** What only stc does (Arabic, mostly); what it shares with Airlinq and Turkcell is in ticket-dialect.test.ts. */
const f = await ticketFixture(stc);
const { clock, runtime, inStatus } = f;

describe("STC native API", () => {
  beforeEach(() => f.server.sim.reset());

  it("refuses an invalid token with E1010, in English or Arabic as Accept-Language asks", async () => {
    const english = await f.server.request(`${STC.api}/subscriptions`, {
      headers: { authorization: "Bearer forged" },
    });
    expect(english.headers.get("content-language")).toBe("en");

    const arabic = await f.server.request(`${STC.api}/subscriptions`, {
      headers: { authorization: "Bearer forged", "accept-language": "en;q=0.4, ar-SA;q=0.9" },
    });
    expect(arabic.status).toBe(401);
    expect(arabic.headers.get("content-language")).toBe("ar");
    expect(await arabic.json()).toEqual({
      resultCode: "E1010",
      resultMessage: "رمز الوصول مفقود أو غير صالح أو منتهي الصلاحية",
    });
  });

  it("answers E1002 for an unknown subscription in Arabic too", async () => {
    const arabic = await f.server.request(`${STC.api}/subscriptions/89966010000000000000`, {
      headers: await STC.signIn(f, "ar"),
    });
    expect(arabic.status).toBe(404);
    expect(arabic.headers.get("content-language")).toBe("ar");
    expect(await arabic.json()).toEqual({ resultCode: "E1002", resultMessage: "الاشتراك غير موجود" });
  });

  it("gives the reason of a rejected transaction in the caller's language", async () => {
    const { timeline, after } = failingTimeline(STC);
    await runtime.setProfileOverride({ ...QUIET, asyncTimeline: timeline });
    const sim = await inStatus("SUSPENDED");
    const accepted = await STC.change(f, sim.record.iccid!, "ACTIVE", await STC.signIn(f));
    await clock.advance(after);
    const polled = await STC.get(f, STC.ticketPath(STC.ticketOf(accepted)), await STC.signIn(f, "ar"));
    expect(polled.body).toMatchObject({
      status: "REJECTED",
      rejectionReason: "رفضت الشبكة تغيير حالة الاشتراك",
    });
  });

  it("refuses lifting the operator's bar with 409 E1004 in Arabic, bad bodies with E1001, unknown transactions with E1003", async () => {
    const headers = await STC.signIn(f);
    // Only the operator lifts its own bar.
    const barred = await inStatus("SUSPENDED");
    await runtime.setStatus(barred.record.nativeId, "BARRED");
    const lift = await STC.change(f, barred.record.iccid!, "ACTIVE", await STC.signIn(f, "ar"));
    expect(lift.status).toBe(409);
    expect(lift.body).toEqual({
      resultCode: "E1004",
      resultMessage: "لا يُسمح بتغيير حالة الاشتراك من BARRED إلى ACTIVE",
    });

    const sim = await inStatus("ACTIVE");
    const unknown = await STC.change(f, sim.record.iccid!, "DORMANT", await STC.signIn(f, "ar"));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      resultCode: "E1001",
      resultMessage: "الحالة المطلوبة غير معروفة: DORMANT",
    });
    const empty = await f.server.request(`${STC.api}/subscriptions/${sim.record.iccid}/status`, {
      method: "PUT",
      headers,
      body: "{}",
    });
    expect(await empty.json()).toEqual({ resultCode: "E1001", resultMessage: "status is required" });
    const lost = await STC.get(f, STC.ticketPath("TRX2026060100000000"), headers);
    expect(lost.status).toBe(404);
    expect(lost.body).toMatchObject({ resultCode: "E1003" });
  });

  it("answers 429 E1029 with Retry-After past its per-second limit", async () => {
    await runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "second", limit: 3, windowMs: 1000, algorithm: "token-bucket" }],
    });
    const headers = await STC.signIn(f, "ar");
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => STC.get(f, "/subscriptions?limit=1", headers)),
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
