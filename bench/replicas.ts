/**
 * `npm run bench:replicas`: the composite GET and sync PATCH rows of `npm run bench` served by the
 * CLI on this process's memory, on Redis from one process, and on Redis from `--workers 2`, in one
 * run, with Redis round trips per request counted from the server's own command statistics.
 * Issue 17's goal on this 2-core machine: `--workers 2` at least 1.6× one process on Redis.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@redis/client";
import { createSimulator, type Simulator } from "../src/server/simulator.js";
import { RedisStore } from "../src/store/redis-store.js";
import { startRedis } from "../test/setup/redis.js";
import { ownCpuSeconds, treeCpuSeconds } from "./cpu.js";
import {
  BASE,
  benchConfig,
  patchHeaders,
  productIds,
  productReads,
  readHeaders,
  statusFlips,
  TOKEN_PATH,
} from "./fixtures.js";
import { type LoadResult, load } from "./load.js";
import { ROOT } from "./processes.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const config = benchConfig([{ platform: "JASPER", size: 100_000 }]);
const ids = await productIds(config, "JASPER", 100_000);
const folder = await mkdtemp(join(tmpdir(), "cmo-sim-bench-"));
const configFile = join(folder, "bench.json");
await writeFile(configFile, JSON.stringify(config));
const redis = await startRedis();
const stats = createClient({ url: redis.url });
await stats.connect();
const redisPid = Number((await stats.info("server")).match(/process_id:(\d+)/)?.[1]);

/** `cmo-sim serve` as users start it; resolves with its URL once it listens. */
function serve(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "serve",
      "--config",
      configFile,
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--log-level",
      "warn",
      ...args,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PACT_DO_NOT_TRACK: "true" } },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) resolve({ url: match[1] as string, child });
    });
    child.once("exit", (code) => reject(new Error(`serve ${args.join(" ")} exited with ${code}: ${out}`)));
  });
}

/** Commands Redis has run so far, all kinds together. */
async function redisCalls(): Promise<number> {
  const info = await stats.info("commandstats");
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** CPU seconds so far of the simulator (workers included), Redis and this process (autocannon). */
async function cpuNow(simulator: number) {
  return {
    simulator: await treeCpuSeconds(simulator),
    redis: await treeCpuSeconds(redisPid),
    load: ownCpuSeconds(),
  };
}

async function measure(run: (url: string) => Promise<LoadResult>, args: string[]) {
  const target = await serve(args);
  try {
    await run(target.url); // warm-up: JIT, caches, connections, and the world written to Redis
    const before = await redisCalls();
    const cpuBefore = await cpuNow(target.child.pid as number);
    const started = performance.now();
    const result = await run(target.url);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await cpuNow(target.child.pid as number);
    const cores = (key: keyof typeof cpuAfter) => (cpuAfter[key] - cpuBefore[key]) / seconds;
    return {
      ...result,
      redisPerRequest: ((await redisCalls()) - before) / result.requests,
      cores: `${cores("simulator").toFixed(2)} / ${cores("redis").toFixed(2)} / ${cores("load").toFixed(2)}`,
    };
  } finally {
    const exited = new Promise((resolve) => target.child.once("exit", resolve));
    target.child.kill("SIGTERM");
    await exited;
  }
}

const read = async (url: string) =>
  load({
    url,
    duration: DURATION,
    headers: await readHeaders(url),
    requests: [productReads(ids)],
  });

const flips = statusFlips(ids);
const patch = async (url: string) =>
  load({
    url,
    duration: DURATION,
    headers: await patchHeaders(url),
    requests: [flips],
  });

let world = 0;
const setups: Array<[string, () => string[]]> = [
  ["memory, 1 process", () => []],
  ["Redis, 1 process", () => ["--store", `${redis.url}?prefix=bench-${++world}`]],
  ["Redis, --workers 2", () => ["--store", `${redis.url}?prefix=bench-${++world}`, "--workers", "2"]],
];
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
say(
  `| row | store | req/s | p50 ms | p99 ms | Redis commands per request (script steps included) | CPU cores: simulator / Redis / autocannon | non-2xx |`,
);
say(`|---|---|---:|---:|---:|---:|---:|---:|`);
const rps: Record<string, number> = {};
for (const [row, run] of [
  ["composite GET (JASPER)", read],
  ["sync PATCH (JASPER)", patch],
] as const) {
  for (const [name, args] of setups) {
    const r = await measure(run, args());
    rps[`${row}|${name}`] = r.rps;
    say(
      `| ${row} | ${name} | ${Math.round(r.rps).toLocaleString("en-US")} | ${r.p50} | ${r.p99} | ${name.startsWith("memory") ? "–" : r.redisPerRequest.toFixed(1)} | ${r.cores} | ${r.non2xx + r.errors} |`,
    );
  }
  const scale = (rps[`${row}|Redis, --workers 2`] ?? 0) / (rps[`${row}|Redis, 1 process`] ?? 1);
  say(`| ${row} | --workers 2 ÷ 1 process on Redis | ${scale.toFixed(2)}× | | | goal ≥ 1.60× | | |`);
}
/**
 * Round trips to Redis per request, which the server's statistics cannot tell apart from the steps
 * inside scripts: counted at the connection of a simulator in this process, over 200 requests.
 */
async function roundTrips(
  request: (sim: Simulator, headers: Record<string, string>, id: string) => Promise<Response>,
) {
  const client = await createClient({ url: redis.url }).connect();
  const subscriber = await createClient({ url: redis.url }).connect();
  let trips = 0;
  const counted = {
    sendCommand<T>(args: ReadonlyArray<string>): Promise<T> {
      trips++;
      return client.sendCommand<T>([...args]);
    },
  };
  const sim = createSimulator(config, {
    store: new RedisStore(counted, `bench-trips-${++world}`, subscriber),
  });
  await sim.resume();
  const tokenAnswer = await sim.fetch(
    new Request(`http://sim${TOKEN_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
    }),
  );
  const headers = {
    authorization: `Bearer ${((await tokenAnswer.json()) as { access_token: string }).access_token}`,
  };
  // The first visit of a product teaches the CMO's directory where it lives: measured after it.
  for (const id of ids.slice(0, 200)) await (await request(sim, headers, id)).arrayBuffer();
  trips = 0;
  for (const id of ids.slice(200, 400)) await (await request(sim, headers, id)).arrayBuffer();
  const perRequest = trips / 200;
  await sim.close();
  client.destroy();
  subscriber.destroy();
  return perRequest;
}
const readTrips = await roundTrips((sim, headers, id) =>
  Promise.resolve(sim.fetch(new Request(`http://sim${BASE}/product/${id}`, { headers }))),
);
const patchTrips = await roundTrips((sim, headers, id) =>
  Promise.resolve(
    sim.fetch(
      new Request(`http://sim${BASE}/product/${id}-simCard`, {
        method: "PATCH",
        headers: { ...headers, "content-type": "application/json-patch+json" },
        body: JSON.stringify([{ op: "replace", path: "/status", value: "SUSPENDED" }]),
      }),
    ),
  ),
);
say(
  `\nRound trips to Redis per request, counted at the connection: composite GET ${readTrips.toFixed(1)}, sync PATCH ${patchTrips.toFixed(1)}.`,
);
await stats.quit();
await redis.stop();
process.stdout.write(`\n${JSON.stringify({ rps })}\n`);
