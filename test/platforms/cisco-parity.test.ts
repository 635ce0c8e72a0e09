import { describe, expect, it } from "vitest";
import type { DeviceView } from "../../simulators/shared/adapter.js";
import type { ConfigInput } from "../../src/config/schema.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { QUIET } from "../helpers/server.js";
import { CODES, NUMBERING, QUIET_CISCO } from "./cisco-instances.js";

/** The Control Center adapter over both transports, on TMUS and JASPER alike. */

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
      const active = (await h.runtime.listDevices(account.id, 0, 100)).find((d) => d.cmoStatus === "ACTIVE")!;
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
      await h.runtime.setProfileOverride({
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
