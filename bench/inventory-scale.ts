/**
 * (g) Inventory generation for N SIMs: the time to build a simulator whose account holds N SIMs,
 * then to generate every one of them once (a full pass, as an export would), and the RSS after.
 * Prints one JSON line.
 */
import { createSimulator } from "../src/server/simulator.js";
import { benchConfig } from "./fixtures.js";

const count = Number(process.argv[2] ?? 1_000_000);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const sim = createSimulator({ ...benchConfig([{ platform: "TMSP", size: count }]), clock: "manual" });
const built = performance.now() - t0;
const runtime = sim.world.platform("TMSP")!.runtime;
const account = sim.world.accountsOf("eos", "TMSP")[0]!;
const t1 = performance.now();
let checksum = 0;
for (let offset = 0; offset < count; offset += 10_000) {
  for (const d of await runtime.listDevices(account.id, offset, 10_000)) checksum += d.record.nativeId.length;
}
const generated = performance.now() - t1;
const rss = process.memoryUsage().rss;
process.stdout.write(
  `${JSON.stringify({ count, buildMs: Math.round(built), fullPassMs: Math.round(generated), rssMB: Math.round(rss / 1e6), rssGrowthMB: Math.round((rss - rssBefore) / 1e6), checksum })}\n`,
);
process.exit(0);
