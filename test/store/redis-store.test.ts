import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RedisStore } from "../../src/store/redis-store.js";
import { MemoryStore, type StateStore } from "../../src/store/store.js";
import { type RedisServer, startRedis } from "../setup/redis.js";

let server: RedisServer;
const clients: Array<{ destroy(): void }> = [];

/** A connection of its own, as each replica has. */
async function connection(disableOfflineQueue = false) {
  const client = createClient({ url: server.url, disableOfflineQueue, socket: { reconnectStrategy: 50 } });
  client.on("error", () => {});
  clients.push(client);
  return client.connect();
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

let worlds = 0;
/** A fresh world per test, so tests sharing the server never see each other's entries. */
const world = () => `cmo-sim-test:${++worlds}`;

interface Device {
  iccid: string;
  status: string;
  tags: string[];
  meta: { note: string | null; count: number };
}

const device = (iccid: string, status = "ACTIVE"): Device => ({
  iccid,
  status,
  tags: ["a", "b"],
  meta: { note: null, count: 1 },
});

const backends: Array<[string, () => Promise<StateStore>]> = [
  ["memory", async () => new MemoryStore()],
  ["redis", async () => new RedisStore(await connection(), world(), await connection())],
];

describe.each(backends)("the %s store", (_name, open) => {
  it("gets, sets and deletes, values coming back equal to what was stored", async () => {
    const devices = (await open()).collection<Device>("devices");
    expect(await devices.get("1")).toBeUndefined();
    await devices.set("1", device("1"));
    expect(await devices.get("1")).toEqual(device("1"));
    await devices.set("1", device("1", "SUSPENDED"));
    expect(await devices.get("1")).toEqual(device("1", "SUSPENDED"));
    expect(await devices.delete("1")).toBe(true);
    expect(await devices.delete("1")).toBe(false);
    expect(await devices.get("1")).toBeUndefined();
  });

  it("reads several keys in one call, in the order asked, absent ones as undefined", async () => {
    const devices = (await open()).collection<Device>("devices");
    await devices.set("1", device("1"));
    await devices.set("3", device("3", "SUSPENDED"));
    expect(await devices.getMany(["3", "2", "1"])).toEqual([
      device("3", "SUSPENDED"),
      undefined,
      device("1"),
    ]);
    expect(await devices.getMany([])).toEqual([]);
  });

  it("lists entries in insertion order: a key set again keeps its place, one deleted and set again comes last", async () => {
    const devices = (await open()).collection<Device>("devices");
    for (const iccid of ["3", "1", "2"]) await devices.set(iccid, device(iccid));
    await devices.set("3", device("3", "SUSPENDED"));
    await devices.delete("1");
    await devices.set("1", device("1"));
    expect(await devices.entries()).toEqual([
      ["3", device("3", "SUSPENDED")],
      ["2", device("2")],
      ["1", device("1")],
    ]);
  });

  it("inserts a key only when it is absent", async () => {
    const devices = (await open()).collection<Device>("devices");
    expect(await devices.insert("1", device("1"))).toBe(true);
    expect(await devices.insert("1", device("1", "SUSPENDED"))).toBe(false);
    expect(await devices.get("1")).toEqual(device("1"));
  });

  it("updates from the current value, and deletes when the change gives nothing", async () => {
    const counters = (await open()).collection<number>("counters");
    expect(await counters.update("hits", (n) => (n ?? 0) + 1)).toBe(1);
    expect(await counters.update("hits", (n) => (n ?? 0) + 1)).toBe(2);
    expect(await counters.get("hits")).toBe(2);
    expect(await counters.update("hits", () => undefined)).toBeUndefined();
    expect(await counters.get("hits")).toBeUndefined();
    expect(await counters.update("never", () => undefined)).toBeUndefined();
    expect(await counters.size()).toBe(0);
  });

  it("keeps due times: the keys due by a time come soonest first, a key added again moves, a removed one goes", async () => {
    const due = (await open()).dueSet("completions");
    await due.add("late", 3_000);
    await due.add("soon", 1_000);
    await due.add("moved", 500);
    await due.add("moved", 2_000);
    await due.add("never", 9_000);
    expect(await due.due(2_500, 10)).toEqual(["soon", "moved"]);
    expect(await due.due(5_000, 2)).toEqual(["soon", "moved"]);
    await due.remove("soon");
    expect(await due.due(5_000, 10)).toEqual(["moved", "late"]);
    await due.clear();
    expect(await due.due(10_000, 10)).toEqual([]);
  });

  it("delivers what is published under a topic to its listeners, and stops when one unsubscribes", async () => {
    const store = await open();
    const heard: string[] = [];
    const stop = await store.subscribe("knobs", (message) => {
      heard.push(message);
    });
    await store.publish("knobs", "TMSP");
    await store.publish("other", "ignored");
    expect(heard).toEqual(["TMSP"]);
    await stop();
    await store.publish("knobs", "after");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual(["TMSP"]);
  });

  it("keeps a capped log numbered value by value, though values arrive in batches", async () => {
    const store = await open();
    const log = store.log<string>("journal", 3);
    await log.append(["a", "b", "c"]);
    await log.append(["d"]);
    expect(await log.read()).toEqual([
      { seq: 2, value: "b" },
      { seq: 3, value: "c" },
      { seq: 4, value: "d" },
    ]);
    expect((await log.read(2)).map((e) => e.value)).toEqual(["c", "d"]);
    expect(await log.size()).toBe(3);
    await log.clear();
    expect(await log.size()).toBe(0);
    await log.append(["e"]);
    expect(await log.read()).toEqual([{ seq: 5, value: "e" }]);
    expect(await log.size()).toBe(1);
  });

  it("counts and clears one collection, leaving the others", async () => {
    const store = await open();
    const devices = store.collection<Device>("devices");
    const tokens = store.collection<string>("tokens");
    await devices.set("1", device("1"));
    await devices.set("2", device("2"));
    await tokens.set("t", "secret");
    expect(await devices.size()).toBe(2);
    await devices.clear();
    expect(await devices.size()).toBe(0);
    expect(await devices.entries()).toEqual([]);
    expect(await tokens.entries()).toEqual([["t", "secret"]]);
    await devices.set("9", device("9"));
    expect(await devices.entries()).toEqual([["9", device("9")]]);
  });
});

describe("the redis store shared by replicas", () => {
  it("carries a message published by one replica to the other, and due work armed by one to the other", async () => {
    const name = world();
    const [a, b] = [
      new RedisStore(await connection(), name),
      new RedisStore(await connection(), name, await connection()),
    ];
    const heard: string[] = [];
    await b.subscribe("knobs", async (message) => {
      // A listener that takes a while, as a re-read of a record does: the announcer waits for it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      heard.push(message);
    });
    await a.publish("knobs", "JASPER");
    expect(heard).toEqual(["JASPER"]);
    await a.dueSet("polls").add("m-1", 100);
    expect(await b.dueSet("polls").due(100, 10)).toEqual(["m-1"]);
  });

  it("stops waiting for a replica that heard an announcement but never finishes acting on it", async () => {
    const name = world();
    const [a, b] = [
      new RedisStore(await connection(), name),
      new RedisStore(await connection(), name, await connection()),
    ];
    await b.subscribe("knobs", () => new Promise<void>(() => {}));
    const started = Date.now();
    await a.publish("knobs", "TMUS");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it("lets two stores on the same server and prefix see each other's writes, in one order", async () => {
    const name = world();
    const [a, b] = [new RedisStore(await connection(), name), new RedisStore(await connection(), name)];
    await a.collection<Device>("devices").set("1", device("1"));
    await b.collection<Device>("devices").set("2", device("2"));
    expect(await b.collection<Device>("devices").get("1")).toEqual(device("1"));
    expect(await a.collection<Device>("devices").entries()).toEqual([
      ["1", device("1")],
      ["2", device("2")],
    ]);
    expect(await b.collection<Device>("devices").delete("1")).toBe(true);
    expect(await a.collection<Device>("devices").size()).toBe(1);
    await a.collection<Device>("devices").clear();
    expect(await b.collection<Device>("devices").entries()).toEqual([]);
  });

  it("keeps worlds with different prefixes apart", async () => {
    const client = await connection();
    const [a, b] = [new RedisStore(client, world()), new RedisStore(client, world())];
    await a.collection<string>("tokens").set("t", "of a");
    expect(await b.collection<string>("tokens").get("t")).toBeUndefined();
    await b.collection<string>("tokens").set("t", "of b");
    await b.collection<string>("tokens").clear();
    expect(await a.collection<string>("tokens").entries()).toEqual([["t", "of a"]]);
  });

  it("loses no update when replicas change the same value at once, and lets one insert win", async () => {
    const name = world();
    const replicas = [new RedisStore(await connection(), name), new RedisStore(await connection(), name)];
    let changes = 0;
    const spend = (n: number | undefined) => {
      changes += 1;
      return (n ?? 0) + 1;
    };
    await Promise.all(
      replicas.flatMap((store) =>
        Array.from({ length: 20 }, () => store.collection<number>("budget").update("used", spend)),
      ),
    );
    expect(await replicas[0]?.collection<number>("budget").get("used")).toBe(40);
    // Writers did collide (all 20 of a replica read the same value at first), and tried again.
    expect(changes).toBeGreaterThan(40);

    const claims = await Promise.all(
      replicas.map((store, i) => store.collection<string>("claims").insert("monitor-1", `replica-${i}`)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("keeps every collection in three keys under its prefix, and clear leaves none", async () => {
    const client = await connection();
    const name = world();
    const devices = new RedisStore(client, name).collection<Device>("devices");
    await devices.set("1", device("1"));
    expect((await client.keys(`{${name}:devices}:*`)).sort()).toEqual(
      [`{${name}:devices}:order`, `{${name}:devices}:seq`, `{${name}:devices}:values`].sort(),
    );
    await devices.clear();
    expect(await client.keys(`{${name}:*`)).toEqual([]);
  });

  it("goes on after Redis forgets its scripts, as it does when it restarts", async () => {
    const client = await connection();
    const devices = new RedisStore(client, world()).collection<Device>("devices");
    await devices.set("1", device("1"));
    await client.scriptFlush();
    await devices.set("2", device("2"));
    expect((await devices.entries()).map(([key]) => key)).toEqual(["1", "2"]);
  });

  // Last in the file: it takes the shared server down.
  it("fails fast while Redis is away, rather than waiting, and works again once it is back", async () => {
    const devices = new RedisStore(await connection(true), world()).collection<Device>("devices");
    await devices.set("1", device("1"));
    await server.kill();
    await expect(devices.get("1")).rejects.toThrow();
    await server.restart();
    await vi.waitFor(async () => expect(await devices.size()).toBe(0), { timeout: 5_000, interval: 50 });
    await devices.set("2", device("2"));
    expect(await devices.entries()).toEqual([["2", device("2")]]);
  });
});
