/**
 * `npm run bench:fairness`: how long other clients wait while one client sends a heavy request.
 * `/health` is asked every 20 ms while (1) a batch PATCH of 100 products with 100 custom-property
 * operations each runs, and (2) a filtered device list scans an account of 1,000,000 SIMs. Prints
 * the heavy request's wall time and the slowest `/health` answer meanwhile, beside the same probe on
 * an idle simulator as the baseline. A stalled event loop
 * shows up as seconds; a fair one as tens of milliseconds. Measured here, never asserted in tests.
 */
import { TOKEN_PATH } from "../src/cmo/auth.js";
import { calmPlatforms } from "../src/config/calm.js";
import { DEFAULT_CLIENTS } from "../src/config/defaults.js";
import type { ConfigInput } from "../src/config/schema.js";
import { listen } from "../src/server/listen.js";
import { createSimulator, type Simulator } from "../src/server/simulator.js";

const BASE = "/api-gw/connection-management-orchestrator/v5/eos";

async function measure(config: ConfigInput, heavy: (url: string, sim: Simulator) => Promise<Response>) {
  const sim = createSimulator({ ...config, server: { host: "127.0.0.1", port: 0 } });
  const running = await listen(sim, 0, "127.0.0.1");
  let done = false;
  let slowest = 0;
  let answered = 0;
  const probe = (async () => {
    while (!done) {
      const started = performance.now();
      await fetch(`${running.url}/health`);
      slowest = Math.max(slowest, performance.now() - started);
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const res = await heavy(running.url, sim);
  const heavyMs = performance.now() - started;
  await res.arrayBuffer();
  done = true;
  await probe;
  await running.close(100);
  return { status: res.status, heavyMs: Math.round(heavyMs), slowestHealthMs: Math.round(slowest), answered };
}

// Baseline: the same probe while nothing else runs.
const idle = await measure({ platforms: calmPlatforms() }, async (url) => {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return fetch(`${url}/health`);
});
process.stdout.write(
  `idle (baseline), 2 s: slowest /health ${idle.slowestHealthMs} ms (${idle.answered} answered)\n`,
);

const batch = await measure({ platforms: calmPlatforms() }, async (url, sim) => {
  const client = DEFAULT_CLIENTS[0] as { clientId: string; clientSecret: string };
  const tokenAnswer = await fetch(url + TOKEN_PATH, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  const token = ((await tokenAnswer.json()) as { access_token: string }).access_token;
  const account = sim.world.accountsOf("eos", "1NCE")[0]?.id as string;
  const ids = (await sim.world.platform("1NCE")?.runtime.listDevices(account, 0, 100))?.map(
    (d) => `1NCE-${d.record.nativeId}-simCard`,
  );
  const ops = Array.from({ length: 100 }, (_, i) => ({
    op: "add",
    path: "/customProperty/-",
    value: { name: `p${i}`, value: "v" },
  }));
  return fetch(`${url}${BASE}/product`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      productIdList: ids,
      request: {
        method: "PATCH",
        body: ops,
        headers: [{ name: "Content-Type", value: "application/json-patch+json" }],
      },
    }),
  });
});
process.stdout.write(
  `batch of 100 products × 100 custom-property ops: ${batch.status} in ${batch.heavyMs} ms; slowest /health meanwhile ${batch.slowestHealthMs} ms (${batch.answered} answered)\n`,
);

const scan = await measure(
  {
    tenants: [{ id: "eos", accounts: [{ platform: "TMSP", id: "900001", name: "BIG", size: 1_000_000 }] }],
    platforms: calmPlatforms(),
  },
  (url) => fetch(`${url}/_sim/platforms/TMSP/devices?account=900001&status=NO_SUCH_STATUS&limit=5`),
);
process.stdout.write(
  `filtered scan of 1,000,000 SIMs: ${scan.status} in ${scan.heavyMs} ms; slowest /health meanwhile ${scan.slowestHealthMs} ms (${scan.answered} answered)\n`,
);
if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify({ idle, batch, scan })}\n`);
