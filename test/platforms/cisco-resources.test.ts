import { beforeEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { basic } from "../helpers/server.js";
import { ccStamp, controlCenterServer, cycleOf, fromCcDate } from "./cisco-support.js";

/**
 * The device resources besides details and edits, as developer.cisco.com/docs/control-center
 * describes them (get-session-details, get-device-usage-by-zone, echo), the functions an enterprise
 * user is refused, and a state snapshot that keeps edits, messages and edits scheduled for later.
 */
const DAY = 86_400_000;
const { clock, config, server, runtime, account, base, cc, devices, inStatus } = await controlCenterServer(
  "JASPER",
  { seed: 11 },
);

const day = (ms: number) => `${new Date(ms).toISOString().slice(0, 10)}Z`;

describe("JASPER Get Session Details", () => {
  beforeEach(() => server.sim.reset());

  it("answers null dates and address for a SIM never in session", async () => {
    const never = (await devices()).find((d) => d.activatedAt === undefined)!.record.iccid;
    expect(await cc("GET", `/devices/${never}/sessionInfo`)).toEqual({
      status: 200,
      body: { iccid: never, ipAddress: null, dateSessionStarted: null, dateSessionEnded: null },
    });
  });

  it("shows the current or last session of an activated SIM, the same on every read and every run", async () => {
    const iccid = await inStatus("ACTIVATED");
    const first = (await cc("GET", `/devices/${iccid}/sessionInfo`)).body;
    expect(Object.keys(first)).toEqual(["iccid", "ipAddress", "dateSessionStarted", "dateSessionEnded"]);
    expect(first.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(fromCcDate(first.dateSessionStarted)).toBeLessThanOrEqual(clock.now());
    if (first.dateSessionEnded !== null)
      expect(fromCcDate(first.dateSessionEnded)).toBeLessThanOrEqual(clock.now());
    expect((await cc("GET", `/devices/${iccid}/sessionInfo`)).body).toEqual(first);

    const twin = createSimulator(config, { clock: new VirtualClock(clock.now()), applyLatency: false });
    const again = await twin.fetch(
      new Request(`http://sim${base}/devices/${iccid}/sessionInfo`, {
        headers: { authorization: basic(account.username, account.secret) },
      }),
    );
    expect(await again.json()).toEqual(first);
    const sessions = async () => (await cc("GET", `/devices/${iccid}/ctdUsages`)).body.ctdSessionCount;
    const before = await sessions();
    expect(before).toBeGreaterThan(0);
    // Sessions start every 2 to 24 hours: a day within the cycle adds between 1 and 12.
    await clock.advance(DAY);
    const added = (await sessions()) - before;
    expect(added).toBeGreaterThanOrEqual(1);
    expect(added).toBeLessThanOrEqual(12);
  });

  it("ends the session when the SIM is deactivated, and gives a static plan's fixed address", async () => {
    const iccid = await inStatus("ACTIVATED");
    await cc("PUT", `/devices/${iccid}`, { communicationPlan: "Etisalat IoT Static IP APN" });
    const fixed = (await cc("GET", `/devices/${iccid}`)).body.fixedIPAddress;
    expect((await cc("GET", `/devices/${iccid}/sessionInfo`)).body.ipAddress).toBe(fixed);

    await cc("PUT", `/devices/${iccid}`, { status: "DEACTIVATED" });
    const deactivatedAt = clock.now();
    await clock.advance(3 * DAY);
    const ended = (await cc("GET", `/devices/${iccid}/sessionInfo`)).body;
    expect(ended.dateSessionEnded).not.toBeNull();
    expect(fromCcDate(ended.dateSessionEnded)).toBeLessThanOrEqual(deactivatedAt);
  });
});

describe("JASPER Get Device Usage by Zone", () => {
  beforeEach(() => server.sim.reset());

  it("splits the cycle's usage by rate plan and zone, matching ctdUsages", async () => {
    const iccid = await inStatus("ACTIVATED");
    const usage = (await cc("GET", `/devices/${iccid}/ctdUsages`)).body;
    const res = await cc("GET", `/devices/${iccid}/usageInZone`);
    const cycle = cycleOf(clock.now());
    expect(res.body).toMatchObject({
      iccid,
      timeStamp: ccStamp(clock.now()),
      cycleStartDate: ccStamp(cycle),
      cycleEndDate: ccStamp(cycleOf(clock.now(), -1) - 1000),
    });
    const byPlan = res.body.deviceCycleUsageInZones;
    expect(Object.keys(byPlan)).toEqual([`${usage.ratePlan}, 1`]);
    const records = byPlan[`${usage.ratePlan}, 1`] as Array<Record<string, any>>;
    expect(records[0]).toMatchObject({
      ratePlan: usage.ratePlan,
      ratePlanVersion: "1",
      zone: "UAE",
      dataUsageUnit: "bytes",
    });
    expect(records.reduce((sum, r) => sum + (r.dataUsage ?? 0), 0)).toBeCloseTo(usage.ctdDataUsage, -1);
    for (const r of records) expect(["UAE", "GCC", "Rest of World"]).toContain(r.zone);
  });

  it("filters by cycle (the last three), zone, rate plan and active plan, refusing an unknown zone with 10000031", async () => {
    const iccid = await inStatus("ACTIVATED");
    const plan = (await cc("GET", `/devices/${iccid}`)).body.ratePlan;
    const zones = async (query: string) => (await cc("GET", `/devices/${iccid}/usageInZone?${query}`)).body;
    const earlier = await zones(`cycleStartDate=${day(cycleOf(clock.now(), 2))}`);
    expect(earlier.cycleStartDate).toBe(ccStamp(cycleOf(clock.now(), 2)));
    expect(
      (await cc("GET", `/devices/${iccid}/usageInZone?cycleStartDate=${day(cycleOf(clock.now(), 3))}`))
        .status,
    ).toBe(400);
    expect(
      (await cc("GET", `/devices/${iccid}/usageInZone?cycleStartDate=${day(cycleOf(clock.now()) + DAY)}`))
        .status,
    ).toBe(400);
    expect((await cc("GET", `/devices/${iccid}/usageInZone?cycleStartDate=June`)).status).toBe(400);

    const home = (await zones("zone=UAE")).deviceCycleUsageInZones[`${plan}, 1`];
    expect(home.map((r: { zone: string }) => r.zone)).toEqual(["UAE"]);
    expect(await cc("GET", `/devices/${iccid}/usageInZone?zone=Mars`)).toEqual({
      status: 400,
      body: { errorMessage: "Invalid Zone.", errorCode: "10000031" },
    });
    const other =
      runtime.definition.numbering.kind === "cellular"
        ? runtime.definition.numbering.ratePlans.find((p) => p !== plan)!
        : "";
    expect((await zones(`ratePlan=${encodeURIComponent(other)}`)).deviceCycleUsageInZones).toEqual({});
    expect((await cc("GET", `/devices/${iccid}/usageInZone?ratePlan=Nope`)).status).toBe(400);
    expect((await zones("isActiveRatePlan=true")).deviceCycleUsageInZones).toHaveProperty([`${plan}, 1`]);
    expect((await zones("isActiveRatePlan=false")).deviceCycleUsageInZones).toEqual({});
    expect((await cc("GET", `/devices/${iccid}/usageInZone?period=1`)).body.errorCode).toBe("10000028");
  });
});

describe("JASPER Echo and the functions an enterprise user does not get", () => {
  it("echoes a value to an authenticated caller only", async () => {
    expect(await cc("GET", "/echo/hello%20there")).toEqual({ status: 200, body: { context: "hello there" } });
    expect((await cc("GET", "/echo/hi", undefined, "")).status).toBe(401);
    expect(await cc("GET", "/echo/hi", undefined, basic(account.username, "wrong"))).toEqual({
      status: 401,
      body: { errorMessage: "Invalid credentials", errorCode: "10000001" },
    });
    expect((await cc("GET", "/echo/hi?x=1")).body.errorCode).toBe("10000028");
  });

  it("refuses the operator-only account functions and the undocumented-here ones with 10000030", async () => {
    for (const path of [`/accounts/${account.id}`, "/accounts", `/accounts/${account.id}/ratePlans`]) {
      const res = await cc("GET", path);
      expect(res, path).toMatchObject({ status: 400, body: { errorCode: "10000030" } });
      expect(res.body.errorMessage).toMatch(
        /^Your role does not have access to this API function\. .*operator function/,
      );
    }
    const iccid = await inStatus("ACTIVATED");
    for (const [method, path] of [
      ["GET", `/devices/${iccid}/locationHistory`],
      ["GET", "/rateplans"],
      ["GET", "/usages?ratePlanName=x"],
      ["GET", "/customers/1"],
      ["PUT", `/eventplan/${iccid}`],
    ] as const) {
      const res = await cc(method, path, method === "GET" ? undefined : {});
      expect(res, path).toMatchObject({ status: 400, body: { errorCode: "10000030" } });
      expect(res.body.errorMessage).toMatch(/not simulated by cmo-sim/);
    }
  });
});

describe("JASPER state in a snapshot", () => {
  beforeEach(() => server.sim.reset());

  it("keeps edits, messages and edits scheduled for later through GET then PUT /_sim/snapshot", async () => {
    const iccid = await inStatus("ACTIVATED");
    await cc("PUT", `/devices/${iccid}`, { accountCustom4: "kept", customer: "Gulf Fleet Services" });
    const smsMsgId = (await cc("POST", `/devices/${iccid}/smsMessages`, { messageText: "kept too" })).body
      .smsMsgId;
    const due = cycleOf(clock.now()) + 40 * DAY;
    expect(
      (await cc("PUT", `/devices/${iccid}`, { status: "DEACTIVATED", effectiveDate: day(due) })).status,
    ).toBe(202);
    const before = {
      details: (await cc("GET", `/devices/${iccid}`)).body,
      sms: (await cc("GET", `/smsMessages/${smsMsgId}`)).body,
      audit: (await cc("GET", `/devices/${iccid}/auditTrails`)).body.deviceAuditTrails,
    };

    const snapshot = await (await server.admin("GET", "/snapshot")).json();
    await server.sim.reset();
    expect((await cc("GET", `/devices/${iccid}`)).body.accountCustom4).toBe("");
    expect((await cc("GET", `/smsMessages/${smsMsgId}`)).status).toBe(404);
    expect((await server.admin("PUT", "/snapshot", snapshot)).status).toBe(204);

    expect((await cc("GET", `/devices/${iccid}`)).body).toEqual(before.details);
    expect((await cc("GET", `/smsMessages/${smsMsgId}`)).body).toEqual(before.sms);
    expect((await cc("GET", `/devices/${iccid}/auditTrails`)).body.deviceAuditTrails).toEqual(before.audit);
    // Restored messages and scheduled edits still move on with the clock.
    await clock.advance(due - clock.now());
    expect((await cc("GET", `/smsMessages/${smsMsgId}`)).body.status).toBe("Delivered");
    expect((await cc("GET", `/devices/${iccid}`)).body.status).toBe("DEACTIVATED");
    expect((await cc("GET", `/devices/${iccid}/auditTrails`)).body.deviceAuditTrails[0]).toMatchObject({
      field: "status",
      priorValue: "ACTIVATED",
      value: "DEACTIVATED",
    });
  });
});
