/**
 * Runs one benchmark target in its own process, so the load generator and the server do not share
 * an event loop: `node --import tsx bench/serve-target.ts <node-http|hono|hono-json|sim> [config JSON]`.
 * Prints `READY <url>` once listening.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { listen } from "../src/server/listen.js";
import { createSimulator } from "../src/server/simulator.js";

const [kind, configJson] = process.argv.slice(2);
// Exit cleanly on SIGINT, so a --cpu-prof run writes its profile.
process.on("SIGINT", () => process.exit(0));
const ready = (port: number) => process.stdout.write(`READY http://127.0.0.1:${port}\n`);
const HELLO = JSON.stringify({ hello: "world" });

if (kind === "node-http") {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(HELLO);
  });
  server.listen(0, "127.0.0.1", () => ready((server.address() as AddressInfo).port));
} else if (kind === "hono") {
  const app = new Hono();
  app.get("/", (c) => c.json({ hello: "world" }));
  serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => ready(info.port));
} else if (kind === "hono-json") {
  // The answer is stringified per request, as any handler building its answer pays.
  const value = JSON.parse(configJson ?? "null");
  const app = new Hono();
  app.get("*", (c) => c.json(value));
  serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => ready(info.port));
} else if (kind === "sim") {
  const sim = createSimulator(JSON.parse(configJson ?? "{}"));
  const running = await listen(sim, 0, "127.0.0.1");
  ready(running.port);
} else {
  process.stderr.write(`unknown target ${kind}\n`);
  process.exit(2);
}
