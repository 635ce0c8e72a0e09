import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@redis/client";
import { describe, expect, it } from "vitest";
import { findRedisServer, startRedis } from "./redis.js";

/** Whether connecting is refused: nothing listens on the port any more. */
async function refused(url: string): Promise<boolean> {
  const probe = createClient({ url, socket: { reconnectStrategy: false } });
  probe.on("error", () => {});
  return probe.connect().then(
    async () => {
      probe.destroy();
      return false;
    },
    (error: Error) => /ECONNREFUSED/.test(error.message),
  );
}

describe("the redis-server the tests use", () => {
  it("starts on a free loopback port, answers the client, and comes back on the same port after a restart or a kill", async () => {
    const server = await startRedis();
    const client = createClient({ url: server.url, socket: { reconnectStrategy: 50 } });
    // Reconnection errors while the server is down are expected here, not failures.
    client.on("error", () => {});
    try {
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      await client.connect();
      expect(await client.ping()).toBe("PONG");
      await client.set("left-behind", "1");

      await server.restart();
      expect(await client.ping()).toBe("PONG");
      expect(await client.get("left-behind")).toBeNull();

      await server.kill();
      expect(await refused(server.url)).toBe(true);
      await server.restart();
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.destroy();
      await server.stop();
    }
    expect(await refused(server.url)).toBe(true);
    await server.stop();
  });

  it("gives every fixture its own port", async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("is the one CMO_SIM_REDIS_SERVER names, else redis-server on PATH", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cmo-sim-path-"));
    const fake = join(dir, "redis-server");
    writeFileSync(fake, "#!/bin/sh\n");
    chmodSync(fake, 0o755);
    expect(await findRedisServer({ PATH: dir }, false)).toBe(fake);
    expect(await findRedisServer({ PATH: "", CMO_SIM_REDIS_SERVER: fake }, false)).toBe(fake);
    await expect(
      findRedisServer({ PATH: "", CMO_SIM_REDIS_SERVER: join(dir, "nothing") }, false),
    ).rejects.toThrow(/CMO_SIM_REDIS_SERVER=.* is not an executable file/);
  });

  it("fails saying what to install when there is none and no root to install it, never skipping", async () => {
    await expect(findRedisServer({ PATH: "" }, false)).rejects.toThrow(
      /redis-server .* is not on PATH: install it \(Debian: apt-get install redis-server/,
    );
  });
});
