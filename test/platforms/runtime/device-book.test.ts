import { describe, expect, it } from "vitest";
import { books, deviceIn, FIRST, SECOND, THIRD } from "./books.js";

describe("the device book", () => {
  it("reads generated devices until a status or a field changes, then the change, stamped on the clock", async () => {
    const { clock, devices } = books();
    const nativeId = deviceIn(devices, FIRST, "INACTIVE");
    const before = devices.findDevice(FIRST, nativeId)!;
    expect(before).toMatchObject({ cmoStatus: "INVENTORY", activatedAt: undefined, fields: {} });
    expect(devices.changedIds().size).toBe(0);

    await clock.advance(5_000);
    devices.setStatus(nativeId, "ACTIVE");
    devices.setFields(nativeId, { label: "pump 7" });
    devices.setFields(nativeId, { ratePlan: "IoT L" });
    expect(devices.findDevice(FIRST, nativeId)).toMatchObject({
      nativeStatus: "ACTIVE",
      cmoStatus: "ACTIVE",
      updatedAt: clock.now(),
      activatedAt: clock.now(),
      fields: { label: "pump 7", ratePlan: "IoT L" },
      record: before.record,
    });
    expect([...devices.changedIds()]).toEqual([nativeId]);
    expect(() => devices.setStatus(nativeId, "ASLEEP")).toThrow(/ASLEEP has no CMO meaning/);
  });

  it("moves a device between accounts: it leaves one listing and joins the other's end, and can come home", () => {
    const { devices } = books();
    const [moved, next] = devices.listDevices(FIRST, 3, 2).map((d) => d.record.nativeId) as [string, string];
    devices.moveDevice(moved, SECOND);

    expect(devices.findDevice(FIRST, moved)).toBeUndefined();
    expect(devices.findDevice(SECOND, moved)?.accountId).toBe(SECOND);
    expect(devices.countDevices(FIRST)).toBe(39);
    expect(devices.countDevices(SECOND)).toBe(41);
    expect(devices.listDevices(FIRST, 3, 1)[0]?.record.nativeId).toBe(next);
    expect(devices.listDevices(SECOND, 40, 5).map((d) => d.record.nativeId)).toEqual([moved]);
    expect(devices.positionOf(SECOND, moved)).toBe(40);
    expect(devices.positionOf(FIRST, next)).toBe(3);

    devices.moveDevice(moved, FIRST);
    expect(devices.countDevices(SECOND)).toBe(40);
    expect(devices.listDevices(FIRST, 3, 1)[0]?.record.nativeId).toBe(moved);
    expect(devices.snapshot().owners).toEqual({});
  });

  it("finds a device by IMSI or MSISDN only in the account that holds it", () => {
    const { devices } = books();
    const device = devices.listDevices(FIRST, 0, 1)[0]!;
    expect(devices.findDeviceBy(FIRST, "imsi", device.record.imsi!)?.record.nativeId).toBe(
      device.record.nativeId,
    );
    expect(devices.findDeviceBy(FIRST, "msisdn", device.record.msisdn!)?.record.nativeId).toBe(
      device.record.nativeId,
    );
    expect(devices.findDeviceBy(SECOND, "imsi", device.record.imsi!)).toBeUndefined();
  });

  it("scans an account through a filter, a page and the total", async () => {
    const { devices } = books();
    const inactive = devices.listDevices(FIRST, 0, 40).filter((d) => d.nativeStatus === "INACTIVE");
    const { total, devices: page } = await devices.scanDevices(
      FIRST,
      (d) => d.nativeStatus === "INACTIVE",
      1,
      2,
    );
    expect(total).toBe(inactive.length);
    expect(page.map((d) => d.record.nativeId)).toEqual(inactive.slice(1, 3).map((d) => d.record.nativeId));
  });

  it("restores from its snapshot what it read before: statuses, fields and owners", async () => {
    const first = books();
    const { devices } = first;
    const nativeId = deviceIn(devices, FIRST, "INACTIVE");
    await first.clock.advance(60_000);
    devices.setStatus(nativeId, "ACTIVE");
    devices.setFields(nativeId, { label: "kept" });
    devices.moveDevice(devices.listDevices(FIRST, 0, 1)[0]!.record.nativeId, SECOND);
    const snapshot = devices.snapshot();

    const second = books();
    const problems = second.devices.check();
    second.devices.problemsIn(snapshot, problems, new Set());
    expect(problems.problems).toEqual([]);
    second.devices.restore(JSON.parse(JSON.stringify(snapshot)));
    for (const account of [FIRST, SECOND])
      expect(second.devices.listDevices(account, 0, 50)).toEqual(devices.listDevices(account, 0, 50));
    expect(second.devices.snapshot()).toEqual(snapshot);

    second.devices.reset();
    expect(second.devices.snapshot()).toEqual({ overlays: {}, owners: {} });
    expect(second.devices.countDevices(SECOND)).toBe(40);
  });

  it("lists arrivals in the order they came, before and after a restore", () => {
    const first = books();
    const [x, y] = first.devices.listDevices(FIRST, 0, 2).map((d) => d.record.nativeId) as [string, string];
    first.devices.moveDevice(x, SECOND);
    first.devices.moveDevice(y, THIRD);
    first.devices.moveDevice(x, THIRD);
    const arrivals = (b: typeof first) => b.devices.listDevices(THIRD, 10, 5).map((d) => d.record.nativeId);
    expect(arrivals(first)).toEqual([y, x]);

    const second = books();
    second.devices.restore(JSON.parse(JSON.stringify(first.devices.snapshot())));
    expect(arrivals(second)).toEqual([y, x]);
  });

  it("names what a snapshot holds that the platform does not have", () => {
    const { devices } = books();
    const nativeId = devices.listDevices(FIRST, 0, 1)[0]!.record.nativeId;
    const check = devices.check();
    devices.problemsIn(
      {
        overlays: {
          [nativeId]: { nativeStatus: "ASLEEP", pendingOperation: "op-9" },
          "89490299999999999999": {},
        },
        owners: { [nativeId]: "999" },
      },
      check,
      new Set(),
    );
    expect(check.problems).toEqual([
      `overlays.${nativeId}.nativeStatus: ASLEEP is not a TMSP status (INACTIVE, ACTIVE, SUSPENDED, BLOCKED, TERMINATED)`,
      `overlays.${nativeId}.pendingOperation: no operation op-9`,
      "overlays.89490299999999999999: TMSP has no device 89490299999999999999",
      `owners.${nativeId}: TMSP has no account 999`,
    ]);
  });
});
