import { describe, expect, it } from "vitest";
import { once } from "../../simulators/1nce/index.js";
import { galaxy1 } from "../../simulators/galaxy1/index.js";
import { PlatformRuntime } from "../../simulators/shared/runtime.js";
import type { PlatformDefinition } from "../../simulators/shared/types.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { Random } from "../../src/engine/random.js";
import { AccountInventory } from "../../src/inventory/generate.js";
import { idRange, rangesOverlap } from "../../src/inventory/ranges.js";
import { MemoryStore } from "../../src/store/store.js";

/** A seed under which the second satellite account's first draw lands inside the first's range. */
const SEED = 4;
const WEIGHTS = galaxy1.statusWeights;

function runtimeOf(definition: PlatformDefinition, sizes: number[]): PlatformRuntime {
  const clock = new VirtualClock(Date.UTC(2026, 5, 1));
  const accounts = sizes.map((size, n) => ({
    platform: definition.code,
    id: `10000${n}`,
    name: `A${n}`,
    tenant: "eos",
    size,
  }));
  return new PlatformRuntime(definition, accounts, undefined, {
    seed: SEED,
    clock,
    random: new Random(SEED),
    timeScale: 1,
    applyLatency: false,
    startedAt: clock.now(),
    tokenKey: "ranges-test-token-key",
    store: new MemoryStore(),
  });
}

/** Every device of every account, looked up in its account by `key`, is found as itself. */
async function expectUnambiguous(runtime: PlatformRuntime, key: "nativeId" | "imsi" | "msisdn") {
  for (const account of runtime.accounts.values()) {
    for (const device of await runtime.listDevices(account.id, 0, account.inventory.size)) {
      const value = device.record[key] as string;
      const found =
        key === "nativeId"
          ? await runtime.findDevice(account.id, value)
          : await runtime.findDeviceBy(account.id, key, value);
      expect(found?.record.nativeId, `${key} ${value} of account ${account.id}`).toBe(device.record.nativeId);
    }
  }
}

describe("identifier ranges of one platform's accounts", () => {
  it("compares whole identifiers, so ranges under different prefixes can still overlap", () => {
    const wide = idRange("iccid", "8949", 123_400, 1000, 6);
    const narrow = idRange("iccid", "894912", 3500, 10, 4);
    expect(rangesOverlap(wide, narrow)).toBe(true);
    expect(rangesOverlap(wide, idRange("iccid", "894912", 4400, 10, 4))).toBe(false);
    expect(rangesOverlap(wide, { ...narrow, kind: "imsi" })).toBe(false);
  });

  it("moves a satellite account whose serial range would overlap a sibling's to a disjoint one", async () => {
    const plan = { ...galaxy1.numbering, serialDigits: 3 };
    const first = new AccountInventory(
      SEED,
      { platform: "GALAXY1", accountId: "100000", size: 200 },
      plan,
      WEIGHTS,
    );
    const drawn = new AccountInventory(
      SEED,
      { platform: "GALAXY1", accountId: "100001", size: 200 },
      plan,
      WEIGHTS,
    );
    // The collision this test is about: the second account's first draw lands inside the first's.
    expect(rangesOverlap(first.ranges[0]!, drawn.ranges[0]!)).toBe(true);

    const runtime = runtimeOf({ ...galaxy1, numbering: plan }, [200, 200]);
    const [a, b] = [...runtime.accounts.values()];
    expect(a!.inventory.ranges).toEqual(first.ranges);
    expect(b!.inventory.ranges).not.toEqual(drawn.ranges);
    expect(rangesOverlap(a!.inventory.ranges[0]!, b!.inventory.ranges[0]!)).toBe(false);
    await expectUnambiguous(runtime, "nativeId");
  });

  it("lets cellular accounts share an IMSI or MSISDN prefix as long as their ranges stay apart", async () => {
    // A 1NCE MSISDN prefix is 882 285 and one drawn digit: twelve accounts must share some of them.
    const runtime = runtimeOf(
      once,
      Array.from({ length: 12 }, () => 100),
    );
    const prefixes = new Set(
      [...runtime.accounts.values()].map((a) =>
        a.inventory.ranges.find((r) => r.kind === "msisdn")!.first.slice(0, 7),
      ),
    );
    expect(prefixes.size).toBeLessThan(12);
    for (const key of ["nativeId", "imsi", "msisdn"] as const) await expectUnambiguous(runtime, key);
  });

  it("says when a numbering plan cannot hold the accounts apart instead of drawing for ever", () => {
    const plan = { ...galaxy1.numbering, serialDigits: 3 };
    expect(() => runtimeOf({ ...galaxy1, numbering: plan }, [300, 300, 300, 300])).toThrow(
      /GALAXY1 account 10000\d: no identifier ranges apart from the platform's other accounts/,
    );
  });
});
