import type { PlatformCode } from "../../src/config/schema.js";
import { withLuhn } from "../../src/inventory/identifiers.js";
import { bodyText } from "../../src/scenario/endpoint.js";
import type { Simulator } from "../../src/server/simulator.js";

export const BASE_PATH = "/api-gw/connection-management-orchestrator/v5";
export const TOKEN_PATH = "/auth/realms/iothub/protocol/openid-connect/token";
export const JSON_PATCH = "application/json-patch+json";
export const JSON_PATCH_QUERY = "application/json-patch-query+json";

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

type Send = (path: string, init?: RequestInit) => Promise<Response>;

/** A CMO client as a test uses it: a token for one client, and JSON in and out. */
export class CmoTestClient {
  #token: string | undefined;

  constructor(
    private readonly send: Send,
    readonly clientId = "cmo-sim-client",
    private readonly secret = clientId === "acme-client" ? "acme-secret" : "cmo-sim-secret",
    readonly tenant = clientId === "acme-client" ? "acme" : "eos",
  ) {}

  async token(): Promise<string> {
    if (!this.#token) {
      const res = await this.send(TOKEN_PATH, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: this.clientId,
          client_secret: this.secret,
        }).toString(),
      });
      if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
      this.#token = ((await res.json()) as { access_token: string }).access_token;
    }
    return this.#token;
  }

  forgetToken(): void {
    this.#token = undefined;
  }

  async call(
    method: string,
    path: string,
    options: { body?: unknown; type?: string; headers?: Record<string, string>; tenant?: string } = {},
    retried = false,
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${await this.token()}`,
      ...options.headers,
    };
    if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
    const res = await this.send(`${BASE_PATH}/${options.tenant ?? this.tenant}${path}`, {
      method,
      headers,
      body: bodyText(options.body),
    });
    if (res.status === 401 && !options.headers?.authorization && !retried) {
      // Tokens live 300 s of simulated time; tests that move the clock simply sign in again.
      this.#token = undefined;
      return this.call(method, path, options, true);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the assertion to show
    }
    return { status: res.status, headers: res.headers, body };
  }

  get(path: string, tenant?: string): Promise<Answer> {
    return this.call("GET", path, { tenant });
  }

  setStatus(productId: string, status: string, type = JSON_PATCH): Promise<Answer> {
    return this.call("PATCH", `/product/${productId}`, {
      body: [{ op: "replace", path: "/status", value: status }],
      type,
    });
  }

  patch(productId: string, ops: unknown, type = JSON_PATCH): Promise<Answer> {
    return this.call("PATCH", `/product/${productId}`, { body: ops, type });
  }
}

/** The device sub-product of a platform's products. */
export function deviceSuffix(sim: Simulator, code: PlatformCode): "simCard" | "terminal" {
  return sim.world.platform(code)?.runtime.definition.connectivity === "SATELLITE" ? "terminal" : "simCard";
}

/** The first device of `tenant` on `code` whose CMO status is `status` (read from the platform, for arranging tests). */
export async function deviceIn(
  sim: Simulator,
  code: PlatformCode,
  status: string,
  tenant = "eos",
  skip = 0,
): Promise<{ productId: string; nativeId: string; accountId: string }> {
  const runtime = sim.world.platform(code)!.runtime;
  const account = sim.world.accountsOf(tenant, code)[0]!;
  const device = (await runtime.listDevices(account.id, 0, await runtime.countDevices(account.id))).filter(
    (d) => d.cmoStatus === status && !d.pendingOperation,
  )[skip];
  if (!device) throw new Error(`no ${status} device on ${code} for ${tenant}`);
  return {
    productId: `${code}-${device.record.nativeId}`,
    nativeId: device.record.nativeId,
    accountId: account.id,
  };
}

/** Status as the platform itself now holds it (CMO vocabulary). */
export async function platformStatus(
  sim: Simulator,
  code: PlatformCode,
  nativeId: string,
): Promise<string | undefined> {
  const runtime = sim.world.platform(code)!.runtime;
  for (const id of runtime.accounts.keys()) {
    const device = await runtime.findDevice(id, nativeId);
    if (device) return device.cmoStatus;
  }
  return undefined;
}

/**
 * Awaits a request that waits on the virtual clock (IOTA's adapter polls its native request
 * before answering): moves the clock in steps until the answer arrives.
 */
export async function withClock<T>(
  clock: { advance(ms: number): Promise<void>; settle(): Promise<void> },
  pending: Promise<T>,
  stepMs = 1_000,
  maxMs = 3_600_000,
): Promise<T> {
  let done = false;
  let value: T | undefined;
  let error: unknown;
  pending.then(
    (v) => {
      done = true;
      value = v;
    },
    (e) => {
      done = true;
      error = e;
    },
  );
  // Over real HTTP the answer may need a few wall-clock milliseconds before the clock has to move.
  const arrived = async () => {
    for (let i = 0; i < 20 && !done; i++) {
      await clock.settle();
      if (!done) await new Promise((r) => setTimeout(r, 2));
    }
    return done;
  };
  for (let waited = 0; !(await arrived()) && waited <= maxMs; waited += stepMs) await clock.advance(stepMs);
  if (!done) throw new Error(`no answer after ${maxMs} ms of simulated time`);
  if (error) throw error;
  return value as T;
}

/** A well-formed ICCID (right prefix, length and check digit) that no account holds. */
export const UNKNOWN_1NCE_ICCID = withLuhn("8988228060000000000");
/** The same digits with a wrong check digit. */
export const BAD_CHECK_1NCE_ICCID = `${UNKNOWN_1NCE_ICCID.slice(0, -1)}${(Number(UNKNOWN_1NCE_ICCID.at(-1)) + 1) % 10}`;
