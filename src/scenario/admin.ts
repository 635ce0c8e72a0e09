import type { z } from "zod";
import type { CmoStatus, PlatformProfileInput, TenantConfig } from "../config/schema.js";
import type { PacingCounts } from "../engine/pacing.js";
import { type Answer, detailOf, type Endpoint, send } from "./endpoint.js";

/** A platform as the admin API lists it, reduced to what the runner needs. */
export interface PlatformInfo {
  code: string;
  connectivity: "CELLULAR" | "SATELLITE";
  profile: { transitions: Partial<Record<CmoStatus, CmoStatus[]>>; transfer: boolean };
  accounts: Array<{ id: string; tenant: string; size: number }>;
  /** The CMO's pacing counters (absent on a cmo-sim from before pacing). */
  pacing?: PacingCounts;
}

export interface DeviceInfo {
  productId: string;
  nativeId: string;
  accountId: string;
  status: CmoStatus;
  pendingOperation: string | null;
}

export class AdminError extends Error {}

/**
 * What every admin call carries: the admin token of a locked simulator, and a JSON content type on
 * calls that change something, body or not (the admin API refuses anything a foreign web page could
 * send without asking first).
 */
export function adminHeaders(method: string, token?: string): Record<string, string> {
  return {
    ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

/**
 * The simulator's control plane (`/_sim`, docs/admin-api.md) as the scenario runner uses it: the
 * same calls in-process and against a running cmo-sim, so events behave alike in both.
 */
export class AdminApi {
  constructor(
    private readonly endpoint: Endpoint,
    /** The admin token of a locked cmo-sim (`--admin-token`). */
    private readonly token?: string,
  ) {}

  /**
   * Whether the endpoint is a cmo-sim (anything else has no /_sim): "locked" when it is one whose
   * admin API wants a token this run does not have.
   */
  static async detect(endpoint: Endpoint, token?: string): Promise<boolean | "locked"> {
    try {
      const answer = await send(endpoint, "GET", "/_sim/platforms", undefined, adminHeaders("GET", token));
      if (answer.status === 401 && answer.headers.get("www-authenticate")?.includes("cmo-sim admin"))
        return "locked";
      return answer.status === 200 && Array.isArray(answer.body);
    } catch {
      return false;
    }
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const answer: Answer = await send(
      this.endpoint,
      method,
      `/_sim${path}`,
      body,
      adminHeaders(method, this.token),
    );
    if (answer.status >= 300)
      throw new AdminError(`${method} /_sim${path}: ${answer.status} ${detailOf(answer.body) ?? ""}`.trim());
    return answer.body;
  }

  platforms(): Promise<PlatformInfo[]> {
    return this.#call("GET", "/platforms") as Promise<PlatformInfo[]>;
  }

  async devices(
    code: string,
    account: string,
    offset: number,
    limit: number,
    status?: string,
  ): Promise<{ total: number; devices: DeviceInfo[] }> {
    const query = new URLSearchParams({ account, offset: String(offset), limit: String(limit) });
    if (status) query.set("status", status);
    return (await this.#call("GET", `/platforms/${code}/devices?${query}`)) as {
      total: number;
      devices: DeviceInfo[];
    };
  }

  /** Replaces the platform's run-time override; none clears it. */
  async setOverride(code: string, override: PlatformProfileInput | undefined): Promise<void> {
    if (override === undefined) await this.#call("DELETE", `/platforms/${code}/profile`);
    else await this.#call("PUT", `/platforms/${code}/profile`, override);
  }

  async startOutage(
    code: string,
    outage: { durationMs?: number; status: number; reason: string },
  ): Promise<void> {
    await this.#call("POST", `/platforms/${code}/outage`, outage);
  }

  async endOutage(code: string): Promise<void> {
    await this.#call("DELETE", `/platforms/${code}/outage`);
  }

  /** Back to the generated inventory: the simulator forgets every change, monitor and override. */
  async reset(): Promise<void> {
    await this.#call("POST", "/reset");
  }

  async revokeTokens(target: { clientId?: string; platform?: string }): Promise<void> {
    await this.#call("POST", "/tokens/revoke", target);
  }

  async reseed(inventory: {
    seed?: number | string;
    size?: number;
    tenants?: Array<z.input<typeof TenantConfig>>;
  }): Promise<void> {
    await this.#call("POST", "/inventory", inventory);
  }
}
