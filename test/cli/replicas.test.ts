import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitOf, runCli, spawnCli, waitForOutput } from "../helpers/cli.js";
import { type RedisServer, startRedis } from "../setup/redis.js";

const TOKEN_PATH = "/auth/realms/iothub/protocol/openid-connect/token";
const API = "/api-gw/connection-management-orchestrator/v5/eos";

let redis: RedisServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await redis?.stop();
});

/** `cmo-sim serve` on a free port of 127.0.0.1; resolves once it listens. */
async function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnCli(["serve", "--port", "0", "--host", "127.0.0.1", "--time-scale", "0.01", ...args]);
  children.push(child);
  const [, url] = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { child, url: url as string };
}

async function token(url: string): Promise<string> {
  const res = await fetch(`${url}${TOKEN_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Two replicas of the world `prefix`, and a bearer header one of them issued. */
async function pair(prefix: string) {
  const store = `${redis.url}?prefix=${prefix}`;
  const [a, b] = await Promise.all([serve(["--store", store]), serve(["--store", store])]);
  return { store, a, b, bearer: { authorization: `Bearer ${await token(a.url)}` } };
}

/** Product ids of `platform` devices in `status`, as the admin API of the replica at `url` lists them. */
async function productsIn(url: string, platform: string, status: string, limit: number): Promise<string[]> {
  const picked = await fetch(`${url}/_sim/platforms/${platform}/devices?status=${status}&limit=${limit}`);
  const { devices } = (await picked.json()) as { devices: Array<{ productId: string }> };
  return devices.map((d) => d.productId);
}

describe("cmo-sim serve with a shared store", () => {
  it("refuses --workers 2 on this process's memory", async () => {
    const result = await runCli(["serve", "--port", "0", "--workers", "2"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--workers 2 needs a shared store (--store redis://host:port");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("runs two replicas as one simulator: a token from one is good on the other, a change through one is read through the other", async () => {
    const { store, a, b, bearer } = await pair("pair");
    const [suspended] = await productsIn(a.url, "JASPER", "SUSPENDED", 1);
    const product = `${suspended}-simCard`;
    const changed = await fetch(`${a.url}${API}/product/${product}`, {
      method: "PATCH",
      headers: { ...bearer, "content-type": "application/json-patch+json" },
      body: JSON.stringify([{ op: "replace", path: "/status", value: "ACTIVE" }]),
    });
    expect(changed.status).toBe(200);
    const read = await fetch(`${b.url}${API}/product/${product}`, { headers: bearer });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { status: string }).status).toBe("ACTIVE");

    // A third process with another seed does not belong to this world: it says how, and stops.
    const refused = await runCli([
      "serve",
      "--port",
      "0",
      "--store",
      store,
      "--time-scale",
      "0.01",
      "--seed",
      "7",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("differs from the world already in");
    expect(refused.stderr).toContain("seed: store has 1, this process 7");

    a.child.kill("SIGTERM");
    b.child.kill("SIGTERM");
    expect(await Promise.all([exitOf(a.child), exitOf(b.child)])).toEqual([0, 0]);
  });

  it("loses no monitor when a replica is killed (-9) mid-flight: the other completes them, and a restarted one sees the same world", async () => {
    const { store, a, b, bearer } = await pair("killed");
    const products = await productsIn(a.url, "TMSP", "ACTIVE", 5);
    const monitors: string[] = [];
    for (const product of products) {
      const accepted = await fetch(`${a.url}${API}/product/${product}-simCard`, {
        method: "PATCH",
        headers: { ...bearer, "content-type": "application/json-patch+json" },
        body: JSON.stringify([{ op: "replace", path: "/status", value: "SUSPENDED" }]),
      });
      expect(accepted.status).toBe(202);
      monitors.push(((await accepted.json()) as { id: string }).id);
    }
    a.child.kill("SIGKILL");
    await exitOf(a.child);

    // Nobody reads the monitors: only b's sweep of the store's due work can finish them.
    const finished = async () => {
      const listed = await fetch(`${b.url}/_sim/monitors`);
      const body = (await listed.json()) as { outcomes: { DONE: number; FAILED: number }; inFlight: number };
      return body.inFlight === 0 && body.outcomes.DONE === monitors.length ? body : undefined;
    };
    let done = await finished();
    for (let tries = 0; !done && tries < 300; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await finished();
    }
    expect(done).toMatchObject({ inFlight: 0, outcomes: { DONE: monitors.length, FAILED: 0 } });

    for (const product of products) {
      const read = await fetch(`${b.url}${API}/product/${product}-simCard`, { headers: bearer });
      expect(((await read.json()) as { status: string }).status).toBe("SUSPENDED");
    }
    const again = await serve(["--store", store]);
    for (const product of products) {
      const read = await fetch(`${again.url}${API}/product/${product}-simCard`, { headers: bearer });
      expect(((await read.json()) as { status: string }).status).toBe("SUSPENDED");
    }
    b.child.kill("SIGTERM");
    again.child.kill("SIGTERM");
    expect(await Promise.all([exitOf(b.child), exitOf(again.child)])).toEqual([0, 0]);
  });

  it("serves one port from two worker processes, and stops them all on SIGTERM", async () => {
    const { child, url } = await serve(["--store", `${redis.url}?prefix=workers`, "--workers", "2"]);
    // The primary prints one banner; the other worker reports in the log when it serves too.
    await waitForOutput(child, /"msg":"worker serving"/);
    const healths = await Promise.all(Array.from({ length: 4 }, () => fetch(`${url}/health`)));
    expect(healths.map((h) => h.status)).toEqual([200, 200, 200, 200]);
    const bearer = { authorization: `Bearer ${await token(url)}` };
    const list = await fetch(`${url}${API}/product?pageSize=1`, { headers: bearer });
    expect(list.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
  });
});
