import { afterAll, onTestFinished } from "vitest";
import { AdminClient } from "../../src/admin/client.js";
import { calmPlatforms } from "../../src/config/calm.js";
import type { ConfigInput, PlatformProfileInput } from "../../src/config/schema.js";
import { listen, type RunningServer } from "../../src/server/listen.js";
import {
  createSimulator,
  parseConfig,
  type Simulator,
  type SimulatorOptions,
} from "../../src/server/simulator.js";
import { replicaPair } from "./replica-pair.js";

export interface TestServer extends RunningServer {
  sim: Simulator;
  /** fetch relative to the server's URL. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** The admin API over HTTP, typed by its route table. */
  client: AdminClient;
  /** An admin call (`path` below /_sim) as the admin API wants it: JSON on every call that changes something. */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
}

/**
 * A simulator on 127.0.0.1 and a free port, closed after the file's tests (or the test's, when a
 * test starts it). Latency is off unless a
 * test asks for it, so tests run fast while still going over real HTTP.
 */
export async function startServer(
  config: ConfigInput = {},
  options: SimulatorOptions = {},
): Promise<TestServer> {
  const input = { ...config, server: { ...config.server, host: "127.0.0.1", port: 0 } };
  const { sim, running } =
    process.env.CMO_SIM_TEST_REPLICAS === "2"
      ? await replicaPair(parseConfig(input), { applyLatency: false, ...options })
      : await single(createSimulator(input, { applyLatency: false, ...options }));
  // Started inside a test, it ends with that test: a file's afterAll is not registered from there,
  // and a replica pair left running would leave its Redis behind. At the file's top or in a
  // describe, onTestFinished refuses and the file's afterAll ends it. An afterAll made inside a
  // beforeAll is not run either: a caller starting one there closes it in its own afterAll (closing
  // twice is harmless).
  let closing: Promise<void> | undefined;
  const close = (graceMs = 100) => {
    closing ??= running.close(graceMs);
    return closing;
  };
  try {
    onTestFinished(() => close());
  } catch {
    afterAll(() => close());
  }
  const request = (path: string, init?: RequestInit) => fetch(running.url + path, init);
  const client = AdminClient.at(running.url);
  const admin = (method: string, path: string, body?: unknown) =>
    client.request(method, `/_sim${path}`, body);
  return { ...running, close, sim, request, client, admin };
}

async function single(sim: Simulator): Promise<{ sim: Simulator; running: RunningServer }> {
  return { sim, running: await listen(sim, 0, "127.0.0.1") };
}

/** A profile override that removes latency, faults and rate limits, for tests that are about shape. */
export const QUIET: PlatformProfileInput = { latency: 0, rateLimits: [], maxConcurrent: null };

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** Every platform calm: for tests about CMO semantics, not platform behaviour. */
export const quietPlatforms = (): NonNullable<ConfigInput["platforms"]> => calmPlatforms();
