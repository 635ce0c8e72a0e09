import { beforeEach, describe, expect, it } from "vitest";
import type { NativeAccount } from "../../simulators/shared/runtime.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { basic, startServer, type TestServer } from "../helpers/server.js";
import { CODES, type Code, NUMBERING, QUIET_CISCO } from "./cisco-instances.js";
import { byModification } from "./cisco-support.js";

// A clock that stands still, so no rate-limit window rolls over in the middle of a test.
const server = await startServer(QUIET_CISCO, { clock: new VirtualClock(Date.UTC(2026, 5, 1, 12)) });
// One call at a time only shows when the first call is still in flight: latency on, fixed at 200 ms.
const slow = await startServer(
  {
    platforms: {
      TMUS: { profile: { latency: 200, rateLimits: [] } },
      JASPER: { profile: { latency: 200, rateLimits: [] } },
    },
  },
  { applyLatency: true },
);

const DETAIL_FIELDS = [
  "iccid",
  "imsi",
  "msisdn",
  "imei",
  "status",
  "ratePlan",
  "communicationPlan",
  "customer",
  "endConsumerId",
  "dateActivated",
  "dateAdded",
  "dateUpdated",
  "dateShipped",
  "accountId",
  "fixedIPAddress",
  "fixedIpv6Address",
  ...[1, 2, 3, 4, 5].map((n) => `operatorCustom${n}`),
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `accountCustom${n}`),
  ...[1, 2, 3, 4, 5].map((n) => `customerCustom${n}`),
  "simNotes",
  "deviceID",
  "modemID",
  "globalSimType",
  "eid",
  "simProfileId",
];
const CC_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const LATIN1_JSON = "application/json;charset=ISO-8859-1";
const SINCE_EVER = "modifiedSince=2000-01-01T00:00:00Z";

function platform(target: TestServer, code: Code) {
  const runtime = target.sim.world.platform(code)!.runtime;
  const accounts = (tenant: string) =>
    target.sim.world.accountsOf(tenant, code).map((a) => runtime.accounts.get(a.id) as NativeAccount);
  const base = `/platforms/${code.toLowerCase()}/rws/api/v1`;
  const as = (who: NativeAccount) => ({ authorization: basic(who.username, who.secret) });
  return {
    runtime,
    accounts,
    as,
    get: (path: string, headers: Record<string, string> = as(accounts("eos")[0]!)) =>
      target.request(base + path, { headers }),
    put: (path: string, body: unknown, who: NativeAccount = accounts("eos")[0]!) =>
      target.request(base + path, {
        method: "PUT",
        headers: { ...as(who), "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  };
}

describe.each(CODES)("%s native Control Center API", (code) => {
  const { runtime, accounts, get, put } = platform(server, code);
  const account = accounts("eos")[0]!;
  const withStatus = async (nativeStatus: string) =>
    (await runtime.listDevices(account.id, 0, 100)).find((d) => d.nativeStatus === nativeStatus)!;

  beforeEach(() => server.sim.reset());

  it("answers 401 without credentials and with a wrong API key, each in its own words", async () => {
    const none = await get("/devices?modifiedSince=2000-01-01T00:00:00Z", {});
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toBe(LATIN1_JSON);
    expect(await none.json()).toEqual({
      errorMessage: "Full authentication is required to access this resource",
    });
    const bearer = await get(`/devices?${SINCE_EVER}`, { authorization: "Bearer abc" });
    expect(await bearer.json()).toEqual({
      errorMessage: "Full authentication is required to access this resource",
    });
    const wrong = await get(`/devices?${SINCE_EVER}`, {
      authorization: basic(account.username, "wrong-key"),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ errorMessage: "Invalid credentials", errorCode: "10000001" });
  });

  it("reads Device Details with every documented field and the operator's numbering", async () => {
    const device = await withStatus("ACTIVATED");
    const res = await get(`/devices/${device.record.iccid}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(DETAIL_FIELDS);
    expect(body).toMatchObject({
      iccid: device.record.iccid,
      status: "ACTIVATED",
      accountId: account.id,
      customer: null,
      fixedIpv6Address: null,
      accountCustom10: "",
    });
    expect(body.iccid).toMatch(NUMBERING[code].iccid);
    expect(body.imsi).toMatch(NUMBERING[code].imsi);
    expect(body.msisdn).toMatch(NUMBERING[code].msisdn);
    for (const field of ["dateActivated", "dateAdded", "dateUpdated", "dateShipped"])
      expect(body[field]).toMatch(CC_DATE);

    const narrowed = await get(`/devices/${device.record.iccid}?fields=iccid,status`);
    expect(await narrowed.json()).toEqual({ iccid: device.record.iccid, status: "ACTIVATED" });

    const missing = await get(`/devices/${NUMBERING[code].unknown}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe(LATIN1_JSON);
    expect(await missing.json()).toEqual({
      errorMessage: "Resource not found - Invalid ICCID",
      errorCode: "20000001",
    });
  });

  it("serves cycle-to-date usage in bytes", async () => {
    const device = await withStatus("ACTIVATED");
    const res = await get(`/devices/${device.record.iccid}/ctdUsages`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      iccid: device.record.iccid,
      imsi: device.record.imsi,
      msisdn: device.record.msisdn,
      imei: device.record.imei,
      status: "ACTIVATED",
      ratePlan: device.record.ratePlan,
      communicationPlan: device.record.communicationPlan,
      ctdDataUsage: device.record.usageBytes,
      ctdSMSUsage: expect.any(Number),
      ctdVoiceUsage: 0,
      ctdSessionCount: expect.any(Number),
      overageLimitReached: false,
      overageLimitOverride: "DEFAULT",
    });
  });

  it("searches devices: modifiedSince is mandatory, pages hold at most 50, lastPage ends the list", async () => {
    const required = await get("/devices?pageSize=10");
    expect(required.status).toBe(400);
    expect(await required.json()).toEqual({
      errorMessage: "ModifiedSince is required.",
      errorCode: "10000011",
    });

    const first = await get(`/devices?${SINCE_EVER}&pageSize=30&pageNumber=1`);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as {
      pageNumber: number;
      devices: Array<Record<string, string>>;
      lastPage: boolean;
    };
    expect(page1.pageNumber).toBe(1);
    expect(page1.lastPage).toBe(false);
    expect(page1.devices).toHaveLength(30);
    expect(Object.keys(page1.devices[0]!)).toEqual(["iccid", "status", "ratePlan", "communicationPlan"]);
    // Oldest modification first, as Search Devices documents.
    expect(page1.devices[0]!.iccid).toBe(byModification(await runtime.listDevices(account.id, 0, 100))[0]);

    const page4 = (await (
      await get(`/devices?${SINCE_EVER}&pageSize=30&pageNumber=4`)
    ).json()) as typeof page1;
    expect(page4).toMatchObject({ pageNumber: 4, lastPage: true });
    expect(page4.devices).toHaveLength(10);
    const past = await (await get(`/devices?${SINCE_EVER}&pageSize=30&pageNumber=5`)).json();
    expect(past).toEqual({ pageNumber: 5, devices: [], lastPage: true });

    const byDefault = (await (await get(`/devices?${SINCE_EVER}&pageNumber=2`)).json()) as typeof page1;
    expect(byDefault.devices).toHaveLength(50);
    expect(byDefault.lastPage).toBe(true);

    const tooBig = await get(`/devices?${SINCE_EVER}&pageSize=51`);
    expect(tooBig.status).toBe(400);
    expect(await tooBig.json()).toMatchObject({ errorCode: "10000004" });
  });

  it("filters the search by modifiedSince (a raw + offset included) and status", async () => {
    const all = await runtime.listDevices(account.id, 0, 100);
    const cut = Math.floor([...all].map((d) => d.updatedAt).sort((a, b) => b - a)[7]! / 1000) * 1000;
    const since = new Date(cut).toISOString().replace(".000Z", "+00:00");
    const recent = (await (await get(`/devices?modifiedSince=${since}`)).json()) as {
      devices: Array<{ iccid: string; status: string }>;
      lastPage: boolean;
    };
    expect(recent.devices.map((d) => d.iccid)).toEqual(byModification(all.filter((d) => d.updatedAt >= cut)));
    expect(recent.lastPage).toBe(true);

    const deactivated = (await (
      await get(`/devices?${SINCE_EVER}&status=DEACTIVATED`)
    ).json()) as typeof recent;
    expect(deactivated.devices.length).toBe(all.filter((d) => d.nativeStatus === "DEACTIVATED").length);
    expect(deactivated.devices.every((d) => d.status === "DEACTIVATED")).toBe(true);
    expect((await get(`/devices?${SINCE_EVER}&status=ACTIVE`)).status).toBe(400);
  });

  it("changes status at once and echoes the ICCID", async () => {
    const device = await withStatus("ACTIVATED");
    const res = await put(`/devices/${device.record.iccid}`, { status: "DEACTIVATED" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ iccid: device.record.iccid });
    expect((await runtime.findDevice(account.id, device.record.nativeId))!.nativeStatus).toBe("DEACTIVATED");
    const read = (await (await get(`/devices/${device.record.iccid}`)).json()) as { status: string };
    expect(read.status).toBe("DEACTIVATED");
  });

  it("refuses a transition Control Center does not allow, an empty edit and an unknown rate plan", async () => {
    const device = await withStatus("ACTIVATED");
    const path = `/devices/${device.record.iccid}`;
    const purge = await put(path, { status: "PURGED" });
    expect(purge.status).toBe(400);
    expect(purge.headers.get("content-type")).toBe(LATIN1_JSON);
    expect(await purge.json()).toEqual({ errorMessage: "Invalid status change", errorCode: "10000005" });
    expect((await runtime.findDevice(account.id, device.record.nativeId))!.nativeStatus).toBe("ACTIVATED");

    const cmoWord = await put(path, { status: "ACTIVE" });
    expect(cmoWord.status).toBe(400);
    expect(await cmoWord.json()).toEqual({
      errorMessage: "Status ACTIVE is invalid.",
      errorCode: "10000004",
    });
    const empty = await put(path, {});
    expect(await empty.json()).toEqual({
      errorMessage: "One or more required fields are missing: at least one parameter is required.",
      errorCode: "10000011",
    });
    expect((await put(path, { ratePlan: "other" })).status).toBe(400);
  });

  it("refuses a move to an account of another customer as an invalid accountId", async () => {
    const device = await withStatus("ACTIVATED");
    const foreign = accounts("acme")[0]!;
    const res = await put(`/devices/${device.record.iccid}`, { accountId: foreign.id });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessage: "Invalid accountId.", errorCode: "10000006" });
    expect((await runtime.findDevice(account.id, device.record.nativeId))?.accountId).toBe(account.id);
  });

  it("answers 429 with code 40000029 and no rate-limit headers past 5 calls", async () => {
    await runtime.setProfileOverride({
      latency: 0,
      rateLimits: [{ name: "second", limit: 5, windowMs: 60_000, algorithm: "fixed-window" }],
      maxConcurrent: null,
    });
    const answers: Response[] = [];
    for (let i = 0; i < 7; i++) answers.push(await get(`/devices?${SINCE_EVER}&pageSize=1`));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = answers[5]!;
    expect(refused.headers.get("content-type")).toBe(LATIN1_JSON);
    expect([...refused.headers.keys()].filter((h) => h.startsWith("x-ratelimit"))).toEqual([]);
    expect(await refused.json()).toEqual({
      errorMessage: "Rate limit exceeded: 5 requests per second",
      errorCode: "40000029",
    });
  });

  it("rejects other API versions with 10000024", async () => {
    const res = await server.request(`/platforms/${code.toLowerCase()}/rws/api/v2/devices?${SINCE_EVER}`, {
      headers: { authorization: basic(account.username, account.secret) },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessage: "Invalid apiVersion", errorCode: "10000024" });
  });
});

describe.each(CODES)("%s one call at a time", (code) => {
  const { runtime, get } = platform(slow, code);

  it("refuses a second concurrent call of the same account with 429 40000029", async () => {
    const iccid = (await runtime.listDevices(platform(slow, code).accounts("eos")[0]!.id, 0, 1))[0]!.record
      .iccid;
    const both = await Promise.all([get(`/devices/${iccid}`), get(`/devices/${iccid}`)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 429]);
    const refused = both.find((r) => r.status === 429)!;
    expect(await refused.json()).toEqual({
      errorMessage: "Only 1 concurrent request(s) allowed",
      errorCode: "40000029",
    });
    expect((await get(`/devices/${iccid}`)).status).toBe(200);
  });
});

describe("JASPER moves between the customer's accounts", () => {
  const { runtime, accounts, as, get, put } = platform(server, "JASPER");
  const [first, second] = accounts("eos") as [NativeAccount, NativeAccount];

  beforeEach(() => server.sim.reset());

  it("moves a device with an accountId edit; afterwards only the receiving account sees it", async () => {
    const device = (await runtime.listDevices(first.id, 0, 1))[0]!;
    const res = await put(`/devices/${device.record.iccid}`, { accountId: second.id }, first);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ iccid: device.record.iccid });
    expect((await get(`/devices/${device.record.iccid}`, as(first))).status).toBe(404);
    const moved = (await (await get(`/devices/${device.record.iccid}`, as(second))).json()) as {
      accountId: string;
    };
    expect(moved.accountId).toBe(second.id);
    expect(await runtime.countDevices(first.id)).toBe(99);
    const arrivals = await (await get(`/devices?${SINCE_EVER}&pageNumber=3`, as(second))).json();
    expect(arrivals).toEqual({
      pageNumber: 3,
      devices: [
        {
          iccid: device.record.iccid,
          status: device.nativeStatus,
          ratePlan: device.record.ratePlan,
          communicationPlan: device.record.communicationPlan,
        },
      ],
      lastPage: true,
    });
  });
});
