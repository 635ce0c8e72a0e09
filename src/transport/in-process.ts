import { ReadOnlyHeaders } from "./read-only-headers.js";
import {
  exchangeHeaders,
  type NativeExchange,
  type NativeRequest,
  NetworkError,
  RESET_MARKER,
  type Transport,
} from "./types.js";

type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>;

/** Environment seen by a platform app when called in-process: lets its journal name the caller. */
export const IN_PROCESS_ENV = Object.freeze({ caller: "cmo-adapter" as const });

export interface InProcessEnv {
  caller: "cmo-adapter";
  /** ms the call waited in the CMO's pacing queue (absent when it did not wait). */
  pacedMs?: number;
}

/**
 * The parts of a web Request that Hono reads (url, method, headers, body readers), without the
 * stream and AbortSignal a full Request builds: an in-process call should cost what routing and the
 * handler cost, not what a socket would.
 */
class InProcessRequest {
  readonly headers: Headers;

  constructor(
    readonly url: string,
    readonly method: string,
    headers: Record<string, string>,
    private readonly payload: string | undefined,
  ) {
    this.headers = new ReadOnlyHeaders(headers) as unknown as Headers;
  }

  async text(): Promise<string> {
    return this.payload ?? "";
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.payload ?? "");
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = new TextEncoder().encode(this.payload ?? "");
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
}

/**
 * @hono/node-server replaces the global Response with a lightweight one that keeps its body as
 * given; reading that body back directly skips building a stream just to drain it. Any other
 * Response (no server started in this process) is read the standard way.
 */
let bodyCache: symbol | null | undefined;
function cachedBody(response: Response): string | undefined {
  if (bodyCache === undefined)
    bodyCache = Object.getOwnPropertySymbols(new Response("")).find((s) => s.description === "cache") ?? null;
  if (bodyCache === null) return undefined;
  const cache = (response as unknown as Record<symbol, unknown[] | undefined>)[bodyCache];
  const body = cache?.[1];
  return typeof body === "string" ? body : body === null ? "" : undefined;
}

/**
 * Calls a platform's Hono app directly: no socket, but the same routing, middleware and
 * serialisation as over HTTP.
 */
export class InProcessTransport implements Transport {
  readonly kind = "in-process";

  constructor(
    private readonly handler: FetchHandler,
    private readonly origin = "http://cmo-sim.internal",
  ) {}

  async send(request: NativeRequest): Promise<NativeExchange> {
    const response = await this.handler(
      new InProcessRequest(
        this.origin + request.path,
        request.method,
        request.headers,
        request.body,
      ) as unknown as Request,
      request.pacedMs
        ? ({ caller: "cmo-adapter", pacedMs: request.pacedMs } satisfies InProcessEnv)
        : IN_PROCESS_ENV,
    );
    if (response.headers.has(RESET_MARKER)) throw new NetworkError("connection reset by peer", "ECONNRESET");
    return {
      status: response.status,
      headers: exchangeHeaders(response.headers),
      body: cachedBody(response) ?? (await response.text()),
    };
  }
}
