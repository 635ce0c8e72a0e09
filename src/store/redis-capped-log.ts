import { type RedisConnection, Script } from "./redis-script.js";
import type { CappedLog, Numbered } from "./store.js";

/**
 * KEYS: the stream, its counter. ARGV: capacity, then one JSON value per entry. Each entry gets the
 * next number of the counter as its stream id (`<seq>-0`), so numbers are one sequence across
 * replicas. Trimming is approximate (`~`), which Redis does by whole nodes, cheaply; reads cut the
 * few extra entries.
 */
const APPEND = new Script(`
for i = 2, #ARGV do
  local seq = redis.call('INCR', KEYS[2])
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'v', ARGV[i])
end
return 1
`);

type StreamEntry = [id: string, fields: string[]];

/** A capped log as a Redis stream: XADD with MAXLEN, read with XRANGE. */
export class RedisCappedLog<V> implements CappedLog<V> {
  readonly #connection: RedisConnection;
  readonly #keys: readonly string[];
  readonly #capacity: number;

  constructor(connection: RedisConnection, base: string, capacity: number) {
    this.#connection = connection;
    this.#keys = [`${base}:stream`, `${base}:seq`];
    this.#capacity = capacity;
  }

  async append(values: readonly V[]): Promise<void> {
    if (this.#capacity === 0 || values.length === 0) return;
    await APPEND.run(this.#connection, this.#keys, [
      String(this.#capacity),
      ...values.map((value) => JSON.stringify(value)),
    ]);
  }

  async read(after = 0): Promise<Array<Numbered<V>>> {
    const raw = await this.#connection.sendCommand<StreamEntry[]>([
      "XREVRANGE",
      this.#keys[0] as string,
      "+",
      after === 0 ? "-" : `${after + 1}-0`,
      "COUNT",
      String(this.#capacity),
    ]);
    return raw.reverse().map(([id, fields]) => ({
      seq: Number.parseInt(id, 10),
      value: JSON.parse(fields[1] as string) as V,
    }));
  }

  async size(): Promise<number> {
    const length = await this.#connection.sendCommand<number>(["XLEN", this.#keys[0] as string]);
    return Math.min(length, this.#capacity);
  }

  async clear(): Promise<void> {
    // The counter stays: numbers keep growing, so a reader's "after" never skips new entries.
    await this.#connection.sendCommand(["DEL", this.#keys[0] as string]);
  }
}
