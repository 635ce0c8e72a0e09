/**
 * `npm run bench:profile -- <row> [seconds]`: where one throughput row of `npm run bench` spends its
 * CPU. Starts the simulator as the bench does, but under `--cpu-prof`, loads it with the row's own
 * requests (a warm-up, then `seconds` measured), and prints the busy time split by part of the
 * request and the hottest functions. The profile file it names opens as a flame graph in Chrome
 * DevTools (Performance → Load profile) or speedscope.
 */
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Request } from "autocannon";
import {
  changeAndPoll,
  patchHeaders,
  productReads,
  readHeaders,
  rowConfig,
  rowProductIds,
  statusFlips,
} from "./fixtures.js";
import { load } from "./load.js";
import { startTarget } from "./processes.js";
import { summariseProfile } from "./profile-parts.js";

type Row = {
  what: string;
  platform: "JASPER" | "TMSP";
  headers: (url: string) => Promise<Record<string, string>>;
  requests: (ids: string[]) => Request[];
};

const ROWS: Record<string, Row> = {
  "a-tmsp": {
    what: "(a) composite GET, TMSP",
    platform: "TMSP",
    headers: readHeaders,
    requests: (ids) => [productReads(ids)],
  },
  "a-jasper": {
    what: "(a) composite GET, JASPER",
    platform: "JASPER",
    headers: readHeaders,
    requests: (ids) => [productReads(ids)],
  },
  b: {
    what: "(b) sync PATCH, JASPER",
    platform: "JASPER",
    headers: patchHeaders,
    requests: (ids) => [statusFlips(ids)],
  },
  c: {
    what: "(c) async PATCH + monitor GET, TMSP",
    platform: "TMSP",
    headers: patchHeaders,
    requests: (ids) => changeAndPoll(ids),
  },
};

const [name = "", secondsArg = "8"] = process.argv.slice(2);
const row = ROWS[name];
const seconds = Number(secondsArg);
if (!row || !(seconds > 0)) {
  process.stderr.write(`usage: npm run bench:profile -- <${Object.keys(ROWS).join("|")}> [seconds]\n`);
  process.exit(2);
}

const ids = await rowProductIds(row.platform);
const folder = await mkdtemp(join(tmpdir(), "cmo-sim-profile-"));
const target = await startTarget("sim", rowConfig(), ["--cpu-prof", `--cpu-prof-dir=${folder}`]);
const headers = await row.headers(target.url);
const requests = row.requests(ids);
await load({ url: target.url, duration: 2, headers, requests });
const measured = await load({ url: target.url, duration: seconds, headers, requests });
// SIGINT lets the target exit by itself, which is when Node writes the profile.
await new Promise((exited) => {
  target.child.once("exit", exited);
  target.child.kill("SIGINT");
});
const file = join(folder, (await readdir(folder)).find((f) => f.endsWith(".cpuprofile")) as string);
const summary = await summariseProfile(file);

const pct = (share: number) => `${(100 * share).toFixed(1).padStart(5)} %`;
const lines = [
  `${row.what}: ${Math.round(measured.rps).toLocaleString("en-US")} req/s over ${seconds} s, non-2xx ${measured.non2xx}`,
  `busy ${Math.round(summary.busyMs).toLocaleString("en-US")} ms of CPU in the simulator (warm-up included), by part of the request:`,
  ...summary.parts.map((p) => `${pct(p.share)}  ${p.part}`),
  "hottest functions, by self time:",
  ...summary.hottest.map((p) => `${pct(p.share)}  ${p.part}`),
  `profile: ${file}`,
];
process.stdout.write(`${lines.join("\n")}\n`);
process.exit(0);
