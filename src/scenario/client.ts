import { TOKEN_PATH } from "../cmo/auth.js";
import type { CmoExchange, ExchangeChecker, Finding } from "../contracts/exchange.js";
import type { Clock } from "../engine/clock.js";
import type { RandomStream } from "../engine/random.js";
import { type Answer, detailOf, type Endpoint, readAnswer } from "./endpoint.js";
import type { MonitorRecordView, RequestRecord } from "./record.js";

export interface RetryPolicy {
  on: number[];
  attempts: number;
  backoff: number;
  maxBackoff: number;
  honourRetryAfter: boolean;
  jitter: number;
  reconcile: boolean;
}

export interface PollPolicy {
  first: number;
  max: number;
  timeout: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  on: [429, 502, 503, 504],
  attempts: 5,
  backoff: 1_000,
  maxBackoff: 60_000,
  honourRetryAfter: true,
  jitter: 0.5,
  reconcile: true,
};
export const DEFAULT_POLL: PollPolicy = { first: 1_000, max: 60_000, timeout: 2 * 3_600_000 };

export interface ClientSettings {
  clientId: string;
  clientSecret: string;
  tenant: string;
  /** `/api-gw/…/v5/{tenant}` */
  basePath: string;
  /** Absolute token URL; defaults to the endpoint's Keycloak-shaped path. */
  tokenUrl?: string;
  renewBeforeExpiry: boolean;
}

export interface CmoRequest {
  method: string;
  /** Below the tenant base, or an absolute path (monitor Location). */
  path: string;
  body?: unknown;
  contentType?: string;
}

/** The run ended while the client was waiting. */
export class RunEnded extends Error {
  constructor() {
    super("the run ended first");
  }
}

/** Renewal happens this long before the token's stated expiry, as careful clients do. */
const RENEW_MARGIN_MS = 10_000;

/**
 * The simulated CMO client: signs in, renews its token before it expires (or after a 401, once
 * per request, like a real client), retries what its policy says with jittered exponential backoff
 * that never undercuts Retry-After, and follows monitors until they finish. Every wait is on the run's
 * clock, so on a virtual clock a day of traffic takes seconds and replays identically.
 */
export class CmoClient {
  #token: { value: string; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;
  readonly tokenRequests: RequestRecord[] = [];
  readonly findings: Finding[] = [];
  readonly #origin: number;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly settings: ClientSettings,
    private readonly clock: Clock,
    private readonly checkers: readonly ExchangeChecker[],
    private readonly signal: AbortSignal,
  ) {
    this.#origin = clock.now();
  }

  get tenantBase(): string {
    return this.settings.basePath.replace("{tenant}", this.settings.tenant);
  }

  /** ms since the run started. */
  elapsed(): number {
    return this.clock.now() - this.#origin;
  }

  async #signIn(): Promise<string> {
    const at = this.elapsed();
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
    }).toString();
    const url = this.settings.tokenUrl ?? `${this.endpoint.base}${TOKEN_PATH}`;
    const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    const answer = await this.#exchange(new Request(url, { method: "POST", headers, body }), body);
    this.tokenRequests.push({
      at,
      ms: this.elapsed() - at,
      status: answer.status,
      kind: "token",
      retryAfter: answer.headers.has("retry-after"),
    });
    const token = (answer.body as { access_token?: unknown; expires_in?: unknown } | undefined) ?? {};
    if (answer.status !== 200 || typeof token.access_token !== "string")
      throw new TokenRefused(answer.status, detailOf(answer.body) ?? "no access_token in the answer");
    const lifetimeMs = typeof token.expires_in === "number" ? token.expires_in * 1000 : 300_000;
    this.#token = { value: token.access_token, expiresAt: this.clock.now() + lifetimeMs };
    return token.access_token;
  }

  /** The current token, signing in once for every caller waiting at the same time. */
  token(): Promise<string> {
    const held = this.#token;
    const fresh =
      held && (!this.settings.renewBeforeExpiry || this.clock.now() < held.expiresAt - RENEW_MARGIN_MS);
    if (fresh) return Promise.resolve(held.value);
    this.#pending ??= this.#signIn().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  #forget(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  /**
   * Sends one request with retries, recording every attempt in `requests`; a 401 earns one fresh
   * token and a resend that costs no attempt.
   */
  async call(
    request: CmoRequest,
    policy: RetryPolicy,
    requests: RequestRecord[],
    jitter: RandomStream,
    kind: "call" | "poll" = "call",
  ): Promise<Answer> {
    let renewed = false;
    let backoff = policy.backoff;
    for (let attempt = 1; ; ) {
      let token: string;
      try {
        token = await this.#untilEnd(this.token());
      } catch (error) {
        if (error instanceof TokenRefused)
          return { status: error.status, headers: new Headers(), body: { detail: error.message } };
        throw error;
      }
      const at = this.elapsed();
      const answer = await this.#untilEnd(this.#send(request, token));
      const retryAfter = answer.headers.get("retry-after");
      requests.push({
        at,
        ms: this.elapsed() - at,
        status: answer.status,
        kind,
        retryAfter: retryAfter !== null,
      });
      if (answer.status === 401 && !renewed) {
        renewed = true;
        this.#forget(token);
        continue;
      }
      if (!policy.on.includes(answer.status) || attempt >= policy.attempts) return answer;
      const askedMs = policy.honourRetryAfter ? retryAfterMs(retryAfter) : 0;
      await this.#sleep(Math.max(askedMs, backoff) * (1 + policy.jitter * jitter.next()));
      backoff = Math.min(backoff * 2, policy.maxBackoff);
      attempt++;
    }
  }

  /** Reads a monitor until it is DONE or FAILED, the poll policy gives up, or the run ends. */
  async follow(
    location: string,
    poll: PollPolicy,
    retry: RetryPolicy,
    requests: RequestRecord[],
    jitter: RandomStream,
  ): Promise<MonitorRecordView> {
    const acceptedAt = this.elapsed();
    const id = location.split("/").pop() ?? location;
    const path = new URL(location, this.endpoint.base).pathname;
    const lost = (reason: string): MonitorRecordView => ({
      id,
      acceptedAt,
      state: "LOST",
      entries: [],
      reason,
    });
    let delay = poll.first;
    try {
      for (;;) {
        const left = acceptedAt + poll.timeout - this.elapsed();
        if (left <= 0) return lost(`still IN_PROGRESS after ${poll.timeout} ms`);
        await this.#sleep(Math.min(delay, left));
        delay = Math.min(delay * 2, poll.max);
        const answer = await this.call({ method: "GET", path }, retry, requests, jitter, "poll");
        if (answer.status === 404) return lost("the monitor is gone (404)");
        const body = answer.body as { state?: string; response?: Array<{ platform: string; state: string }> };
        if (answer.status !== 200 || (body.state !== "DONE" && body.state !== "FAILED")) continue;
        return {
          id,
          acceptedAt,
          state: body.state,
          finishedAt: this.elapsed(),
          entries: (body.response ?? []).map((e) => ({ platform: e.platform, state: e.state })),
        };
      }
    } catch (error) {
      if (error instanceof RunEnded) return lost("the run ended first");
      throw error;
    }
  }

  async #send(request: CmoRequest, token: string): Promise<Answer> {
    const path = request.path.startsWith(this.settings.basePath.split("{tenant}")[0] as string)
      ? request.path
      : `${this.tenantBase}${request.path}`;
    const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${token}` };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers["content-type"] = request.contentType ?? "application/json";
      body = typeof request.body === "string" ? request.body : JSON.stringify(request.body);
    }
    const init: RequestInit = { method: request.method, headers, body };
    return this.#exchange(new Request(`${this.endpoint.base}${path}`, init), request.body);
  }

  /** One request and its answer; the checkers see both. A failed connection reads as status 0. */
  async #exchange(request: Request, requestBody: unknown): Promise<Answer> {
    const requestHeaders = this.checkers.length > 0 ? lowerCaseHeaders(request.headers) : {};
    let answer: Answer;
    try {
      answer = await readAnswer(await this.endpoint.fetch(request));
    } catch (error) {
      return { status: 0, headers: new Headers(), body: { detail: (error as Error).message } };
    }
    if (this.checkers.length > 0) {
      const url = new URL(request.url);
      const exchange: CmoExchange = {
        method: request.method,
        path: url.pathname + url.search,
        requestHeaders,
        requestBody,
        status: answer.status,
        responseHeaders: lowerCaseHeaders(answer.headers),
        responseBody: answer.body,
      };
      for (const check of this.checkers) this.findings.push(...check(exchange));
    }
    return answer;
  }

  #sleep(ms: number): Promise<void> {
    return this.clock.sleep(ms, this.signal).catch(() => {
      throw new RunEnded();
    });
  }

  /** Stops waiting when the run ends: an in-process answer cannot be cancelled, only abandoned. */
  #untilEnd<T>(work: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(new RunEnded());
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new RunEnded());
      this.signal.addEventListener("abort", onAbort, { once: true });
      work.then(
        (value) => {
          this.signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error) => {
          this.signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }
}

class TokenRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`sign-in refused: ${message}`);
  }
}

function lowerCaseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** Retry-After in seconds (what the CMO sends), in ms; 0 when absent or not a number of seconds. */
function retryAfterMs(value: string | null): number {
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : 0;
}
