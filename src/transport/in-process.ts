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

/**
 * Calls a platform's Hono app directly with a web `Request`: no socket, but the same routing,
 * middleware and serialisation as over HTTP.
 */
export class InProcessTransport implements Transport {
  readonly kind = "in-process";

  constructor(
    private readonly handler: FetchHandler,
    private readonly origin = "http://cmo-sim.internal",
  ) {}

  async send(request: NativeRequest): Promise<NativeExchange> {
    const response = await this.handler(
      new Request(this.origin + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      }),
      IN_PROCESS_ENV,
    );
    if (response.headers.has(RESET_MARKER)) throw new NetworkError("connection reset by peer", "ECONNRESET");
    return {
      status: response.status,
      headers: exchangeHeaders(response.headers),
      body: await response.text(),
    };
  }
}
