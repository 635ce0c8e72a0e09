/**
 * A small CMO API client, written against the public CMO docs only: it signs in with client
 * credentials (renewing the 5-minute token), changes SIM status and follows the answer the way the
 * docs describe it — a synchronous platform answers 200 with the product, an asynchronous one 202
 * with a monitor to poll, and a batch is always a monitor. Point it at cmo-sim or at the real
 * service by changing `baseUrl`, `tokenUrl` and the credentials.
 */

export interface CmoClientOptions {
  /** `https://host/api-gw/connection-management-orchestrator/v5/{tenant}` */
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Polling of monitors: first wait, growth factor, longest wait and give-up time, in ms. */
  polling?: { firstMs?: number; factor?: number; maxMs?: number; timeoutMs?: number };
  fetch?: typeof fetch;
}

export interface Problem {
  status: number;
  title: string;
  detail: string;
  externalErrors: unknown[];
}

export class CmoError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }
}

export interface Monitor {
  id: string;
  href: string;
  state: "IN_PROGRESS" | "DONE" | "FAILED";
  response: Array<{ platform: string; state: string; statusCode: number; body: unknown }>;
  errors: Problem[];
}

export type StatusChange =
  | { kind: "applied"; product: Record<string, unknown> }
  | { kind: "accepted"; monitor: Monitor };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CmoClient {
  #token: { value: string; expiresAt: number } | undefined;
  readonly #fetch: typeof fetch;

  constructor(private readonly options: CmoClientOptions) {
    this.#fetch = options.fetch ?? fetch;
  }

  async #accessToken(): Promise<string> {
    if (this.#token && this.#token.expiresAt > Date.now()) return this.#token.value;
    const res = await this.#fetch(this.options.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
      }),
    });
    if (!res.ok) throw new Error(`token request failed with ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    // Renew a little before the token runs out rather than after a 401.
    this.#token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in - 10) * 1000 };
    return body.access_token;
  }

  async #call<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<{ status: number; body: T }> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.#fetch(this.options.baseUrl + path, {
        method,
        headers: {
          accept: "application/json",
          authorization: `Bearer ${await this.#accessToken()}`,
          ...(body === undefined ? {} : { "content-type": contentType }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status === 401 && attempt === 0) {
        this.#token = undefined;
        continue;
      }
      if (res.status === 429 && attempt < 5) {
        await sleep(Number(res.headers.get("retry-after") ?? "1") * 1000);
        continue;
      }
      const parsed = (await res.json()) as T;
      if (res.status >= 400) throw new CmoError(parsed as unknown as Problem);
      return { status: res.status, body: parsed };
    }
  }

  product(id: string): Promise<Record<string, unknown>> {
    return this.#call<Record<string, unknown>>("GET", `/product/${id}`).then((r) => r.body);
  }

  /** Changes a SIM's (or terminal's) status: 200 means done, 202 means follow the monitor. */
  async setStatus(subProductId: string, status: string): Promise<StatusChange> {
    const res = await this.#call<Record<string, unknown>>(
      "PATCH",
      `/product/${subProductId}`,
      [{ op: "replace", path: "/status", value: status }],
      "application/json-patch+json",
    );
    return res.status === 202
      ? { kind: "accepted", monitor: res.body as unknown as Monitor }
      : { kind: "applied", product: res.body };
  }

  /** One status change over many products: always a monitor. */
  async batchStatus(subProductIds: string[], status: string): Promise<Monitor> {
    const res = await this.#call<Monitor>("PATCH", "/product", {
      productIdList: subProductIds,
      request: {
        method: "PATCH",
        body: [{ op: "replace", path: "/status", value: status }],
        headers: [{ name: "Content-Type", value: "application/json-patch+json" }],
      },
    });
    return res.body;
  }

  /** Polls a monitor with growing waits until it is DONE or FAILED. */
  async waitFor(monitor: Monitor): Promise<Monitor> {
    const {
      firstMs = 500,
      factor = 1.5,
      maxMs = 10_000,
      timeoutMs = 15 * 60_000,
    } = this.options.polling ?? {};
    const deadline = Date.now() + timeoutMs;
    let wait = firstMs;
    let current = monitor;
    while (current.state === "IN_PROGRESS") {
      if (Date.now() > deadline)
        throw new Error(`monitor ${monitor.id} still IN_PROGRESS after ${timeoutMs} ms`);
      await sleep(wait);
      wait = Math.min(maxMs, wait * factor);
      current = (await this.#call<Monitor>("GET", `/monitor/${monitor.id}`)).body;
    }
    return current;
  }

  /** The status once the change has taken effect, whichever way the platform answers. */
  async changeAndWait(
    subProductId: string,
    status: string,
  ): Promise<{ outcome: "DONE" | "FAILED"; via: "sync" | "monitor"; monitor?: Monitor }> {
    const change = await this.setStatus(subProductId, status);
    if (change.kind === "applied") return { outcome: "DONE", via: "sync" };
    const monitor = await this.waitFor(change.monitor);
    return { outcome: monitor.state === "DONE" ? "DONE" : "FAILED", via: "monitor", monitor };
  }
}
