import { beforeEach, describe, expect, it } from "vitest";
import { CmoTestClient, withClock } from "../helpers/cmo.js";
import { ccDate, ccStamp, controlCenterServer, cycleOf } from "./cisco-support.js";

/**
 * Edit Device Details (developer.cisco.com/docs/control-center/edit-device-details) and Get Device
 * Audit History (…/get-device-audit-history): every documented editable field, a future
 * `effectiveDate` of at most 180 days, and the trail of changes, most recent first.
 */
const DAY = 86_400_000;
const { clock, server, runtime, accountsOf, account, cc, inStatus } = await controlCenterServer("JASPER");
const sibling = accountsOf("eos")[1]!;

const activated = () => inStatus("ACTIVATED");
const details = async (iccid: string, who = account) =>
  (await cc("GET", `/devices/${iccid}`, undefined, who)).body;
const trail = async (iccid: string, query = "") =>
  (await cc("GET", `/devices/${iccid}/auditTrails${query}`)).body;
/** `yyyy-MM-ddZ` of the day `days` after today, and when that day starts. */
function dayAhead(days: number): { text: string; startsAt: number } {
  const date = new Date(clock.now() + days * DAY).toISOString().slice(0, 10);
  return { text: `${date}Z`, startsAt: Date.parse(`${date}T00:00:00Z`) };
}
const numbered = (prefix: string, n: number, value: (i: number) => string) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i + 1}`, value(i + 1)]));

describe("JASPER Edit Device Details", () => {
  beforeEach(() => server.sim.reset());

  it("round-trips every editable field through Device Details, Search Devices and ctdUsages", async () => {
    const iccid = await activated();
    const edit = {
      ratePlan: "IoT 10MB Monthly",
      communicationPlan: "Etisalat IoT Static IP APN",
      customer: "Gulf Fleet Services",
      deviceID: "meter-7",
      modemID: "MDM-0042",
      overageLimitOverride: "PERMANENT_OVERRIDE",
      ...numbered("accountCustom", 10, (i) => `a${i}`),
      ...numbered("customerCustom", 5, (i) => `c${i}`),
    };
    expect(await cc("PUT", `/devices/${iccid}`, edit)).toEqual({ status: 200, body: { iccid } });

    const { overageLimitOverride, ...shown } = edit;
    expect(await details(iccid)).toMatchObject({
      ...shown,
      status: "ACTIVATED",
      dateUpdated: ccDate(clock.now()),
      // A static-IP communication plan hands out a fixed address.
      fixedIPAddress: expect.stringMatching(/^10\.\d+\.\d+\.\d+$/),
      operatorCustom1: "",
    });
    const listed = await cc("GET", "/devices?modifiedSince=2000-01-01T00:00:00Z&accountCustom7=a7");
    expect(listed.body.devices).toEqual([
      { iccid, status: "ACTIVATED", ratePlan: edit.ratePlan, communicationPlan: edit.communicationPlan },
    ]);
    expect((await cc("GET", `/devices/${iccid}/ctdUsages`)).body).toMatchObject({
      ratePlan: edit.ratePlan,
      communicationPlan: edit.communicationPlan,
      overageLimitOverride,
    });
    expect((await runtime.findDevice(account.id, iccid))!.fields).toMatchObject(shown);

    expect(await cc("PUT", `/devices/${iccid}`, { status: "DEACTIVATED" })).toEqual({
      status: 200,
      body: { iccid },
    });
    expect((await details(iccid)).status).toBe("DEACTIVATED");
  });

  it("lifts a temporary overage override at the end of the billing cycle", async () => {
    const iccid = await activated();
    await cc("PUT", `/devices/${iccid}`, { overageLimitOverride: "TEMPORARY_OVERRIDE" });
    const override = async () => (await cc("GET", `/devices/${iccid}/ctdUsages`)).body.overageLimitOverride;
    expect(await override()).toBe("TEMPORARY_OVERRIDE");
    const cycleEnds = cycleOf(clock.now(), -1);
    await clock.advance(cycleEnds - 60_000 - clock.now());
    expect(await override()).toBe("TEMPORARY_OVERRIDE");
    await clock.advance(2 * 60_000);
    expect(await override()).toBe("DEFAULT");
  });

  it("refuses what the docs forbid and what cmo-sim does not simulate, and changes nothing", async () => {
    const iccid = await activated();
    const before = await details(iccid);
    const refusal = async (body: unknown) => {
      const res = await cc("PUT", `/devices/${iccid}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      return res.body;
    };
    const code = async (body: unknown) => (await refusal(body)).errorCode;
    expect(await refusal({ ratePlan: "Unlimited Everything" })).toEqual({
      errorMessage: "RatePlan Unlimited Everything is invalid.",
      errorCode: "10000004",
    });
    expect(await code({ communicationPlan: "TMO IoT Static IP" })).toBe("10000004");
    expect(await code({ customer: "Somebody Else" })).toBe("10000004");
    expect(await code({ overageLimitOverride: "SOMETIMES" })).toBe("10000004");
    expect(await code({ accountCustom1: "x".repeat(256) })).toBe("10000004");
    expect(await code({ deviceID: 7 })).toBe("10000004");
    expect(await refusal({ operatorCustom2: "mine" })).toEqual({
      errorMessage:
        "Your role does not have access to this API function. operatorCustom2 may be edited by operator users only.",
      errorCode: "10000030",
    });
    expect(await code({ ipv4Address: "10.1.2.3" })).toBe("10000011");
    expect(await refusal({ ipv4Address: "10.1.2.3", apn: "iot", pdpId: "1" })).toMatchObject({
      errorCode: "10000028",
      errorMessage: expect.stringContaining("not simulate"),
    });
    expect(await code({ ipv6Address: "2605:9780::/64" })).toBe("10000028");
    expect(await code({ nickname: "x" })).toBe("10000028");
    expect(await code({ effectiveDate: dayAhead(10).text })).toBe("10000011");
    expect(await code({ deviceID: "x", effectiveDate: dayAhead(182).text })).toBe("10000004");
    expect(await code({ deviceID: "x", effectiveDate: "next week" })).toBe("10000004");
    expect(await code('{"deviceID": ')).toBe("10000023");
    expect(await code("[]")).toBe("10000023");
    expect(await cc("PUT", "/devices/8997112000000000000", { deviceID: "x" })).toEqual({
      status: 404,
      body: { errorMessage: "Resource not found - Invalid ICCID", errorCode: "20000001" },
    });

    expect(await details(iccid)).toEqual(before);
    expect((await trail(iccid)).deviceAuditTrails).toEqual([]);
    expect(await runtime.scheduledEdits()).toEqual([]);
  });
});

describe("JASPER audit trail and future-dated edits", () => {
  beforeEach(() => server.sim.reset());

  it("lists each changed field, newest first, with its prior value, paged and within daysOfHistory", async () => {
    const iccid = await activated();
    const ratePlan = (await details(iccid)).ratePlan;
    await cc("PUT", `/devices/${iccid}`, { accountCustom3: "first" });
    await clock.advance(2 * DAY);
    await cc("PUT", `/devices/${iccid}`, { accountCustom3: "second", ratePlan: "IoT 10MB Monthly" });
    // Nothing changes: nothing is recorded.
    await cc("PUT", `/devices/${iccid}`, { accountCustom3: "second" });

    const record = (field: string, priorValue: string, value: string, at: number) => ({
      field,
      priorValue,
      value,
      effectiveDate: ccStamp(at),
      status: null,
      userName: account.username,
      delegatedUser: null,
      ipAddress: null,
    });
    const now = clock.now();
    const all = await trail(iccid);
    expect(all).toEqual({
      iccid,
      timestamp: ccStamp(now),
      pageNumber: 1,
      lastPage: true,
      deviceAuditTrails: [
        record("ratePlan", ratePlan, "IoT 10MB Monthly", now),
        record("accountCustom3", "first", "second", now),
        record("accountCustom3", "", "first", now - 2 * DAY),
      ],
    });
    expect(await trail(iccid, "?pageSize=2&pageNumber=2")).toMatchObject({
      pageNumber: 2,
      lastPage: true,
      deviceAuditTrails: [all.deviceAuditTrails[2]],
    });
    expect((await trail(iccid, "?pageSize=2")).lastPage).toBe(false);
    expect((await trail(iccid, "?daysOfHistory=1")).deviceAuditTrails).toHaveLength(2);
    expect((await cc("GET", `/devices/${iccid}/auditTrails?daysOfHistory=366`)).status).toBe(400);
    expect((await cc("GET", `/devices/${iccid}/auditTrails?fromDate=x`)).body.errorCode).toBe("10000028");
  });

  it("records the status changes the CMO makes through Edit Device Details", async () => {
    const iccid = await activated();
    const client = new CmoTestClient(server.request);
    const res = await withClock(clock, client.setStatus(`JASPER-${iccid}-simCard`, "SUSPENDED"));
    expect(res.status).toBe(200);
    expect((await trail(iccid)).deviceAuditTrails).toEqual([
      expect.objectContaining({ field: "status", priorValue: "ACTIVATED", value: "DEACTIVATED" }),
    ]);
  });

  it("answers 202 to a future effectiveDate, applies it when due and only then shows it", async () => {
    const iccid = await activated();
    const { text, startsAt: due } = dayAhead(5);
    const accepted = await cc("PUT", `/devices/${iccid}`, {
      status: "DEACTIVATED",
      accountCustom2: "later",
      effectiveDate: text,
    });
    expect(accepted).toEqual({ status: 202, body: { iccid } });
    expect(await details(iccid)).toMatchObject({ status: "ACTIVATED", accountCustom2: "" });
    expect((await trail(iccid)).deviceAuditTrails).toEqual([]);
    expect(await runtime.scheduledEdits(iccid)).toMatchObject([{ at: due, status: "DEACTIVATED" }]);

    await clock.advance(due - 1 - clock.now());
    expect((await details(iccid)).status).toBe("ACTIVATED");
    await clock.advance(1);
    expect(await details(iccid)).toMatchObject({
      status: "DEACTIVATED",
      accountCustom2: "later",
      dateUpdated: ccDate(due),
    });
    expect((await trail(iccid)).deviceAuditTrails).toEqual([
      expect.objectContaining({ field: "status", value: "DEACTIVATED", effectiveDate: ccStamp(due) }),
      expect.objectContaining({ field: "accountCustom2", priorValue: "", value: "later" }),
    ]);
    expect(await runtime.scheduledEdits()).toEqual([]);
  });

  it("drops a future edit whole when its status no longer fits the device, audit entry included", async () => {
    const iccid = await activated();
    const { text, startsAt: due } = dayAhead(3);
    expect(
      (
        await cc("PUT", `/devices/${iccid}`, {
          status: "DEACTIVATED",
          accountCustom2: "later",
          effectiveDate: text,
        })
      ).status,
    ).toBe(202);
    // Purged before the date: a purged device takes no other status.
    expect((await cc("PUT", `/devices/${iccid}`, { status: "RETIRED" })).status).toBe(200);
    expect((await cc("PUT", `/devices/${iccid}`, { status: "PURGED" })).status).toBe(200);
    await clock.advance(due - clock.now());
    expect(await details(iccid)).toMatchObject({ status: "PURGED", accountCustom2: "" });
    expect((await trail(iccid)).deviceAuditTrails).toEqual([
      expect.objectContaining({ field: "status", priorValue: "RETIRED", value: "PURGED" }),
      expect.objectContaining({ field: "status", priorValue: "ACTIVATED", value: "RETIRED" }),
    ]);
    expect(await runtime.scheduledEdits()).toEqual([]);
  });

  it("moves a device to a sibling account at a future date-time with an offset", async () => {
    const iccid = await activated();
    // 08:00 at +02:00 tomorrow is 06:00 UTC.
    const { text, startsAt } = dayAhead(1);
    const accepted = await cc("PUT", `/devices/${iccid}`, {
      accountId: sibling.id,
      effectiveDate: `${text.slice(0, 10)}T08:00:00+02:00`,
    });
    expect(accepted.status).toBe(202);
    await clock.advance(startsAt + 6 * 3_600_000 - 1 - clock.now());
    expect((await details(iccid)).accountId).toBe(account.id);
    await clock.advance(1);
    expect((await cc("GET", `/devices/${iccid}`)).status).toBe(404);
    expect((await details(iccid, sibling)).accountId).toBe(sibling.id);
    const moved = await cc("GET", `/devices/${iccid}/auditTrails`, undefined, sibling);
    expect(moved.body.deviceAuditTrails).toEqual([
      expect.objectContaining({ field: "accountId", priorValue: account.id, value: sibling.id }),
    ]);
  });
});
