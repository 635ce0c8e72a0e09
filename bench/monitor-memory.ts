/**
 * (f) Memory per in-flight monitor: N asynchronous status changes accepted in-process on TMSP,
 * whose timeline is set to a day so none finishes; heap measured after a full GC before and after.
 * The clock is virtual: with real time, background polls of the first monitors fire while later
 * ones are accepted, and whatever of theirs is in flight at the weighing (a few hundred MB on a
 * slow run) would be counted as monitor state. Prints one JSON line. Run with
 * --expose-gc.
 */
import { VirtualClock } from "../src/engine/clock.js";
import { createSimulator } from "../src/server/simulator.js";
import { BASE, benchConfig, TOKEN_PATH } from "./fixtures.js";

const count = Number(process.argv[2] ?? 100_000);
const day = 86_400_000;
const config = benchConfig([{ platform: "TMSP", size: count }], {
  TMSP: { asyncTimeline: [{ state: "IN_PROGRESS", duration: day }] },
});
const clock = new VirtualClock(Date.UTC(2026, 10, 1));
const sim = createSimulator(config, { clock });
const send = (path: string, init: RequestInit) => sim.fetch(new Request(`http://bench${path}`, init));
const tokenRes = await send(TOKEN_PATH, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
});
const headers = {
  authorization: `Bearer ${((await tokenRes.json()) as { access_token: string }).access_token}`,
  "content-type": "application/json-patch+json",
};
const body = JSON.stringify([{ op: "replace", path: "/status", value: "SUSPENDED" }]);
const runtime = sim.world.platform("TMSP")!.runtime;
const account = sim.world.accountsOf("eos", "TMSP")[0]!;

// A full GC leaves garbage whose finalizers have not run yet (each fetch Request's AbortSignal waits
// for undici's FinalizationRegistry): collect, let the finalizers run, and collect again.
const heap = async () => {
  for (let round = 0; round < 4; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
};
// Warm up every code path once, so the measurement is state, not compiled code.
const warm = (await runtime.listDevices(account.id, 0, 1))[0]!;
await send(`${BASE}/product/TMSP-${warm.record.nativeId}-simCard`, { method: "PATCH", headers, body });
const before = await heap();
const started = performance.now();
let accepted = 0;
for (let offset = 1; offset < count; offset += 1000) {
  const batch = await runtime.listDevices(account.id, offset, Math.min(1000, count - offset));
  const answers = await Promise.all(
    batch.map((d) =>
      send(`${BASE}/product/TMSP-${d.record.nativeId}-simCard`, { method: "PATCH", headers, body }),
    ),
  );
  accepted += answers.filter((a) => a.status === 202).length;
  await Promise.all(answers.map((a) => a.body?.cancel()));
}
const elapsed = performance.now() - started;
// A minute of simulated time: every monitor is polled a few times (its steady state while the
// platform works), and each round of polls has finished before the heap is weighed.
await clock.advance(60_000);
const after = await heap();
const inFlight = await sim.cmo.monitors.inFlightCount();
process.stdout.write(
  `${JSON.stringify({ accepted, inFlight, bytesPerMonitor: Math.round((after - before) / Math.max(1, inFlight - 1)), heapMB: Math.round(after / 1e6), acceptMs: Math.round(elapsed) })}\n`,
);
process.exit(0);
