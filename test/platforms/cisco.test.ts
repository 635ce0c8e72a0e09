import { beforeEach, describe, expect, it } from "vitest";
import type { DeviceView } from "../../simulators/shared/adapter.js";
import type { NativeAccount } from "../../simulators/shared/runtime.js";
import type { ConfigInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { basic, QUIET, startServer, type TestServer } from "../helpers/server.js";
import { byModification } from "./cisco-support.js";

const CODES = ["TMUS", "JASPER"] as const;
type Code = (typeof CODES)[number];

const QUIET_CISCO: ConfigInput = { platforms: { TMUS: { profile: QUIET }, JASPER: { profile: QUIET } } };
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

const NUMBERING: Record<Code, { iccid: RegExp; imsi: RegExp; msisdn: RegExp; unknown: string }> = {
  TMUS: {
    iccid: /^8901260\d{13}$/,
    imsi: /^310260\d{9}$/,
    msisdn: /^1(206|425|360|509)[2-9]\d{6}$/,
    unknown: "89012600000000000000",
  },
  JASPER: {
    iccid: /^8997112\d{12}$/,
    imsi: /^42402\d{10}$/,
    msisdn: /^9715[06]\d{7}$/,
    unknown: "8997112000000000000",
  },
};

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
  const withStatus = (nativeStatus: string) =>
    runtime.listDevices(account.id, 0, 100).find((d) => d.nativeStatus === nativeStatus)!;

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
    const device = withStatus("ACTIVATED");
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
    const device = withStatus("ACTIVATED");
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
    expect(page1.devices[0]!.iccid).toBe(byModification(runtime.listDevices(account.id, 0, 100))[0]);

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
    const all = runtime.listDevices(account.id, 0, 100);
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
    const device = withStatus("ACTIVATED");
    const res = await put(`/devices/${device.record.iccid}`, { status: "DEACTIVATED" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ iccid: device.record.iccid });
    expect(runtime.findDevice(account.id, device.record.nativeId)!.nativeStatus).toBe("DEACTIVATED");
    const read = (await (await get(`/devices/${device.record.iccid}`)).json()) as { status: string };
    expect(read.status).toBe("DEACTIVATED");
  });

  it("refuses a transition Control Center does not allow, an empty edit and an unknown rate plan", async () => {
    const device = withStatus("ACTIVATED");
    const path = `/devices/${device.record.iccid}`;
    const purge = await put(path, { status: "PURGED" });
    expect(purge.status).toBe(400);
    expect(purge.headers.get("content-type")).toBe(LATIN1_JSON);
    expect(await purge.json()).toEqual({ errorMessage: "Invalid status change", errorCode: "10000005" });
    expect(runtime.findDevice(account.id, device.record.nativeId)!.nativeStatus).toBe("ACTIVATED");

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
    const device = withStatus("ACTIVATED");
    const foreign = accounts("acme")[0]!;
    const res = await put(`/devices/${device.record.iccid}`, { accountId: foreign.id });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessage: "Invalid accountId.", errorCode: "10000006" });
    expect(runtime.findDevice(account.id, device.record.nativeId)?.accountId).toBe(account.id);
  });

  it("answers 429 with code 40000029 and no rate-limit headers past 5 calls", async () => {
    runtime.setProfileOverride({
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
    const iccid = runtime.listDevices(platform(slow, code).accounts("eos")[0]!.id, 0, 1)[0]!.record.iccid;
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
    const device = runtime.listDevices(first.id, 0, 1)[0]!;
    const res = await put(`/devices/${device.record.iccid}`, { accountId: second.id }, first);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ iccid: device.record.iccid });
    expect((await get(`/devices/${device.record.iccid}`, as(first))).status).toBe(404);
    const moved = (await (await get(`/devices/${device.record.iccid}`, as(second))).json()) as {
      accountId: string;
    };
    expect(moved.accountId).toBe(second.id);
    expect(runtime.countDevices(first.id)).toBe(99);
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

const SIMCARD = [
  "dateActivated",
  "dateAdded",
  "dateUpdated",
  "euiccid",
  "globalSimType",
  "ICCID",
  "imei",
  "IMSI",
  "MSISDN",
  "simNotes",
];

describe.each(CODES)("%s CMO adapter", (code) => {
  it("gives identical results in-process and over HTTP", async () => {
    const { inProcess, http } = await runOverBothTransports(code, QUIET_CISCO, async (h) => {
      const account = h.account();
      const count = await h.adapter.list(account, 0, 1);
      const window = await h.adapter.list(account, 45, 10);
      const tail = await h.adapter.list(account, 95, 10);
      const active = h.runtime.listDevices(account.id, 0, 100).find((d) => d.cmoStatus === "ACTIVE")!;
      const read = await h.adapter.get(account, active.record.nativeId);
      const usage = await h.adapter.getUsage!(account, active.record.nativeId);
      const changed = await h.adapter.changeStatus(
        account,
        read.ok ? read.value : ({} as DeviceView),
        "SUSPENDED",
      );
      const refused = await h.adapter.changeStatus(
        account,
        read.ok ? read.value : ({} as DeviceView),
        "TERMINATED",
      );
      const missing = await h.adapter.get(account, NUMBERING[code].unknown);
      // The platform's own 429, handed back raw (the CMO's pacing would refuse before sending).
      h.runtime.setProfileOverride({
        rateLimits: [{ name: "second", limit: 1, windowMs: 1000, algorithm: "fixed-window" }],
        pacing: { passThrough: true },
      });
      await h.adapter.get(account, active.record.nativeId);
      const limited = await h.adapter.get(account, active.record.nativeId);
      return {
        usageBytes: active.record.usageBytes,
        count: count.ok ? { total: count.value.total, n: count.value.items.length } : count,
        window: window.ok
          ? { total: window.value.total, ids: window.value.items.map((d) => d.nativeId) }
          : window,
        tail: tail.ok ? { total: tail.value.total, n: tail.value.items.length } : tail,
        listed: window.ok ? window.value.items[0] : undefined,
        read,
        usage,
        changed,
        refused,
        missing,
        limited,
      };
    });
    expect(inProcess.count).toEqual({ total: 100, n: 1 });
    expect(inProcess.window).toMatchObject({ total: 100 });
    expect((inProcess.window as { ids: string[] }).ids).toHaveLength(10);
    expect(inProcess.tail).toEqual({ total: 100, n: 5 });
    expect(inProcess.listed).toMatchObject({
      characteristics: [{ name: "ICCID" }],
      connectivity: [{ name: "ratePlan" }, { name: "communicationPlan" }],
    });
    expect(inProcess.read).toMatchObject({
      ok: true,
      value: { status: "ACTIVE", nativeStatus: "ACTIVATED" },
    });
    const view = (inProcess.read as { value: DeviceView }).value;
    expect(view.characteristics.map((c) => c.name)).toEqual(SIMCARD);
    expect(view.connectivity?.map((c) => c.name)).toEqual([
      "ratePlan",
      "communicationPlan",
      "fixedIPAddress",
      "fixedIpv6Address",
    ]);
    expect(view.startDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(view.offering).toBe(view.connectivity?.[0]?.value);
    expect(inProcess.usage).toMatchObject({
      ok: true,
      value: {
        bytes: inProcess.usageBytes,
        since: "2026-06-01T00:00:00.000Z",
        until: "2026-06-01T12:00:00.000Z",
      },
    });
    expect(inProcess.changed).toMatchObject({
      ok: true,
      value: { mode: "done", device: { status: "SUSPENDED", nativeStatus: "DEACTIVATED" } },
    });
    expect(inProcess.refused).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 400, message: "Invalid status change" },
    });
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 404 } });
    expect(inProcess.limited).toMatchObject({
      ok: false,
      failure: { kind: "rate-limited", status: 429, retryAfterMs: 1000 },
    });
    expect(http).toEqual(inProcess);
  });
});

describe("JASPER CMO adapter transfer", () => {
  it("moves a device between the two eos accounts in one synchronous edit", async () => {
    const { inProcess, http } = await runOverBothTransports("JASPER", QUIET_CISCO, async (h) => {
      const [from, to] = [h.account("eos", 0), h.account("eos", 1)];
      const page = await h.adapter.list(from, 0, 1);
      const device = page.ok ? page.value.items[0]! : ({} as DeviceView);
      const moved = await h.adapter.transfer(from, device, to);
      const gone = await h.adapter.get(from, device.nativeId);
      const totals = [await h.adapter.list(from, 0, 1), await h.adapter.list(to, 0, 1)].map((o) =>
        o.ok ? o.value.total : -1,
      );
      return { to: to.id, device: device.nativeId, moved, gone, totals };
    });
    expect(inProcess.moved).toMatchObject({
      ok: true,
      value: { mode: "done", device: { nativeId: inProcess.device, accountId: inProcess.to } },
    });
    expect(inProcess.gone).toMatchObject({ ok: false, failure: { kind: "not-found" } });
    expect(inProcess.totals).toEqual([99, 101]);
    expect(http).toEqual(inProcess);
  });
});

describe("Control Center adapter totals", () => {
  it("finds an account's total by probing pages, since Search Devices only says lastPage", async () => {
    const accounts = [
      { platform: "TMUS" as const, id: "100200001", name: "TMUS_BIG", size: 1234 },
      { platform: "TMUS" as const, id: "100200002", name: "TMUS_EMPTY", size: 0 },
    ];
    const config: ConfigInput = {
      tenants: [{ id: "eos", accounts }],
      platforms: { TMUS: { profile: QUIET } },
    };
    const { inProcess, http } = await runOverBothTransports("TMUS", config, async (h) => {
      const summary = async (n: number, offset: number, limit: number) => {
        const page = await h.adapter.list(h.account("eos", n), offset, limit);
        return page.ok ? { total: page.value.total, n: page.value.items.length } : page.failure.message;
      };
      return [
        await summary(0, 0, 1),
        await summary(0, 1230, 10),
        await summary(0, 2000, 5),
        await summary(1, 0, 5),
      ];
    });
    expect(inProcess).toEqual([
      { total: 1234, n: 1 },
      { total: 1234, n: 4 },
      { total: 1234, n: 0 },
      { total: 0, n: 0 },
    ]);
    expect(http).toEqual(inProcess);
  });
});
