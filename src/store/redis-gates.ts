import { randomUUID } from "node:crypto";
import type { ConcurrencyGates } from "../engine/concurrency-gates.js";
import { type RedisConnection, Script } from "./redis-script.js";

/**
 * How long a call may hold a gate before Redis lets it go on its own: what a replica killed in
 * the middle of a call costs its key at most. Longer than any latency or timeout fault a profile
 * plausibly waits on while holding it.
 */
const LEASE_MS = 60_000;

// Leases run on Redis's own time, so replicas whose clocks disagree (or are virtual) agree on them.
const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)`;

/** KEYS: the key's holders (ticket → lease end). ARGV: max, ticket, lease ms. Returns 1 when admitted. */
const ENTER = new Script(`${NOW}
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

/** KEYS: the key's holders. Returns how many hold it now. */
const HOLDERS = new Script(`${NOW}
return redis.call('ZCARD', KEYS[1])
`);

/** Gates on Redis: one sorted set of leased tickets per key, entered atomically by one script. */
export class RedisConcurrencyGates implements ConcurrencyGates {
  readonly #connection: RedisConnection;
  readonly #base: string;
  readonly #leaseMs: number;

  constructor(connection: RedisConnection, base: string, leaseMs = LEASE_MS) {
    this.#connection = connection;
    this.#base = base;
    this.#leaseMs = leaseMs;
  }

  async enter(key: string, max: number): Promise<string | undefined> {
    const ticket = randomUUID();
    const admitted = await ENTER.run<number>(
      this.#connection,
      [this.#key(key)],
      [String(max), ticket, String(this.#leaseMs)],
    );
    return admitted === 1 ? ticket : undefined;
  }

  async leave(key: string, ticket: string): Promise<void> {
    await this.#connection.sendCommand(["ZREM", this.#key(key), ticket]);
  }

  holders(key: string): Promise<number> {
    return HOLDERS.run<number>(this.#connection, [this.#key(key)], []);
  }

  #key(key: string): string {
    return `${this.#base}:${key}`;
  }
}
