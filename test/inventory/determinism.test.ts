import { describe, expect, it } from "vitest";
import { CMO_STATUSES } from "../../src/config/schema.js";
import { isIccid, isImei } from "../../src/inventory/identifiers.js";
import { createSimulator } from "../../src/server/simulator.js";
import { runCli } from "../helpers/cli.js";

describe("seeded inventory", () => {
  it("is byte-identical for one seed across two separate processes, and different for another seed", async () => {
    const [a, b, c] = await Promise.all([
      runCli(["inventory", "--seed", "5", "--limit", "25"]),
      runCli(["inventory", "--seed", "5", "--limit", "25"]),
      runCli(["inventory", "--seed", "6", "--limit", "25"]),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(10_000);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    const first = JSON.parse(a.stdout.split("\n")[0] as string);
    expect(first).toMatchObject({
      platform: expect.any(String),
      account: expect.any(String),
      nativeId: expect.any(String),
    });
  });

  it("issues valid, carrier-plausible identifiers and the status floors per account", async () => {
    const sim = createSimulator({ clock: "manual" });
    for (const [code, slot] of sim.world.platforms) {
      const plan = slot.runtime.definition.numbering;
      const ids = new Set<string>();
      for (const account of slot.runtime.accounts.values()) {
        const devices = await slot.runtime.listDevices(account.id, 0, account.inventory.size);
        expect(devices).toHaveLength(100);
        const counts: Record<string, number> = {};
        for (const d of devices) {
          counts[d.record.status] = (counts[d.record.status] ?? 0) + 1;
          expect(ids.has(d.record.nativeId), `${code} ${d.record.nativeId} repeats`).toBe(false);
          ids.add(d.record.nativeId);
          expect(isImei(d.record.imei)).toBe(true);
          expect(CMO_STATUSES).toContain(d.cmoStatus);
          if (plan.kind === "cellular") {
            expect(isIccid(d.record.iccid as string), `${code} ICCID ${d.record.iccid}`).toBe(true);
            expect(d.record.iccid?.startsWith(plan.iccidIssuerPrefix)).toBe(true);
            expect(d.record.iccid).toHaveLength(plan.iccidLength);
            expect(d.record.imsi).toMatch(new RegExp(`^${plan.mcc}${plan.mnc}\\d+$`));
            expect(d.record.imsi).toHaveLength(15);
            expect(d.record.msisdn?.startsWith(plan.msisdnCountryCode)).toBe(true);
          } else {
            expect(d.record.nativeId.startsWith(plan.serialPrefix)).toBe(true);
            expect(d.record.terminal?.name).toBeTruthy();
          }
          expect(d.record.addedAt).toBeLessThan(Date.UTC(2026, 0, 1));
        }
        expect(counts.ACTIVE, `${code}/${account.id} ACTIVE`).toBeGreaterThanOrEqual(10);
        expect(counts.SUSPENDED, `${code}/${account.id} SUSPENDED`).toBeGreaterThanOrEqual(10);
      }
    }
  });

  it("looks devices up by ICCID, IMSI and MSISDN in O(1) and refuses near misses", async () => {
    const sim = createSimulator({
      clock: "manual",
      tenants: [{ id: "eos", accounts: [{ platform: "1NCE", id: "7", name: "big", size: 1_000_000 }] }],
    });
    const runtime = sim.world.platform("1NCE")!.runtime;
    const device = (await runtime.listDevices("7", 654_321, 1))[0]!;
    expect((await runtime.findDevice("7", device.record.nativeId))?.record.index).toBe(654_321);
    expect((await runtime.findDeviceBy("7", "imsi", device.record.imsi!))?.record.index).toBe(654_321);
    expect((await runtime.findDeviceBy("7", "msisdn", device.record.msisdn!))?.record.index).toBe(654_321);
    const wrongCheck =
      device.record.nativeId.slice(0, -1) + ((Number(device.record.nativeId.at(-1)) + 1) % 10);
    expect(await runtime.findDevice("7", wrongCheck)).toBeUndefined();
    expect(await runtime.countDevices("7")).toBe(1_000_000);
  });
});
