/**
 * Reads a V8 CPU profile (`--cpu-prof`) and splits its busy time into the parts of a request, so a
 * row of `npm run bench` can say where its time goes. A frame of the engine or of Node's C++ side
 * (no script URL) counts toward the nearest JavaScript caller: a `JSON.stringify` inside Hono's
 * `c.json` is the cost of answering, not of V8.
 */
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** First match wins: a part is named by where its code lives. */
const PARTS: ReadonlyArray<{ part: string; matches: (url: string, fn: string) => boolean }> = [
  {
    part: "JSON.stringify of answers (Hono's c.json)",
    matches: (u, f) => f === "json" && u.includes("hono/dist/context"),
  },
  { part: "JSON.parse of native answers", matches: (_u, f) => f === "parseBody" },
  {
    part: "HTTP: socket writes, the parser, @hono/node-server",
    matches: (u) =>
      /node:(_http|net|internal\/stream|internal\/streams|stream|buffer)|@hono\/node-server/.test(u),
  },
  { part: "Hono: routing, context, middleware chain", matches: (u) => u.includes("node_modules/hono/") },
  {
    part: "native hop: transport, native client, guard, the fake's routes and views",
    matches: (u) =>
      /simulators\/|src\/transport\//.test(u) && !/device-book|runtime\.ts|operation-book/.test(u),
  },
  {
    part: "device state: device and operation books, generated records, random streams",
    matches: (u) =>
      /device-book|operation-book|runtime\.ts|src\/inventory\/|src\/engine\/random|seedrandom|faker/.test(u),
  },
  {
    part: "CMO front: auth, service, rendering, directory, monitors",
    matches: (u) => u.includes("src/cmo/"),
  },
  {
    part: "observability: journal, metrics, logs",
    matches: (u) => /src\/observability\/|prom-client/.test(u),
  },
  { part: "store and clock", matches: (u) => /src\/store\/|src\/engine\//.test(u) },
];

const GC = "(garbage collector)";
const IDLE = new Set(["(idle)", "(program)"]);

export interface PartShare {
  part: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  parts: PartShare[];
  /** The costliest functions by self time, engine frames folded into their caller. */
  hottest: PartShare[];
}

export async function summariseProfile(file: string, hottest = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));

  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const own = byId.get(id) as ProfileNode;
    if (IDLE.has(own.callFrame.functionName)) continue;
    let frame = own;
    if (own.callFrame.functionName !== GC)
      for (let at = id; frame.callFrame.url === "" && parent.has(at); ) {
        at = parent.get(at) as number;
        frame = byId.get(at) as ProfileNode;
      }
    const { url, functionName } = frame.callFrame;
    // Module loading and the TypeScript loader are start-up, not requests.
    if (/node:internal\/modules|\/tsx\//.test(url)) continue;
    busy += us;
    const part =
      own.callFrame.functionName === GC
        ? "garbage collection"
        : (PARTS.find((p) => p.matches(url, functionName))?.part ??
          "other: promises, timers, Headers, crypto");
    parts.set(part, (parts.get(part) ?? 0) + us);
    const name = `${functionName || "(anonymous)"} ${url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*?\/(src|simulators|bench)\//, "$1/")}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const shares = (m: Map<string, number>) =>
    [...m].sort((x, y) => y[1] - x[1]).map(([part, us]) => ({ part, ms: us / 1000, share: us / busy }));
  return { busyMs: busy / 1000, parts: shares(parts), hottest: shares(functions).slice(0, hottest) };
}
