/**
 * `npm run bench`: every figure of issues 7 and 18, side by side with what is measured in the same
 * run for comparison (raw node:http, bare Hono, and Prism and Mockoon CLI serving the same composite
 * body as row a), printed and written to BENCHMARKS.md. Loopback only; every step is bounded and
 * the whole run stops by itself.
 */
import { rm } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { concurrentBurst } from "./concurrent.js";
import { treeCpuSeconds } from "./cpu.js";
import {
  BASE,
  benchConfig,
  changeAndPoll,
  patchHeaders,
  productIds,
  productReads,
  readHeaders,
  rowConfig,
  rowProductIds,
  statusFlips,
} from "./fixtures.js";
import { type LoadResult, load } from "./load.js";
import { PEERS, type PeerConfig, type PeerKind, writePeerFiles } from "./peers.js";
import { runScript, startTarget } from "./processes.js";
import { type BenchRow, writeBenchTable } from "./report-file.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const rows: BenchRow[] = [];

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** The rate, and the CPU the target spent per unit (a pair of requests counts as one unit). */
const rate = (r: Measured, unit = "req/s", pair = 1) =>
  `${fmt(r.rps / pair)} ${unit}, ${fmt(r.cpuUs * pair)} µs of CPU each`;
const lat = (r: { p50: number; p99: number }) => `p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms`;

/** A measured run, with the CPU the target's processes spent on each request it answered. */
type Measured = LoadResult & { cpuUs: number };

/**
 * A warm-up run, then `rounds` measured runs of which the fastest counts. The CPU per request is
 * read from /proc for the target's process tree: what a request costs the server, which a budget per
 * request can be held against, whatever share of the two cores the load generator took meanwhile.
 */
async function measure(
  kind: string,
  config: unknown,
  run: (url: string) => Promise<LoadResult>,
  rounds = 1,
): Promise<Measured> {
  const target = await startTarget(kind, config);
  const pid = target.child.pid as number;
  const once = async (): Promise<Measured> => {
    const before = await treeCpuSeconds(pid);
    const result = await run(target.url);
    const spent = (await treeCpuSeconds(pid)) - before;
    return { ...result, cpuUs: (spent * 1e6) / Math.max(1, result.requests) };
  };
  try {
    await run(target.url); // warm-up: JIT, caches, connections
    let best = await once();
    for (let round = 1; round < rounds; round++) {
      const next = await once();
      if (next.rps > best.rps) best = next;
    }
    return best;
  } finally {
    await target.stop();
  }
}

function say(line: string) {
  process.stdout.write(`${line}\n`);
}

say(`cmo-sim benchmark: ${DURATION} s per measurement, 50 connections unless stated`);

// ---- baselines ----------------------------------------------------------------------------
// Best of three: on a shared machine one run of a hello world can lose a third of its rate to a
// neighbour, which would flatter every ratio below.
const BASELINE_ROUNDS = 3;
const nodeHttp = await measure(
  "node-http",
  undefined,
  (url) => load({ url, duration: DURATION }),
  BASELINE_ROUNDS,
);
say(`baseline node:http         ${rate(nodeHttp)}  ${lat(nodeHttp)}`);
const hono = await measure("hono", undefined, (url) => load({ url, duration: DURATION }), BASELINE_ROUNDS);
say(`baseline Hono              ${rate(hono)}  ${lat(hono)}`);
rows.push({
  id: "base",
  what: "raw node:http hello world",
  figure: rate(nodeHttp),
  ratio: "1.00 × node",
  latency: lat(nodeHttp),
  target: "baseline",
  met: undefined,
});
rows.push({
  id: "base",
  what: "bare Hono + @hono/node-server hello world",
  figure: rate(hono),
  ratio: `${(hono.rps / nodeHttp.rps).toFixed(2)} × node`,
  latency: lat(hono),
  target: "baseline",
  met: undefined,
});

const versus = (r: LoadResult, pair = 1) =>
  `${(r.rps / pair / hono.rps).toFixed(2)} × Hono, ${(r.rps / pair / nodeHttp.rps).toFixed(2)} × node`;

type Rate = { name: string; rps: number };

/**
 * Records a throughput row against a share of bare Hono; `pair` counts requests that make one unit,
 * and `beat` adds a goal of `times` the faster peer serving the same body (none measured: not met).
 */
function throughputRow(
  id: string,
  label: string,
  what: string,
  r: Measured,
  share: number,
  { pair = 1, beat }: { pair?: number; beat?: { times: number; peer: Rate | undefined } } = {},
) {
  const unit = pair === 1 ? "req/s" : "pairs/s";
  let ratio = versus(r, pair);
  let target = `≥ ${share} × Hono`;
  let met = r.rps / pair >= share * hono.rps && r.non2xx === 0;
  if (beat) {
    const { times, peer } = beat;
    ratio += peer ? `, ${(r.rps / pair / peer.rps).toFixed(2)} × ${peer.name}` : ", no peer measured";
    target += ` and ≥ ${times} × the faster of Prism and Mockoon`;
    met &&= peer !== undefined && r.rps / pair >= times * peer.rps;
  }
  rows.push({ id, what, figure: rate(r, unit, pair), ratio, latency: lat(r), target, met });
  say(`(${id}) ${label.padEnd(22)} ${rate(r, unit, pair)}  ${ratio}  ${lat(r)}  non-2xx ${r.non2xx}`);
}

// ---- (a) composite read, (b) sync PATCH, (c) async PATCH + monitor GET ---------------------
const simConfig = rowConfig();
const jasper = await rowProductIds("JASPER");
const tmsp = await rowProductIds("TMSP");

// ---- peers: Prism and Mockoon CLI answering every JASPER product GET with one product's body ----
const sample = await startTarget("sim", simConfig);
let peerConfig: PeerConfig;
let sampleBody: string;
try {
  const path = `${BASE}/product/${jasper[0]}`;
  const headers = await readHeaders(sample.url);
  const res = await fetch(sample.url + path, { headers });
  if (!res.ok) throw new Error(`cmo-sim answered ${res.status} to the sample GET`);
  sampleBody = await res.text();
  peerConfig = {
    folder: await writePeerFiles(BASE, sampleBody),
    path,
    headers,
    bytes: Buffer.byteLength(sampleBody),
  };
} finally {
  await sample.stop();
}
const peerRates: Rate[] = [];
for (const kind of Object.keys(PEERS) as PeerKind[]) {
  const name = PEERS[kind];
  const what = `${name} serving the JASPER composite body (${fmt(peerConfig.bytes)} bytes) as a static answer`;
  try {
    const r = await measure(kind, peerConfig, (url) =>
      load({ url, duration: DURATION, headers: peerConfig.headers, requests: [productReads(jasper)] }),
    );
    peerRates.push({ name, rps: r.rps });
    rows.push({
      id: "peer",
      what,
      figure: `${rate(r)}${r.non2xx ? `, ${fmt(r.non2xx)} non-2xx` : ""}`,
      ratio: versus(r),
      latency: lat(r),
      target: "reference for row a",
      met: undefined,
    });
    say(`peer ${name.padEnd(22)} ${rate(r)}  ${versus(r)}  ${lat(r)}  non-2xx ${r.non2xx}`);
  } catch (error) {
    rows.push({
      id: "peer",
      what,
      figure: "not measured",
      ratio: "—",
      latency: "—",
      target: "reference for row a",
      met: false,
    });
    say(`peer ${name.padEnd(22)} not measured: ${(error as Error).message}`);
  }
}
await rm(peerConfig.folder, { recursive: true });

// What answering this body costs on its own, with nothing simulated: the ceiling row a works under.
const jsonFloor = await measure(
  "hono-json",
  JSON.parse(sampleBody),
  (url) => load({ url, duration: DURATION, headers: peerConfig.headers, requests: [productReads(jasper)] }),
  BASELINE_ROUNDS,
);
rows.push({
  id: "base",
  what: `bare Hono answering the JASPER composite body (${fmt(peerConfig.bytes)} bytes) with \`c.json\` on every product path`,
  figure: rate(jsonFloor),
  ratio: versus(jsonFloor),
  latency: lat(jsonFloor),
  target: "ceiling for row a",
  met: undefined,
});
say(`baseline Hono + JSON body  ${rate(jsonFloor)}  ${versus(jsonFloor)}  ${lat(jsonFloor)}`);
const fasterPeer = peerRates.sort((x, y) => y.rps - x.rps)[0];

const composite = async (ids: string[]) =>
  measure("sim", simConfig, async (url) =>
    load({
      url,
      duration: DURATION,
      headers: await readHeaders(url),
      requests: [productReads(ids)],
    }),
  );
const a = await composite(tmsp);
throughputRow("a", "composite GET, TMSP", "GET a composite product (TMSP: one native read)", a, 0.3);
const a2 = await composite(jasper);
throughputRow(
  "a",
  "composite GET, JASPER",
  "GET a composite product (JASPER: device details + usage, two native reads)",
  a2,
  0.3,
  { beat: { times: 5, peer: fasterPeer } },
);

const jasperFlips = statusFlips(jasper);
const b = await measure("sim", simConfig, async (url) =>
  load({ url, duration: DURATION, headers: await patchHeaders(url), requests: [jasperFlips] }),
);
throughputRow("b", "sync PATCH", "PATCH a sync status (JASPER), 200 + simCard", b, 0.2);

// Made once, so the measured run goes on to SIMs its warm-up left alone.
const changesAndPolls = changeAndPoll(tmsp);
const c = await measure("sim", simConfig, async (url) =>
  load({ url, duration: DURATION, headers: await patchHeaders(url), requests: changesAndPolls }),
);
throughputRow(
  "c",
  "async PATCH + monitor",
  "PATCH an async status (TMSP) + one monitor GET (pairs)",
  c,
  0.1,
  { pair: 2 },
);

// ---- (d) a 100-product page, 1,000 vs 1,000,000 products --------------------------------
const pageRate = async (size: number) => {
  const config = benchConfig([{ platform: "TMSP", size }]);
  const pages = size / 100;
  return measure("sim", config, async (url) => {
    const headers = await readHeaders(url);
    let i = 0;
    return load({
      url,
      duration: DURATION,
      headers,
      requests: [
        {
          method: "GET",
          setupRequest: (req) => ({
            ...req,
            path: `${BASE}/product?pageSize=100&pageNumber=${1 + ((i++ * 7919) % pages)}`,
          }),
        },
      ],
    });
  });
};
const small = await pageRate(1_000);
const big = await pageRate(1_000_000);
const cost = small.rps / big.rps;
rows.push({
  id: "d",
  what: "100-product page, 1,000 products",
  figure: rate(small),
  ratio: versus(small),
  latency: lat(small),
  target: "reference for the next row",
  met: undefined,
});
rows.push({
  id: "d",
  what: "100-product page, 1,000,000 products",
  figure: rate(big),
  ratio: `costs ${cost.toFixed(2)} × the 1,000 page`,
  latency: lat(big),
  target: "≤ 1.5 × the 1,000 page",
  met: cost <= 1.5 && big.non2xx === 0,
});
say(`(d) list page 1k / 1M      ${fmt(small.rps)} / ${fmt(big.rps)} req/s  cost ratio ${cost.toFixed(2)}`);

// ---- (e) 10,000 concurrent requests with 1 s of latency ----------------------------------
const slowConfig = benchConfig([{ platform: "1NCE", size: 10_000 }], {
  "1NCE": { latency: 1000, operations: { auth: { latency: 0 } } },
});
const once = await productIds(slowConfig, "1NCE", 10_000);
const slowTarget = await startTarget("sim", slowConfig);
let e: Awaited<ReturnType<typeof concurrentBurst>>;
try {
  const headers = await readHeaders(slowTarget.url);
  await concurrentBurst(
    slowTarget.url,
    once.slice(0, 200).map((id) => `${BASE}/product/${id}-simCard`),
    headers,
  );
  e = await concurrentBurst(
    slowTarget.url,
    once.map((id) => `${BASE}/product/${id}-simCard`),
    headers,
  );
} finally {
  await slowTarget.stop();
}
rows.push({
  id: "e",
  what: "10,000 concurrent requests, 1 s platform latency each",
  figure: `${fmt(e.completed)} of ${fmt(e.sent)} completed`,
  ratio: `overhead p99 ${fmt(e.p99 - 1000)} ms`,
  latency: `p50 ${fmt(e.p50)} ms, p99 ${fmt(e.p99)} ms, max ${fmt(e.max)} ms`,
  // Each time runs from sending to the last byte, so it includes the platform's second.
  target: "all complete, p99 ≤ 1,500 ms",
  met: e.completed === e.sent && e.p99 <= 1500,
});
say(
  `(e) 10k concurrent @1s     ${e.completed}/${e.sent} completed  p50 ${fmt(e.p50)} ms  p99 ${fmt(e.p99)} ms`,
);

// ---- (f) memory per in-flight monitor, (g) inventory of 1,000,000 SIMs ------------------
const f = await runScript<{ inFlight: number; bytesPerMonitor: number; heapMB: number }>(
  "bench/monitor-memory.ts",
  ["100000"],
);
rows.push({
  id: "f",
  what: `memory per in-flight monitor (${fmt(f.inFlight)} in flight)`,
  figure: `${fmt(f.bytesPerMonitor)} bytes`,
  ratio: `heap ${fmt(f.heapMB)} MB`,
  latency: "—",
  target: "≤ 2,048 bytes",
  met: f.bytesPerMonitor <= 2048,
});
say(`(f) bytes per monitor      ${fmt(f.bytesPerMonitor)} (heap ${f.heapMB} MB, ${f.inFlight} in flight)`);

const g = await runScript<{ buildMs: number; fullPassMs: number; rssMB: number }>(
  "bench/inventory-scale.ts",
  ["1000000"],
);
rows.push({
  id: "g",
  what: "inventory of 1,000,000 SIMs: build, then generate every SIM once",
  figure: `${fmt(g.buildMs)} ms + ${fmt(g.fullPassMs)} ms`,
  ratio: `RSS ${fmt(g.rssMB)} MB`,
  latency: "—",
  target: "≤ 10 s and ≤ 1.5 GB RSS",
  met: g.buildMs + g.fullPassMs <= 10_000 && g.rssMB <= 1536,
});
say(`(g) 1M inventory           build ${g.buildMs} ms, full pass ${g.fullPassMs} ms, RSS ${g.rssMB} MB`);

// ---- (h) the 24-hour chaos scenario --------------------------------------------------------
const h = await runScript<{ wallMs: number } | { skipped: string }>("bench/chaos-day.ts", ["--json"]).catch(
  (error: Error) => ({ skipped: error.message }),
);
if ("wallMs" in h) {
  rows.push({
    id: "h",
    what: "24-hour chaos scenario on the virtual clock",
    figure: `${fmt(h.wallMs / 1000, 1)} s wall`,
    ratio: "—",
    latency: "—",
    target: "< 20 s",
    met: h.wallMs < 20_000,
  });
  say(`(h) 24 h chaos             ${fmt(h.wallMs / 1000, 1)} s`);
} else {
  rows.push({
    id: "h",
    what: "24-hour chaos scenario on the virtual clock",
    figure: "not measured",
    ratio: "—",
    latency: "—",
    target: "< 20 s",
    met: false,
  });
  say(`(h) 24 h chaos             not measured: ${h.skipped}`);
}

// ---- (i) the cost of pacing a native call when nothing is queued ------------------------------
const pacing = await runScript<{ perPlatform: Record<string, number>; floor: number; worst: number }>(
  "bench/pacing-cost.ts",
  ["1000000"],
);
const costliest = Object.entries(pacing.perPlatform).sort((x, y) => y[1] - x[1])[0] ?? ["—", 0];
rows.push({
  id: "i",
  what: "CMO pacing on an empty queue: CPU per native call (admission and release, each platform's own rules)",
  figure: `${fmt(pacing.worst, 2)} µs (${costliest[0]})`,
  ratio: `no rules ${fmt(pacing.floor, 2)} µs`,
  latency: "—",
  target: "≤ 5 µs",
  met: pacing.worst <= 5,
});
say(
  `(i) pacing, empty queue    ${fmt(pacing.worst, 2)} µs per call (${costliest[0]}), no rules ${fmt(pacing.floor, 2)} µs`,
);

// ---- BENCHMARKS.md -------------------------------------------------------------------------
const table = await writeBenchTable(rows, [
  `Command: \`npm run bench\` (${DURATION} s per measurement after a warm-up run, the baselines best of ${BASELINE_ROUNDS}; autocannon with 50 connections over loopback; each server in its own process, its CPU per request read from /proc for its process tree; the peers are the pinned \`@stoplight/prism-cli\` and \`@mockoon/cli\` dev dependencies).`,
  `Date: ${new Date().toISOString().slice(0, 10)}. Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}.`,
]);
say(`\nwritten to BENCHMARKS.md\n\n${table}`);
process.exit(0);
