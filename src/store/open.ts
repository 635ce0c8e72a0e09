import { createClient } from "@redis/client";
import { parseStoreUrl, type StoreAddress } from "../config/store-url.js";
import { guardedConnection } from "./guarded-connection.js";
import { RedisStore } from "./redis-store.js";
import { MemoryStore, type StateStore } from "./store.js";

/** A store ready for a simulator, and how to let go of it. */
export interface OpenedStore {
  store: StateStore;
  /** Where the world lives, password masked: for banners, logs and messages. */
  shown: string;
  /** Quits the store's connections (both, for Redis). */
  close(): Promise<void>;
}

/** The store named at start cannot be reached: a one-line reason, no stack trace, for the CLI. */
export class StoreUnreachable extends Error {
  constructor(shown: string, cause: string) {
    super(`cannot reach the store at ${shown}: ${cause}`);
    this.name = "StoreUnreachable";
  }
}

export interface OpenStoreOptions {
  /** Told when a connection to a shared store drops and when it is back (logs). */
  onConnectionChange?: (change: "lost" | "restored", detail: string) => void;
}

// A store that is not there at start is a mistake to report, not to wait for: a few quick tries
// cover a Redis still starting (compose waits for its health check anyway), then the start fails.
const START_ATTEMPTS = 5;
const START_RETRY_MS = 200;
// Once the world is open, Redis going away is an outage to ride out: retry for ever, at most this
// far apart, so service resumes soon after it is back. Meanwhile commands fail at once
// (disableOfflineQueue) and requests are answered 503 instead of hanging.
const MAX_RETRY_MS = 2_000;
const CONNECT_TIMEOUT_MS = 2_000;
const CLOSE_GRACE_MS = 1_000;

/** Opens the store `url` names, or this process's memory when there is none. */
export async function openStore(
  url: string | undefined,
  options: OpenStoreOptions = {},
): Promise<OpenedStore> {
  if (url === undefined)
    return {
      store: new MemoryStore(),
      shown: "memory (this process only)",
      close: async () => {},
    };
  const address = parseStoreUrl(url);
  // The configuration schema refuses such a URL first; this guards callers that skip it.
  if ("problem" in address) throw new Error(`store.url: ${address.problem}`);
  return openRedis(address, options);
}

/** What this module does with a connection, whichever client type (first or duplicate) it is. */
interface RedisClient {
  on(event: "error" | "ready", listener: (error: Error) => void): unknown;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  readonly isOpen: boolean;
}

/** Reconnection for one connection: a few tries at start, then, once it has been up, for ever. */
function reconnection() {
  let opened = false;
  const strategy = (retries: number, cause: Error): number | Error => {
    if (opened) return Math.min(100 * 2 ** retries, MAX_RETRY_MS);
    if (retries + 1 >= START_ATTEMPTS) return new Error(cause.message);
    return START_RETRY_MS;
  };
  return {
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: strategy },
    opened: () => {
      opened = true;
    },
  };
}

/** Connects `client`, reporting each outage once (lost, then restored) rather than every failed retry. */
async function connect(
  client: RedisClient,
  policy: ReturnType<typeof reconnection>,
  name: string,
  options: OpenStoreOptions,
): Promise<void> {
  let connected = false;
  let lost = false;
  // node-redis emits every failed attempt as an "error" event; without a listener it would crash us.
  client.on("error", (error: Error) => {
    if (!connected || lost) return;
    lost = true;
    options.onConnectionChange?.("lost", `${name}: ${error.message}`);
  });
  client.on("ready", () => {
    if (!lost) return;
    lost = false;
    options.onConnectionChange?.("restored", name);
  });
  try {
    await client.connect();
  } catch (error) {
    throw new StoreUnreachable(name, error instanceof Error ? error.message : String(error));
  }
  connected = true;
  policy.opened();
}

async function quit(client: RedisClient): Promise<void> {
  // close() lets commands in flight finish; a connection stuck reconnecting is cut after a grace.
  const closed = client.close().catch(() => {});
  const grace = new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
  await Promise.race([closed, grace]);
  if (client.isOpen) client.destroy();
}

async function openRedis(address: StoreAddress, options: OpenStoreOptions): Promise<OpenedStore> {
  const commands = reconnection();
  // Commands fail at once while Redis is away, so a request is answered 503 instead of waiting.
  const client = createClient({
    url: address.connectUrl,
    disableOfflineQueue: true,
    socket: commands.socket,
  });
  await connect(client, commands, address.shown, options);
  // Pub/sub holds a connection in subscriber mode: a duplicate of the first, with its own reconnection.
  const events = reconnection();
  const subscriber = client.duplicate({ socket: events.socket });
  try {
    await connect(subscriber, events, `${address.shown} (subscriber)`, options);
  } catch (error) {
    await quit(client);
    throw error;
  }
  return {
    // Failures to reach Redis become StoreUnavailableError, which every face answers with 503.
    store: new RedisStore(guardedConnection(client), address.prefix, subscriber),
    shown: address.shown,
    close: async () => {
      await Promise.all([quit(subscriber), quit(client)]);
    },
  };
}
