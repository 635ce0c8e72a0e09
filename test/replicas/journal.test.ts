import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../src/observability/journal.js";
import type { Simulator } from "../../src/server/simulator.js";
import { redisForFile } from "../helpers/redis-world.js";
import { QUIET } from "../helpers/server.js";

const redis = redisForFile();
const START = Date.UTC(2026, 4, 3, 9);

async function replica(prefix: string, maxEntries = 1_000): Promise<Simulator> {
  const config = { seed: 4, journal: { maxEntries }, platforms: { TMUS: { profile: QUIET } } };
  return (await redis.replica(config, prefix, START)).sim;
}

async function journal(sim: Simulator, query = ""): Promise<{ size: number; entries: JournalEntry[] }> {
  const res = await sim.fetch(new Request(`http://localhost/_sim/journal${query}`));
  expect(res.status).toBe(200);
  return (await res.json()) as { size: number; entries: JournalEntry[] };
}

const visit = async (sim: Simulator, path: string) =>
  (await sim.fetch(new Request(`http://localhost${path}`))).status;

describe("the request journal shared by replicas", () => {
  it("holds what every replica answered, numbered in one sequence, readable through any of them", async () => {
    const prefix = redis.world("journal");
    const [a, b] = [await replica(prefix), await replica(prefix)];
    expect(await visit(a, "/health")).toBe(200);
    expect(await visit(b, "/_sim/clock")).toBe(200);
    expect(await visit(a, "/nowhere")).toBe(404);
    const seen = await journal(b, "?limit=10");
    expect(seen.entries.map((e) => [e.path, e.status])).toEqual([
      ["/health", 200],
      ["/_sim/clock", 200],
      ["/nowhere", 404],
    ]);
    expect(seen.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    const after = await journal(a, `?since=${seen.entries[1]?.seq}`);
    // The read of the journal through b is journalled too, after the three visits.
    expect(after.entries.map((e) => e.path)).toEqual(["/nowhere", "/_sim/journal"]);
  });

  it("keeps only the newest entries, as one process does, and is cleared for every replica", async () => {
    const prefix = redis.world("journal");
    const [a, b] = [await replica(prefix, 5), await replica(prefix, 5)];
    for (let i = 0; i < 12; i++) await visit(i % 2 ? a : b, `/health?i=${i}`);
    const kept = await journal(a);
    expect(kept.size).toBe(5);
    expect(kept.entries.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    expect((await b.fetch(new Request("http://localhost/_sim/journal", { method: "DELETE" }))).status).toBe(
      204,
    );
    expect((await journal(a, "?path=health")).entries).toEqual([]);
  });
});
