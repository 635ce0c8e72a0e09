import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { Random } from "../../src/engine/random.js";
import {
  captureState,
  checkState,
  inventoryKey,
  restoreState,
  StateError,
  type StateSources,
} from "../../src/server/state.js";

const SECRET = "s".repeat(32);
const EMPTY_CMO = { monitors: [], customProperties: [], accountCounts: [] };
const UNTOUCHED_PLATFORM = { overlays: {}, owners: {}, operations: [], tokens: {}, outages: [], sequence: 0 };

/** A simulator's state from plain objects: one tenant without platforms, and a CMO that records what it is given. */
function sources(seed = 7, cmo: unknown = EMPTY_CMO) {
  const restored: unknown[] = [];
  const random = new Random(seed);
  random.next("TMSP", "request");
  const ports: StateSources = {
    config: { seed },
    clock: new VirtualClock(Date.UTC(2026, 2, 1)),
    signingSecret: SECRET,
    world: {
      tenants: [{ id: "eos", accounts: [] }],
      random,
      snapshot: async () => ({}),
      platform: () => undefined,
      accountsOf: () => [],
    },
    cmo: {
      snapshot: async () => structuredClone(cmo),
      restore: async (snapshot) => {
        restored.push(snapshot);
      },
    },
  };
  return { ports, restored, random };
}

describe("the state file, through its sources", () => {
  it("captures the clock, the random positions, the secret on request and the CMO's own snapshot", async () => {
    const { ports, random } = sources();
    const state = await captureState(ports);
    expect(state).toMatchObject({
      kind: "cmo-sim-state",
      version: 2,
      inventoryKey: inventoryKey(ports),
      savedAt: "2026-03-01T00:00:00.000Z",
      clock: { kind: "virtual", now: Date.UTC(2026, 2, 1) },
      random: random.exportCounters(),
      signingSecret: SECRET,
      platforms: {},
      cmo: EMPTY_CMO,
    });
    expect(await captureState(ports, { withSecret: false })).not.toHaveProperty("signingSecret");
  });

  it("moves the clock on and hands the CMO its part when restoring a later state", async () => {
    const saved = await captureState(sources().ports);
    const later = { ...saved, clock: { kind: "virtual", now: saved.clock.now + 60_000 } };
    const { ports, restored } = sources();
    await restoreState(ports, later);
    expect(ports.clock.now()).toBe(later.clock.now);
    expect(restored).toEqual([EMPTY_CMO]);
  });

  it("refuses a state of another inventory, or one naming what the sources do not have, before touching anything", async () => {
    const foreign = await captureState(sources(8).ports);
    const { ports, restored } = sources();
    expect(() => checkState(ports, foreign)).toThrow(StateError);
    expect(() => checkState(ports, foreign)).toThrow(/another inventory/);
    const own = await captureState(ports);
    expect(() => checkState(ports, { ...own, platforms: { TMSP: UNTOUCHED_PLATFORM } })).toThrow(
      "state names platforms this simulator does not host: TMSP",
    );
    const stranger = { ...own, cmo: { ...EMPTY_CMO, customProperties: [["acme|TMSP-1", []]] } };
    await expect(restoreState(ports, stranger)).rejects.toThrow("cmo.customProperties[0]: no tenant acme");
    expect(restored).toEqual([]);
  });

  it("puts the state from before back when the CMO cannot take the new one", async () => {
    const { ports, restored } = sources();
    const state = await captureState(ports);
    let calls = 0;
    ports.cmo.restore = async (snapshot) => {
      calls++;
      if (calls === 1) throw new Error("store unavailable");
      restored.push(snapshot);
    };
    await expect(restoreState(ports, state)).rejects.toThrow(
      "state could not be applied, nothing changed: store unavailable",
    );
    expect(restored).toEqual([EMPTY_CMO]);
  });
});
