import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "@redis/client";
import type { Config } from "../../src/config/schema.js";
import { listen, type RunningServer } from "../../src/server/listen.js";
import { Simulator, type SimulatorOptions } from "../../src/server/simulator.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { startRedis } from "../setup/redis.js";

/**
 * Two replicas of one world on a Redis of their own, behind a round-robin proxy: every request goes
 * to the other replica than the one before, so a test written against one simulator checks that
 * writes made through one replica are read through the other. The replicas share the test's clock
 * (a virtual clock is one timeline for both) and signing key; the proxy passes the Host header on,
 * so hrefs name the proxy. `CMO_SIM_TEST_REPLICAS=2` puts `startServer` in this mode.
 */
export async function replicaPair(
  config: Config,
  options: SimulatorOptions,
): Promise<{ running: RunningServer; sim: Simulator }> {
  const redis = await startRedis();
  const clients = [] as Array<{ destroy(): void }>;
  const connection = async () => {
    const client = createClient({ url: redis.url });
    client.on("error", () => {});
    clients.push(client);
    return client.connect();
  };
  const replicas: Array<{ sim: Simulator; running: RunningServer }> = [];
  for (let i = 0; i < 2; i++) {
    const sim = new Simulator(config, {
      signingSecret: "one-key-for-both-replicas",
      ...options,
      store: new RedisStore(await connection(), "pair", await connection()),
    });
    await sim.resume();
    replicas.push({ sim, running: await listen(sim, 0, "127.0.0.1") });
  }
  let turn = 0;
  const proxy = createServer((incoming, outgoing) => {
    const upstream = replicas[turn++ % replicas.length]!.running;
    const forwarded = request(
      {
        host: "127.0.0.1",
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", (error) => {
      outgoing.writeHead(502, { "content-type": "text/plain" });
      outgoing.end(`proxy: ${error.message}`);
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const port = (proxy.address() as AddressInfo).port;
  const running: RunningServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    server: proxy,
    inFlight: () => replicas.reduce((n, r) => n + r.running.inFlight(), 0),
    close: async (graceMs) => {
      await new Promise((resolve) => proxy.close(resolve));
      for (const replica of replicas) {
        await replica.running.close(graceMs);
        await replica.sim.close();
      }
      for (const client of clients) client.destroy();
      await redis.stop();
    },
  };
  return { running, sim: replicas[0]!.sim };
}
