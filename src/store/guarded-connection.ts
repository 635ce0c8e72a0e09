import { ErrorReply } from "@redis/client";
import type { RedisConnection } from "./redis-store.js";
import { StoreUnavailableError } from "./unavailable.js";

/**
 * A connection whose failures to reach Redis become `StoreUnavailableError` (so they are answered
 * with 503), while Redis' own replies to a command (an error in a script, NOSCRIPT) pass unchanged:
 * those are answers, not absence.
 */
export function guardedConnection(connection: RedisConnection): RedisConnection {
  return {
    async sendCommand<T>(args: ReadonlyArray<string>): Promise<T> {
      try {
        return await connection.sendCommand<T>(args);
      } catch (error) {
        if (error instanceof ErrorReply) throw error;
        throw new StoreUnavailableError(error);
      }
    },
  };
}
