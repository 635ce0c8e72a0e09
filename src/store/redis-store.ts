import type { ConcurrencyGates } from "../engine/concurrency-gates.js";
import type { RateBudgets } from "../engine/rate-budgets.js";
import { RedisAnnouncements, type RedisSubscriber } from "./redis-announcements.js";
import { RedisRateBudgets } from "./redis-budgets.js";
import { RedisCappedLog } from "./redis-capped-log.js";
import { RedisConcurrencyGates } from "./redis-gates.js";
import { type RedisConnection, Script } from "./redis-script.js";
import type { CappedLog, Collection, DueSet, Listener, StateStore, Unsubscribe } from "./store.js";

export type { RedisSubscriber } from "./redis-announcements.js";
export type { RedisConnection } from "./redis-script.js";

// An absent value is the empty string on the wire: no JSON text is empty, so it cannot be confused
// with a stored one.
const ABSENT = "";

/**
 * KEYS: values hash, order set, counter. ARGV: the key, its new JSON value (ABSENT deletes it) and,
 * when given, the value it must hold now for the write to happen (ABSENT: it must not exist).
 * Returns -1 when that condition fails, else how many entries the write removed or 1 for a write.
 */
const WRITE = new Script(`
local key, value, expected = ARGV[1], ARGV[2], ARGV[3]
if expected and (redis.call('HGET', KEYS[1], key) or '') ~= expected then return -1 end
if value == '' then
  redis.call('ZREM', KEYS[2], key)
  return redis.call('HDEL', KEYS[1], key)
end
if redis.call('HSET', KEYS[1], key, value) == 1 then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), key)
end
return 1
`);

/** KEYS: values hash, order set, counter. ARGV: the key, the amount. Returns the sum (an integer). */
const INCREMENT = new Script(`
local sum = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if sum == tonumber(ARGV[2]) and redis.call('ZSCORE', KEYS[2], ARGV[1]) == false then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
end
return sum
`);

/** KEYS: values hash, order set. Returns key, value, key, value… in insertion order, read at one instant. */
const ENTRIES = new Script(`
local out = {}
for _, key in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local value = redis.call('HGET', KEYS[1], key)
  if value then
    out[#out + 1] = key
    out[#out + 1] = value
  end
end
return out
`);

function decode<V>(raw: string | null): V | undefined {
  return raw === null ? undefined : (JSON.parse(raw) as V);
}

class RedisCollection<V> implements Collection<V> {
  readonly #connection: RedisConnection;
  readonly #values: string;
  readonly #keys: readonly string[];

  constructor(connection: RedisConnection, base: string) {
    this.#connection = connection;
    this.#values = `${base}:values`;
    this.#keys = [this.#values, `${base}:order`, `${base}:seq`];
  }

  #write(key: string, value: string, expected?: string): Promise<number> {
    const args = expected === undefined ? [key, value] : [key, value, expected];
    return WRITE.run<number>(this.#connection, this.#keys, args);
  }

  async get(key: string): Promise<V | undefined> {
    return decode<V>(await this.#connection.sendCommand<string | null>(["HGET", this.#values, key]));
  }

  async getMany(keys: readonly string[]): Promise<Array<V | undefined>> {
    if (keys.length === 0) return [];
    const raw = await this.#connection.sendCommand<Array<string | null>>(["HMGET", this.#values, ...keys]);
    return raw.map((value) => decode<V>(value));
  }

  async set(key: string, value: V): Promise<void> {
    await this.#write(key, JSON.stringify(value));
  }

  async insert(key: string, value: V): Promise<boolean> {
    return (await this.#write(key, JSON.stringify(value), ABSENT)) === 1;
  }

  async update(key: string, change: (current: V | undefined) => V | undefined): Promise<V | undefined> {
    for (;;) {
      const raw = await this.#connection.sendCommand<string | null>(["HGET", this.#values, key]);
      const next = change(decode<V>(raw));
      const written = await this.#write(
        key,
        next === undefined ? ABSENT : JSON.stringify(next),
        raw ?? ABSENT,
      );
      if (written !== -1) return next;
    }
  }

  increment(key: string, by = 1): Promise<number> {
    // A number's JSON is its decimal text, which HINCRBY reads and writes as it is.
    return INCREMENT.run<number>(this.#connection, this.#keys, [key, String(by)]);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#write(key, ABSENT)) === 1;
  }

  async entries(): Promise<Array<[string, V]>> {
    const flat = await ENTRIES.run<string[]>(this.#connection, this.#keys.slice(0, 2), []);
    const entries: Array<[string, V]> = [];
    for (let i = 0; i < flat.length; i += 2)
      entries.push([flat[i] as string, JSON.parse(flat[i + 1] as string) as V]);
    return entries;
  }

  async size(): Promise<number> {
    return this.#connection.sendCommand<number>(["HLEN", this.#values]);
  }

  async clear(): Promise<void> {
    // One DEL of all three keys is a single command, so no other client sees a half-cleared
    // collection: as atomic as MULTI or a script, in one round trip.
    await this.#connection.sendCommand(["DEL", ...this.#keys]);
  }
}

/** A sorted set of key → due time; reads take the soonest first. */
class RedisDueSet implements DueSet {
  readonly #connection: RedisConnection;
  readonly #key: string;

  constructor(connection: RedisConnection, key: string) {
    this.#connection = connection;
    this.#key = key;
  }

  async add(key: string, at: number): Promise<void> {
    await this.#connection.sendCommand(["ZADD", this.#key, String(at), key]);
  }

  async remove(key: string): Promise<void> {
    await this.#connection.sendCommand(["ZREM", this.#key, key]);
  }

  due(now: number, limit: number): Promise<string[]> {
    return this.#connection.sendCommand<string[]>([
      "ZRANGE",
      this.#key,
      "-inf",
      String(now),
      "BYSCORE",
      "LIMIT",
      "0",
      String(limit),
    ]);
  }

  async clear(): Promise<void> {
    await this.#connection.sendCommand(["DEL", this.#key]);
  }
}

/**
 * The `StateStore` on Redis, for replicas that share one world. The store holds no state of its
 * own: every call goes to Redis.
 *
 * A collection is three keys under the world's prefix: a hash of key → JSON value, a sorted set
 * of key → insertion number (the order `entries()` keeps), and the counter that numbers them. A
 * sorted set rather than a list because a delete must take a key out of the order in O(log n)
 * (LREM scans the whole list), and `ZADD` on first insertion only keeps a key where it first came,
 * as a `Map` does when a key is set again. The three keys share a hash tag so that, on a Redis
 * Cluster, they live on one slot and one script may touch them together.
 *
 * Every change is one Lua script, so the hash and its order never disagree, whichever replica
 * writes; a call is one round trip, and calls issued in the same tick go out as one pipeline (the
 * client batches them). `update` is the exception: its change is a JavaScript function, so it
 * reads, computes and writes back only if the value is still the one it read, trying again if
 * another writer got there first (the function may therefore run more than once: keep it pure).
 * Values must be plain JSON data: they come back parsed, never as the objects that were stored.
 */
export class RedisStore implements StateStore {
  readonly shared = true;
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  readonly #announcements: RedisAnnouncements;
  readonly #collections = new Map<string, Collection<unknown>>();

  /**
   * `prefix` names the world (say `cmo-sim:<world>`): stores with the same prefix share it.
   * `subscriber` is needed only by processes that `subscribe`.
   */
  constructor(connection: RedisConnection, prefix: string, subscriber?: RedisSubscriber) {
    this.#connection = connection;
    this.#prefix = prefix;
    this.#announcements = new RedisAnnouncements(connection, prefix, subscriber);
  }

  budgets(name: string): RateBudgets {
    return new RedisRateBudgets(this.#connection, `{${this.#prefix}:${name}}:budgets`);
  }

  gates(name: string): ConcurrencyGates {
    return new RedisConcurrencyGates(this.#connection, `{${this.#prefix}:${name}}:gates`);
  }

  dueSet(name: string): DueSet {
    return new RedisDueSet(this.#connection, `{${this.#prefix}:${name}}:due`);
  }

  log<V>(name: string, capacity: number): CappedLog<V> {
    return new RedisCappedLog<V>(this.#connection, `{${this.#prefix}:${name}}:log`, capacity);
  }

  publish(topic: string, message: string): Promise<void> {
    return this.#announcements.publish(topic, message);
  }

  subscribe(topic: string, listener: Listener): Promise<Unsubscribe> {
    return this.#announcements.subscribe(topic, listener);
  }

  collection<V>(name: string): Collection<V> {
    let collection = this.#collections.get(name);
    if (!collection) {
      collection = new RedisCollection<V>(this.#connection, `{${this.#prefix}:${name}}`);
      this.#collections.set(name, collection);
    }
    return collection as Collection<V>;
  }
}
