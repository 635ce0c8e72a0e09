import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Config } from "../config/schema.js";
import { RESET_MARKER } from "../transport/types.js";

/** What a socket serves: an app's fetch, and the server limits it keeps (a simulator is one). */
export interface Servable {
  fetch(request: Request, env: unknown): Response | Promise<Response>;
  readonly config: Pick<Config, "server">;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the rest. */
  close(graceMs?: number): Promise<void>;
  /** Requests being answered right now. */
  inFlight(): number;
}

interface NodeEnv {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/** Serves a simulator on a real socket, with its limits and the "connection reset" fault. */
export function listen(
  sim: Servable,
  port = sim.config.server.port,
  host = sim.config.server.host,
): Promise<RunningServer> {
  const { server: limits } = sim.config;
  let inFlight = 0;
  const fetch = async (request: Request, env: NodeEnv): Promise<Response> => {
    inFlight++;
    try {
      const response = await sim.fetch(request, env);
      if (response.headers.has(RESET_MARKER)) {
        env.incoming.socket.destroy();
        return new Response(null, { status: 204 });
      }
      return response;
    } finally {
      inFlight--;
    }
  };
  const server = createAdaptorServer({
    fetch: fetch as (request: Request, env: unknown) => Promise<Response>,
    hostname: host,
    serverOptions: {
      maxHeaderSize: 16 * 1024,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 10_000),
      keepAliveTimeout: 5_000,
      // How often Node looks for requests past their deadlines (slow-loris clients): often enough to matter.
      connectionsCheckingInterval: Math.min(1_000, limits.requestTimeoutMs),
    },
  }) as Server;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // A deep accept queue: bursts of thousands of new connections are what load tests send.
    server.listen({ port, host, backlog: 4096 }, () => {
      const { port: bound } = server.address() as AddressInfo;
      const shownHost =
        host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${bound}`,
        port: bound,
        server,
        inFlight: () => inFlight,
        close: (graceMs = limits.shutdownGraceMs) => closeGracefully(server, () => inFlight, graceMs),
      });
    });
  });
}

async function closeGracefully(server: Server, inFlight: () => number, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = Date.now() + graceMs;
  while (inFlight() > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    server.closeIdleConnections();
  }
  server.closeAllConnections();
  await closed;
}
