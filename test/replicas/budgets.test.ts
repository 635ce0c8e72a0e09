import { describe, expect, it } from "vitest";
import { MemoryRateBudgets, type RateLimitRule } from "../../src/engine/rate-budgets.js";
import { RedisConcurrencyGates } from "../../src/store/redis-gates.js";
import { redisForFile } from "../helpers/redis-world.js";
import { basic, QUIET } from "../helpers/server.js";

const redis = redisForFile();
const START = Date.UTC(2026, 4, 3, 9);

const RULES: RateLimitRule[] = [
  { name: "second", limit: 4, windowMs: 1000, algorithm: "fixed-window" },
  { name: "minute", limit: 30, windowMs: 60_000, algorithm: "fixed-window" },
  { name: "burst", limit: 3, windowMs: 700, algorithm: "token-bucket" },
];

/** A fixed, irregular walk in time: steps with fractions, bursts at one instant, long pauses. */
function* steps(): Generator<{ now: number; key: string }> {
  let now = 1_000_000.25;
  let state = 7;
  for (let i = 0; i < 400; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const pick = state % 10;
    now += pick < 4 ? 0 : pick < 8 ? (state % 2_500) / 7 : 20_000;
    yield { now, key: state % 3 === 0 ? "b" : "a" };
  }
}

describe("rate budgets on Redis", () => {
  it("decide as the memory budgets do, number for number, fractions of a millisecond included", async () => {
    const memory = new MemoryRateBudgets();
    const shared = (await redis.store(redis.world("budgets"))).budgets("platform:TEST");
    let admitted = 0;
    for (const { now, key } of steps()) {
      const expected = await memory.take(key, RULES, now);
      expect(await shared.take(key, RULES, now)).toEqual(expected);
      expect(await shared.inspect(key, RULES, now)).toEqual(await memory.inspect(key, RULES, now));
      if (expected.allowed) admitted++;
    }
    // The walk exercises both answers, not just one.
    expect(admitted).toBeGreaterThan(50);
    expect(admitted).toBeLessThan(350);
  });

  it("admit exactly the limit when two connections race for one budget, and clear for both", async () => {
    const prefix = redis.world("budgets");
    const [one, two] = [(await redis.store(prefix)).budgets("p"), (await redis.store(prefix)).budgets("p")];
    const rules: RateLimitRule[] = [
      { name: "minute", limit: 25, windowMs: 60_000, algorithm: "fixed-window" },
    ];
    const burst = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? one : two).take("acct", rules, START)),
    );
    expect(burst.filter((d) => d.allowed)).toHaveLength(25);
    expect((await two.inspect("acct", rules, START))[0]?.remaining).toBe(0);
    await one.clear();
    expect((await two.inspect("acct", rules, START))[0]?.remaining).toBe(25);
  });
});

describe("a native burst split over two replicas", () => {
  it("meets one rate-limit budget: the replicas together admit the limit, not twice it", async () => {
    const prefix = redis.world("budget-replicas");
    const limit = 10;
    const config = {
      seed: 11,
      platforms: {
        "1NCE": {
          profile: {
            ...QUIET,
            rateLimits: [{ name: "second", limit, windowMs: 1000, algorithm: "fixed-window" as const }],
          },
        },
      },
    };
    const open = async () => (await redis.replica(config, prefix, START)).sim;
    const replicas = [await open(), await open()];
    const [first] = replicas;
    const account = [...first!.world.platform("1NCE")!.runtime.accounts.values()][0]!;
    const api = "http://localhost/platforms/1nce/management-api";
    const signIn = await first!.fetch(
      new Request(`${api}/oauth/token`, {
        method: "POST",
        headers: {
          authorization: basic(account.username, account.secret),
          "content-type": "application/json",
        },
        body: JSON.stringify({ grant_type: "client_credentials" }),
      }),
    );
    const { access_token } = (await signIn.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${access_token}` };
    // The clocks stand still, so one window holds the whole burst (the token request is public
    // and counted apart, under the "public" key).
    const statuses = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const replica = replicas[i % 2]!;
        const res = await replica.fetch(new Request(`${api}/v1/sims?pageSize=1`, { headers }));
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(24 - limit);
  });
});

describe("one-call-at-a-time gates on Redis", () => {
  it("count the calls in flight of every replica together, per key", async () => {
    const prefix = redis.world("gates");
    const [a, b] = [
      (await redis.store(prefix)).gates("platform:JASPER"),
      (await redis.store(prefix)).gates("platform:JASPER"),
    ];
    const ticket = await a.enter("account-1", 1);
    expect(ticket).toBeDefined();
    expect(await b.enter("account-1", 1)).toBeUndefined();
    expect(await b.enter("account-2", 1)).toBeDefined();
    expect(await b.holders("account-1")).toBe(1);
    await a.leave("account-1", ticket as string);
    expect(await b.enter("account-1", 1)).toBeDefined();
  });

  it("let a call go after its lease, as when the replica holding it was killed", async () => {
    const prefix = redis.world("gates");
    const connection = await redis.connection();
    const dying = new RedisConcurrencyGates(connection, `{${prefix}:gates}`, 100);
    expect(await dying.enter("account-1", 1)).toBeDefined();
    expect(await dying.enter("account-1", 1)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await dying.holders("account-1")).toBe(0);
    expect(await dying.enter("account-1", 1)).toBeDefined();
  });
});
