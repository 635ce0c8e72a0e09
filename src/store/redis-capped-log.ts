import type { CappedLog, Numbered } from "./capped-log.js";
import { type RedisConnection, Script } from "./redis-script.js";

/**
 * KEYS: the stream, its counter. ARGV: capacity, the batch's length, the batch as one JSON array. The batch is
 * one stream entry whose id is the number of its first value (`<seq>-0`); its values take the
 * numbers after it, so numbers are one sequence across replicas and a busy turn costs Redis two
 * steps, not two per value. `MAXLEN ~` counts batches, at least one value each, so the stream
 * keeps at least `capacity` values; reads cut the rest. Trimming is approximate, by whole nodes.
 */
const APPEND = new Script(`
local count = tonumber(ARGV[2])
local last = redis.call('INCRBY', KEYS[2], count)
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], (last - count + 1) .. '-0', 'v', ARGV[3])
return last
`);

type StreamEntry = [id: string, fields: string[]];

/** A capped log as a Redis stream of batches: XADD with MAXLEN, read with XREVRANGE. */
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
      String(values.length),
      JSON.stringify(values),
    ]);
  }

  async read(after = 0): Promise<Array<Numbered<V>>> {
    // The batch holding number `after + 1` may start before it: read from the newest batch back,
    // as far as `capacity` batches, then keep the values numbered above `after`.
    const raw = await this.#connection.sendCommand<StreamEntry[]>([
      "XREVRANGE",
      this.#keys[0] as string,
      "+",
      "-",
      "COUNT",
      String(this.#capacity),
    ]);
    const numbered: Array<Numbered<V>> = [];
    for (const [id, fields] of raw.reverse()) {
      const first = Number.parseInt(id, 10);
      (JSON.parse(fields[1] as string) as V[]).forEach((value, i) => {
        if (first + i > after) numbered.push({ seq: first + i, value });
      });
    }
    return numbered.slice(-this.#capacity);
  }

  /** From the oldest batch kept to the last number given: no entry is read or parsed. */
  async size(): Promise<number> {
    const [oldest, last] = await Promise.all([
      this.#connection.sendCommand<StreamEntry[]>([
        "XRANGE",
        this.#keys[0] as string,
        "-",
        "+",
        "COUNT",
        "1",
      ]),
      this.#connection.sendCommand<string | null>(["GET", this.#keys[1] as string]),
    ]);
    const first = oldest[0];
    if (first === undefined || last === null) return 0;
    return Math.min(this.#capacity, Number(last) - Number.parseInt(first[0], 10) + 1);
  }

  async clear(): Promise<void> {
    // The counter stays: numbers keep growing, so a reader's "after" never skips new entries.
    await this.#connection.sendCommand(["DEL", this.#keys[0] as string]);
  }
}
