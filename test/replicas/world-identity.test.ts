import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema.js";
import { parseConfig } from "../../src/server/simulator.js";
import { canonical, differences, joinWorld, WorldMismatch } from "../../src/server/world-identity.js";
import { openStore, StoreUnreachable } from "../../src/store/open.js";
import { MemoryStore, type StateStore } from "../../src/store/store.js";
import { type RedisServer, startRedis } from "../setup/redis.js";

const config = (input: ConfigInput = {}) => parseConfig(input);
let draws = 0;
const drawSecret = () => `drawn-secret-${++draws}`;

async function mismatch(store: StateStore, input: ConfigInput): Promise<WorldMismatch> {
  const error = await joinWorld(store, config(input), "the store", drawSecret).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorldMismatch);
  return error as WorldMismatch;
}

describe("the world identity", () => {
  it("is founded by the first process, whose drawn secret and start every later replica takes on", async () => {
    const store = new MemoryStore();
    const first = await joinWorld(store, config({ seed: 5 }), "the store", drawSecret);
    const second = await joinWorld(store, config({ seed: 5 }), "the store", drawSecret);
    expect(first.founded).toBe(true);
    expect(first.startedAt).toBeGreaterThan(0);
    expect(second).toEqual({
      signingSecret: first.signingSecret,
      startedAt: first.startedAt,
      founded: false,
    });
  });

  it("lets each process choose its own server, store address and workers", async () => {
    const store = new MemoryStore();
    await joinWorld(store, config({ server: { port: 1 } }), "the store", drawSecret);
    const other = config({
      server: { port: 2, host: "0.0.0.0", workers: 4, adminToken: "a-long-enough-admin-token" },
      store: { url: "redis://elsewhere:6379" },
    });
    expect((await joinWorld(store, other, "the store", drawSecret)).founded).toBe(false);
  });

  it("reads the same configuration however it is written", () => {
    const a = canonical(config({ platforms: { TMSP: { profile: { latency: 5, transfer: true } } } }));
    const b = canonical(config({ platforms: { TMSP: { profile: { transfer: true, latency: 5 } } } }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("refuses another seed or profile, naming each path that differs", async () => {
    const store = new MemoryStore();
    await joinWorld(store, config({ seed: 42, platforms: { TMSP: { profile: { latency: 10 } } } }), "x");
    const error = await mismatch(store, { seed: 7, platforms: { TMSP: { profile: { latency: 20 } } } });
    expect(error.differences).toEqual([
      "platforms.TMSP.profile.latency: store has 10, this process 20",
      "seed: store has 42, this process 7",
    ]);
    expect(error.message).toContain("the store");
  });

  it("names entries only one side has, and caps a long list", () => {
    expect(differences({ a: [1] }, { a: [1, 2], b: true })).toEqual([
      "a: store has 1 entries, this process 2",
      "a[1]: only this process has 2",
      "b: only this process has true",
    ]);
  });

  it("caps what it lists at ten lines", async () => {
    const store = new MemoryStore();
    const accounts = (size: number) =>
      Array.from({ length: 12 }, (_, i) => ({ platform: "TMSP", id: `a${i}`, name: `A${i}`, size }));
    await joinWorld(store, config({ tenants: [{ id: "t", accounts: accounts(1) }] }), "x");
    const error = await mismatch(store, { tenants: [{ id: "t", accounts: accounts(2) }] });
    expect(error.differences).toHaveLength(10);
    expect(error.differences[9]).toBe("... and 3 more");
  });

  it("checks a configured signing secret against the world's without printing either", async () => {
    const store = new MemoryStore();
    const secret = "s".repeat(32);
    expect((await joinWorld(store, config({ auth: { signingSecret: secret } }), "x")).signingSecret).toBe(
      secret,
    );
    expect((await joinWorld(store, config(), "x", drawSecret)).signingSecret).toBe(secret);
    const error = await mismatch(store, { auth: { signingSecret: "t".repeat(32) } });
    expect(error.differences).toEqual(["auth.signingSecret: differs (neither is shown)"]);
    expect(error.message).not.toContain(secret);
  });

  it("is founded once when two processes start together", async () => {
    const store = new MemoryStore();
    const joined = await Promise.all([1, 2, 3].map(() => joinWorld(store, config(), "x", drawSecret)));
    expect(joined.filter((j) => j.founded)).toHaveLength(1);
    expect(new Set(joined.map((j) => j.signingSecret)).size).toBe(1);
  });
});

describe("the world identity on Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("is shared by processes on one store and prefix, and kept apart by another prefix", async () => {
    const opened = await Promise.all([
      openStore(`${redis.url}?prefix=identity`),
      openStore(`${redis.url}?prefix=identity`),
      openStore(`${redis.url}?prefix=identity-other`),
    ]);
    try {
      const [a, b, other] = opened.map((o) => o.store) as [StateStore, StateStore, StateStore];
      const joined = await Promise.all([a, b].map((store) => joinWorld(store, config({ seed: 3 }), "r")));
      expect(joined.filter((j) => j.founded)).toHaveLength(1);
      expect(joined[0]?.signingSecret).toBe(joined[1]?.signingSecret);
      const error = await joinWorld(b, config({ seed: 4 }), "r").catch((e: unknown) => e);
      expect((error as WorldMismatch).differences).toEqual(["seed: store has 3, this process 4"]);
      expect((await joinWorld(other, config({ seed: 4 }), "r")).founded).toBe(true);
    } finally {
      await Promise.all(opened.map((o) => o.close()));
    }
  });

  it("says in one line that a store cannot be reached", async () => {
    const error = await openStore("redis://127.0.0.1:1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnreachable);
    expect((error as Error).message).toMatch(
      /^cannot reach the store at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
    expect((error as Error).message).not.toContain("\n");
  });
});
