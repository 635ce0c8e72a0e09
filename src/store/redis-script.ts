import { createHash } from "node:crypto";

/**
 * What the store needs of a connection: raw commands. A connected `@redis/client` client or pool
 * fits, so the caller owns the connection, its reconnection policy and its life.
 */
export interface RedisConnection {
  sendCommand<T = unknown>(args: ReadonlyArray<string>): Promise<T>;
}

/** A script run by its digest, sent whole only when the server does not know it yet (after a restart, say). */
export class Script {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash("sha1").update(source).digest("hex");
  }

  async run<T>(connection: RedisConnection, keys: readonly string[], args: readonly string[]): Promise<T> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await connection.sendCommand<T>(["EVALSHA", this.#sha, ...tail]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return connection.sendCommand<T>(["EVAL", this.#source, ...tail]);
    }
  }
}
