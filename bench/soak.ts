/**
 * A bounded soak: mixed CMO traffic over loopback (reads, sync and async status changes, custom
 * properties, batches, monitor polling) against a simulator with injected faults and an outage, for
 * `--seconds` (default 60). Afterwards it checks that no 5xx came that was not injected, that every
 * accepted 202 reached DONE or FAILED, that memory after warm-up grew less than 10 %, and that
 * finished monitors were evicted after their retention. Prints one JSON line; exit code 1 on a miss.
 * `npm run soak` (60 s); the test suite runs it shortened.
 */
import { parseArgs } from "node:util";
import { PLATFORMS } from "../simulators/registry.js";
import { listen } from "../src/server/listen.js";
import { createSimulator } from "../src/server/simulator.js";
import { BASE, TOKEN_PATH } from "./fixtures.js";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, workers: { type: "string", default: "24" } },
});
const seconds = Number(values.seconds);
// Retention short enough that the run reaches its steady state well before it ends.
const RETENTION_MS = Math.min(5_000, (seconds * 1000) / 8);

const sim = createSimulator({
  timeScale: 0.01,
  cmo: { monitorRetentionMs: RETENTION_MS, pollFirstMs: 200, pollMaxMs: 1_000 },
  // Ten times the carriers' own rates over one-second windows: still refusals under this load, but a
  // 20-per-minute carrier does not hold the CMO's polls back for the rest of a minute.
  platforms: Object.fromEntries(
    PLATFORMS.map((p) => [
      p.code,
      {
        profile: {
          rateLimits: p.defaults.rateLimits.map((rule) => ({
            ...rule,
            windowMs: 1000,
            limit: Math.ceil((rule.limit * 10_000) / rule.windowMs),
          })),
          operations: { changeStatus: { faults: { errorRate: 0.03, errorStatus: 503 } } },
        },
      },
    ]),
  ),
});
const server = await listen(sim, 0, "127.0.0.1");
const url = server.url;

const tokenRes = await fetch(url + TOKEN_PATH, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
});
let token = ((await tokenRes.json()) as { access_token: string }).access_token;
const products: Array<{ id: string; sub: string }> = [];
for (const p of PLATFORMS) {
  const runtime = sim.world.platform(p.code)!.runtime;
  const account = sim.world.accountsOf("eos", p.code)[0]!;
  const sub = p.connectivity === "SATELLITE" ? "terminal" : "simCard";
  for (const d of await runtime.listDevices(account.id, 0, 100))
    products.push({ id: `${p.code}-${d.record.nativeId}`, sub });
}

const counts = {
  requests: 0,
  byStatus: {} as Record<number, number>,
  unexplained5xx: [] as string[],
  accepted: new Set<string>(),
};
/** Accepted monitors not yet seen DONE or FAILED: polled like a client would, until they end. */
const pending = new Set<string>();
let seq = 0;
/** A fixed pseudo-random walk (a linear congruential step): the same traffic shape every run. */
const pick = <T>(items: T[]): T => {
  seq = (seq * 1103515245 + 12345) % 2 ** 31;
  return items[seq % items.length] as T;
};

async function call(method: string, path: string, body?: unknown, type = "application/json-patch+json") {
  const res = await fetch(url + BASE + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": type }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  counts.requests++;
  counts.byStatus[res.status] = (counts.byStatus[res.status] ?? 0) + 1;
  if (res.status === 401) {
    const again = await fetch(url + TOKEN_PATH, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
    });
    token = ((await again.json()) as { access_token: string }).access_token;
  }
  if (res.status >= 500) {
    // Injected trouble reaches a client with the platform's own error attached; anything else is a simulator bug.
    const problem = JSON.parse(text) as { externalErrors?: unknown[] };
    if (!problem.externalErrors?.length)
      counts.unexplained5xx.push(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
  }
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function accept(id: string) {
  counts.accepted.add(id);
  pending.add(id);
}

/** One pass over the monitors in flight; one evicted before this client saw it end counts as seen. */
async function pollMonitors() {
  for (const id of [...pending]) {
    const res = await call("GET", `/monitor/${id}`);
    if (res.status === 200 && res.body.state !== "IN_PROGRESS") pending.delete(id);
    else if (res.status === 404) pending.delete(id);
  }
}

async function poller(until: number) {
  while (Date.now() < until) {
    await pollMonitors();
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function worker(until: number) {
  while (Date.now() < until) {
    const product = pick(products);
    const roll = seq % 10;
    if (roll < 4) await call("GET", `/product/${product.id}`);
    else if (roll < 7) {
      const res = await call("PATCH", `/product/${product.id}-${product.sub}`, [
        { op: "replace", path: "/status", value: seq % 2 ? "SUSPENDED" : "ACTIVE" },
      ]);
      if (res.status === 202) accept(res.body.id as string);
    } else if (roll < 8)
      await call("PATCH", `/product/${product.id}-${product.sub}`, [
        { op: "add", path: "/customProperty/-", value: { name: `k${seq % 1000}`, value: "v" } },
      ]);
    else if (roll < 9) {
      const ids = Array.from({ length: 5 }, () => pick(products)).map((p) => `${p.id}-${p.sub}`);
      const res = await call(
        "PATCH",
        "/product",
        {
          productIdList: [...new Set(ids)],
          request: { method: "PATCH", body: [{ op: "replace", path: "/status", value: "SUSPENDED" }] },
        },
        "application/json",
      );
      if (res.status === 202) accept(res.body.id as string);
    } else await call("GET", `/product?pageSize=20&pageNumber=${1 + (seq % 40)}`);
  }
}

const heap = () => {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

const workers = Number(values.workers);
const started = Date.now();
const warmUpEnd = started + Math.max(2 * RETENTION_MS, seconds * 250);
const end = started + seconds * 1000;
// An outage of one platform for the middle fifth of the run.
setTimeout(
  () =>
    void fetch(`${url}/_sim/platforms/STC/outage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ durationMs: seconds * 200, reason: "soak outage" }),
    }),
  seconds * 400,
);
let heapAfterWarmUp = 0;
setTimeout(() => {
  heapAfterWarmUp = heap();
}, warmUpEnd - started);
await Promise.all([...Array.from({ length: workers }, () => worker(end)), poller(end)]);
const heapAtEnd = heap();

// Drain: every accepted monitor must end; then wait out the retention and check eviction.
const drainUntil = Date.now() + 60_000;
while ((pending.size > 0 || (await sim.cmo.monitors.inFlightCount()) > 0) && Date.now() < drainUntil) {
  await pollMonitors();
  await new Promise((r) => setTimeout(r, 250));
}
// The CMO's own count of monitors that ended: every accepted 202 must be among them.
const outcomes = await sim.cmo.monitors.outcomes();
const ended = outcomes.DONE + outcomes.FAILED;
const monitorsBeforeRetention = (await sim.cmo.monitors.all()).length;
await new Promise((r) => setTimeout(r, RETENTION_MS + 1_000));
const monitorsAfterRetention = (await sim.cmo.monitors.all()).length;
await server.close(100);

const growth = heapAfterWarmUp > 0 ? (heapAtEnd - heapAfterWarmUp) / heapAfterWarmUp : 0;
const result = {
  seconds,
  requests: counts.requests,
  rps: Math.round(counts.requests / seconds),
  byStatus: counts.byStatus,
  unexplained5xx: counts.unexplained5xx.slice(0, 5),
  accepted: counts.accepted.size,
  ended: outcomes,
  lost: counts.accepted.size - ended,
  heapAfterWarmUpMB: Math.round(heapAfterWarmUp / 1e6),
  heapAtEndMB: Math.round(heapAtEnd / 1e6),
  heapGrowth: Math.round(growth * 1000) / 1000,
  monitorsBeforeRetention,
  monitorsAfterRetention,
};
const ok =
  counts.unexplained5xx.length === 0 &&
  ended === counts.accepted.size &&
  (await sim.cmo.monitors.inFlightCount()) === 0 &&
  growth < 0.1 &&
  monitorsAfterRetention === 0;
process.stdout.write(`${JSON.stringify({ ok, ...result })}\n`);
process.exit(ok ? 0 : 1);
