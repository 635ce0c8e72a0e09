import type { Clock } from "../engine/clock.js";
import {
  exchangeHeaders,
  type NativeExchange,
  type NativeRequest,
  NetworkError,
  type Transport,
} from "./types.js";

/** Reaches a platform over real HTTP: another cmo-sim process or a carrier's sandbox. */
export class HttpTransport implements Transport {
  readonly kind = "http";
  readonly #base: string;

  constructor(
    baseUrl: string,
    /** The exchange is tracked on this clock: a virtual clock waits for it before moving on. */
    private readonly clock?: Clock,
    private readonly timeoutMs = 60_000,
  ) {
    this.#base = baseUrl.replace(/\/+$/, "");
  }

  send(request: NativeRequest): Promise<NativeExchange> {
    const exchange = this.#exchange(request);
    return this.clock ? this.clock.track(exchange) : exchange;
  }

  async #exchange(request: NativeRequest): Promise<NativeExchange> {
    try {
      const response = await fetch(this.#base + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return {
        status: response.status,
        headers: exchangeHeaders(response.headers),
        body: await response.text(),
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { name?: string }).name;
      if (cause === "ECONNREFUSED") throw new NetworkError(`cannot connect to ${this.#base}`, "ECONNREFUSED");
      if (cause === "TimeoutError")
        throw new NetworkError(`no answer from ${this.#base} within ${this.timeoutMs} ms`, "ETIMEDOUT");
      if (cause === "ECONNRESET" || cause === "UND_ERR_SOCKET")
        throw new NetworkError(`connection to ${this.#base} reset`, "ECONNRESET");
      throw new NetworkError(`request to ${this.#base} failed: ${(error as Error).message}`, "EOTHER");
    }
  }
}
