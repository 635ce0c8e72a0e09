import { describe, expect, it } from "vitest";
import { books, deviceIn, FIRST, SECOND, THIRD } from "./books.js";

describe("the device book", () => {
  it("reads generated devices until a status or a field changes, then the change, stamped on the clock", async () => {
    const { clock, devices } = books();
    const nativeId = await deviceIn(devices, FIRST, "INACTIVE");
    const before = (await devices.findDevice(FIRST, nativeId))!;
    expect(before).toMatchObject({ cmoStatus: "INVENTORY", activatedAt: undefined, fields: {} });
    expect((await devices.changedIds()).size).toBe(0);

    await clock.advance(5_000);
    await devices.setStatus(nativeId, "ACTIVE");
    await devices.setFields(nativeId, { label: "pump 7" });
    await devices.setFields(nativeId, { ratePlan: "IoT L" });
    expect(await devices.findDevice(FIRST, nativeId)).toMatchObject({
      nativeStatus: "ACTIVE",
      cmoStatus: "ACTIVE",
      updatedAt: clock.now(),
      activatedAt: clock.now(),
      fields: { label: "pump 7", ratePlan: "IoT L" },
      record: before.record,
    });
    expect([...(await devices.changedIds())]).toEqual([nativeId]);
    await expect(devices.setStatus(nativeId, "ASLEEP")).rejects.toThrow(/ASLEEP has no CMO meaning/);
  });

  it("keeps its changes as records in the store: a second book over it reads them, and the first reads the second's", async () => {
    const first = books();
    const nativeId = await deviceIn(first.devices, FIRST, "INACTIVE");
    const moved = (await first.devices.listDevices(FIRST, 0, 1))[0]!.record.nativeId;
    await first.clock.advance(1_000);
    await first.devices.setStatus(nativeId, "ACTIVE");
    await first.devices.setFields(nativeId, { label: "shared" });
    await first.devices.moveDevice(moved, SECOND);

    const second = books(undefined, first.store);
    for (const account of [FIRST, SECOND])
      expect(await second.devices.listDevices(account, 0, 50)).toEqual(
        await first.devices.listDevices(account, 0, 50),
      );
    expect(await second.devices.snapshot()).toEqual(await first.devices.snapshot());

    await second.devices.moveDevice(moved, FIRST);
    await second.devices.setStatus(nativeId, "SUSPENDED");
    expect(await first.devices.findDevice(FIRST, moved)).toBeDefined();
    expect(await first.devices.countDevices(SECOND)).toBe(40);
    expect((await first.devices.findDevice(FIRST, nativeId))?.nativeStatus).toBe("SUSPENDED");
  });

  it("moves a device between accounts: it leaves one listing and joins the other's end, and can come home", async () => {
    const { devices } = books();
    const [moved, next] = (await devices.listDevices(FIRST, 3, 2)).map((d) => d.record.nativeId) as [
      string,
      string,
    ];
    await devices.moveDevice(moved, SECOND);

    expect(await devices.findDevice(FIRST, moved)).toBeUndefined();
    expect((await devices.findDevice(SECOND, moved))?.accountId).toBe(SECOND);
    expect(await devices.countDevices(FIRST)).toBe(39);
    expect(await devices.countDevices(SECOND)).toBe(41);
    expect((await devices.listDevices(FIRST, 3, 1))[0]?.record.nativeId).toBe(next);
    expect((await devices.listDevices(SECOND, 40, 5)).map((d) => d.record.nativeId)).toEqual([moved]);
    expect(await devices.positionOf(SECOND, moved)).toBe(40);
    expect(await devices.positionOf(FIRST, next)).toBe(3);

    await devices.moveDevice(moved, FIRST);
    expect(await devices.countDevices(SECOND)).toBe(40);
    expect((await devices.listDevices(FIRST, 3, 1))[0]?.record.nativeId).toBe(moved);
    expect((await devices.snapshot()).owners).toEqual({});
  });

  it("finds a device by IMSI or MSISDN only in the account that holds it", async () => {
    const { devices } = books();
    const device = (await devices.listDevices(FIRST, 0, 1))[0]!;
    expect((await devices.findDeviceBy(FIRST, "imsi", device.record.imsi!))?.record.nativeId).toBe(
      device.record.nativeId,
    );
    expect((await devices.findDeviceBy(FIRST, "msisdn", device.record.msisdn!))?.record.nativeId).toBe(
      device.record.nativeId,
    );
    expect(await devices.findDeviceBy(SECOND, "imsi", device.record.imsi!)).toBeUndefined();
  });

  it("scans an account through a filter, a page and the total", async () => {
    const { devices } = books();
    const inactive = (await devices.listDevices(FIRST, 0, 40)).filter((d) => d.nativeStatus === "INACTIVE");
    const { total, devices: page } = await devices.scanDevices(
      FIRST,
      (d) => d.nativeStatus === "INACTIVE",
      1,
      2,
    );
    expect(total).toBe(inactive.length);
    expect(page.map((d) => d.record.nativeId)).toEqual(inactive.slice(1, 3).map((d) => d.record.nativeId));
  });

  it("stops a scan without a count once the page is full, and never before: a filter that keeps nothing sees every device", async () => {
    const { devices } = books();
    const all = await devices.countDevices(FIRST);
    let visited = 0;
    const counting = (keep: boolean) => () => {
      visited++;
      return keep;
    };
    const none = await devices.scanDevices(FIRST, counting(false), 0, 0, false);
    expect([visited, none.total]).toEqual([all, 0]);
    visited = 0;
    const first = await devices.scanDevices(FIRST, counting(true), 0, 3, false);
    expect([visited, first.devices.length]).toEqual([3, 3]);
  });

  it("restores from its snapshot what it read before: statuses, fields and owners", async () => {
    const first = books();
    const { devices } = first;
    const nativeId = await deviceIn(devices, FIRST, "INACTIVE");
    await first.clock.advance(60_000);
    await devices.setStatus(nativeId, "ACTIVE");
    await devices.setFields(nativeId, { label: "kept" });
    await devices.moveDevice((await devices.listDevices(FIRST, 0, 1))[0]!.record.nativeId, SECOND);
    const snapshot = await devices.snapshot();

    const second = books();
    const problems = second.devices.check();
    second.devices.problemsIn(snapshot, problems, new Set());
    expect(problems.problems).toEqual([]);
    await second.devices.restore(JSON.parse(JSON.stringify(snapshot)));
    for (const account of [FIRST, SECOND])
      expect(await second.devices.listDevices(account, 0, 50)).toEqual(
        await devices.listDevices(account, 0, 50),
      );
    expect(await second.devices.snapshot()).toEqual(snapshot);

    await second.devices.reset();
    expect(await second.devices.snapshot()).toEqual({ overlays: {}, owners: {} });
    expect(await second.devices.countDevices(SECOND)).toBe(40);
  });

  it("lists arrivals in the order they came, before and after a restore", async () => {
    const first = books();
    const [x, y] = (await first.devices.listDevices(FIRST, 0, 2)).map((d) => d.record.nativeId) as [
      string,
      string,
    ];
    await first.devices.moveDevice(x, SECOND);
    await first.devices.moveDevice(y, THIRD);
    await first.devices.moveDevice(x, THIRD);
    const arrivals = async (b: typeof first) =>
      (await b.devices.listDevices(THIRD, 10, 5)).map((d) => d.record.nativeId);
    expect(await arrivals(first)).toEqual([y, x]);

    const second = books();
    await second.devices.restore(JSON.parse(JSON.stringify(await first.devices.snapshot())));
    expect(await arrivals(second)).toEqual([y, x]);
  });

  it("names what a snapshot holds that the platform does not have", async () => {
    const { devices } = books();
    const nativeId = (await devices.listDevices(FIRST, 0, 1))[0]!.record.nativeId;
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
