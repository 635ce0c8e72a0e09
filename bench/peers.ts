/**
 * The tools users would pick instead of cmo-sim (issue 18), each serving one fixed body on every
 * product path: Prism from an OpenAPI example, Mockoon CLI from a static route. Both run from their
 * packages in node_modules, in their own process on 127.0.0.1, and count as ready only once they
 * answer a product GET with 200 and a body as long as the one they were given.
 */

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Target } from "./processes.js";

export const PEERS = { prism: "Prism", mockoon: "Mockoon CLI" } as const;
export type PeerKind = keyof typeof PEERS;

export interface PeerConfig {
  /** Folder written by `writePeerFiles`. */
  folder: string;
  /** A product path to probe with `headers`, and the body length it must answer with. */
  path: string;
  headers: Record<string, string>;
  bytes: number;
}

export const isPeer = (kind: string): kind is PeerKind => kind in PEERS;

/** Writes Prism's OpenAPI document and Mockoon's environment, both answering `body` on `${base}/product/*`. */
export async function writePeerFiles(base: string, body: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "cmo-sim-peers-"));
  const openapi = {
    openapi: "3.0.3",
    info: { title: "cmo-sim bench peer", version: "1" },
    paths: {
      [`${base}/product/{productId}`]: {
        get: {
          parameters: [{ name: "productId", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": {
              description: "a composite product",
              content: { "application/json": { example: JSON.parse(body) } },
            },
          },
        },
      },
    },
  };
  const route = randomUUID();
  const environment = {
    uuid: randomUUID(),
    // The migration level of the pinned @mockoon/cli: the file is taken as it is, never migrated.
    lastMigration: 33,
    name: "cmo-sim bench peer",
    port: 3000,
    routes: [
      {
        uuid: route,
        type: "http",
        method: "get",
        endpoint: `${base.slice(1)}/product/:productId`,
        responses: [
          {
            uuid: randomUUID(),
            body,
            statusCode: 200,
            headers: [{ key: "Content-Type", value: "application/json" }],
            // A static route: the body is sent as it is, not rendered as a template.
            disableTemplating: true,
            default: true,
          },
        ],
      },
    ],
    rootChildren: [{ type: "route", uuid: route }],
  };
  await writeFile(join(folder, "openapi.json"), JSON.stringify(openapi));
  await writeFile(join(folder, "mockoon.json"), JSON.stringify(environment));
  return folder;
}

const require = createRequire(import.meta.url);

function binOf(pkg: string, name: string): string {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { bin } = require(manifest) as { bin: Record<string, string> };
  return join(dirname(manifest), bin[name] as string);
}

/** Each CLI's arguments: loopback only, quiet, and nothing that reaches out or waits for input. */
const ARGS: Record<PeerKind, (folder: string, port: string) => string[]> = {
  prism: (folder, port) => [
    binOf("@stoplight/prism-cli", "prism"),
    "mock",
    join(folder, "openapi.json"),
    "-h",
    "127.0.0.1",
    "-p",
    port,
    // Static mode is Prism's default, so it answers the example; its per-request logs are muted.
    "-v",
    "error",
  ],
  mockoon: (folder, port) => [
    binOf("@mockoon/cli", "mockoon-cli"),
    "start",
    "--data",
    join(folder, "mockoon.json"),
    "--hostname",
    "127.0.0.1",
    "--port",
    port,
    "--disable-log-to-file",
    "--disable-admin-api",
    // Never ask on the terminal whether to repair the file.
    "--repair",
  ],
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a peer CLI and resolves once it answers the probe path as expected. */
export async function startPeer(kind: PeerKind, config: PeerConfig): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ARGS[kind](config.folder, String(port)), {
    cwd: config.folder,
    // Their per-request output is not read; a pipe nobody drains would stall them.
    stdio: ["ignore", "ignore", "inherit"],
  });
  let exited: number | null | undefined;
  const gone = new Promise<void>((done) =>
    child.once("exit", (code) => {
      exited = code;
      done();
    }),
  );
  const stop = async () => {
    if (exited === undefined) child.kill("SIGKILL");
    await gone;
  };
  const deadline = Date.now() + 60_000;
  while (exited === undefined) {
    const res = await fetch(url + config.path, { headers: config.headers }).catch(() => undefined);
    if (res) {
      const bytes = Buffer.byteLength(await res.text());
      if (res.status === 200 && bytes === config.bytes) return { url, child, stop };
      await stop();
      throw new Error(
        `${PEERS[kind]} answered ${res.status} with ${bytes} bytes, not 200 with ${config.bytes}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${PEERS[kind]} did not answer within 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${PEERS[kind]} exited with ${exited} before it answered`);
}
