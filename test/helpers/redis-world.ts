import { createClient } from "@redis/client";
import { afterAll, beforeAll } from "vitest";
import type { ConfigInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator, type Simulator } from "../../src/server/simulator.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { type RedisServer, startRedis } from "../setup/redis.js";

/**
 * A Redis server for one test file, started before its tests and stopped after them, with what
 * replicas need of it: a connection each, a store each on a shared world, a fresh world per test.
 * Simulators handed to `keep` are closed before their connections go.
 */
export function redisForFile() {
  let server: RedisServer | undefined;
  const clients: Array<{ destroy(): void }> = [];
  const sims: Simulator[] = [];
  let worlds = 0;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const sim of sims) await sim.close();
    for (const client of clients) client.destroy();
    await server?.stop();
  });
  const running = (): RedisServer => {
    if (!server) throw new Error("Redis is not started yet: use it inside a test or a hook");
    return server;
  };
  const connection = async (options: { disableOfflineQueue?: boolean } = {}) => {
    const client = createClient({ url: running().url, ...options, socket: { reconnectStrategy: 50 } });
    client.on("error", () => {});
    clients.push(client);
    return client.connect();
  };
  return {
    server: running,
    connection,
    /** A store of its own on the world `prefix`, as each replica has (subscriber included). */
    store: async (prefix: string) => new RedisStore(await connection(), prefix, await connection()),
    /** A prefix no other test of the file uses. */
    world: (name: string) => `${name}:${++worlds}`,
    keep: (sim: Simulator): Simulator => {
      sims.push(sim);
      return sim;
    },
    /**
     * A replica of the world `prefix`: its own connections and virtual clock (at `start`), the one
     * configuration and signing key every replica shares, joined to the world (`resume`).
     */
    replica: async (config: ConfigInput, prefix: string, start: number) => {
      const clock = new VirtualClock(start);
      const sim = createSimulator(config, {
        clock,
        store: new RedisStore(await connection(), prefix, await connection()),
        signingSecret: "one-key-for-every-replica",
        applyLatency: false,
      });
      await sim.resume();
      sims.push(sim);
      return { sim, clock };
    },
  };
}
