import { type AdminAnswer, AdminClient } from "../admin/client.js";
import { adminRoutes } from "../admin/routes.js";
import { TOKEN_PATH } from "../cmo/auth.js";
import { DEFAULT_CLIENTS } from "../config/defaults.js";
import { Config } from "../config/schema.js";
import { type Answer, type Endpoint, readAnswer, send } from "../scenario/endpoint.js";

/** `/api-gw/connection-management-orchestrator/v5/{tenant}` unless a configuration says otherwise. */
export const DEFAULT_BASE_PATH = Config.parse({}).cmo.basePath;

export type SimDevice = AdminAnswer<typeof adminRoutes.listDevices>["devices"][number];

/** The default secret of a default client; configured clients name theirs in the provider state. */
export function defaultSecret(clientId: string): string | undefined {
  return DEFAULT_CLIENTS.find((c) => c.clientId === clientId)?.clientSecret;
}

/**
 * A running simulator as provider states drive it: the admin API under /_sim and the CMO front,
 * over HTTP or in-process (an `Endpoint` is a base URL and a fetch function either way).
 */
export class SimClient {
  readonly admin: AdminClient;

  constructor(
    private readonly endpoint: Endpoint,
    readonly basePath = DEFAULT_BASE_PATH,
    adminToken?: string,
  ) {
    this.admin = new AdminClient(endpoint, adminToken);
  }

  static at(baseUrl: string, basePath?: string, adminToken?: string): SimClient {
    return new SimClient(
      { base: baseUrl.replace(/\/+$/, ""), fetch: (request) => fetch(request) },
      basePath,
      adminToken,
    );
  }

  call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return send(this.endpoint, method, path, body, headers);
  }

  async token(clientId: string, clientSecret = defaultSecret(clientId) ?? ""): Promise<string> {
    const answer = await this.call(
      "POST",
      TOKEN_PATH,
      new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
      { "content-type": "application/x-www-form-urlencoded" },
    );
    const token = (answer.body as { access_token?: string } | undefined)?.access_token;
    if (answer.status !== 200 || !token)
      throw new Error(`client ${clientId} could not sign in: ${answer.status}`);
    return token;
  }

  /** A CMO call below `{basePath}` for `tenant`, with a bearer token; `signal` abandons it. */
  async cmo(
    method: string,
    tenant: string,
    path: string,
    options: { body?: unknown; type?: string; token: string; signal?: AbortSignal },
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${options.token}`,
    };
    if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json-patch+json";
    const url = `${this.endpoint.base}${this.basePath.replace("{tenant}", tenant)}${path}`;
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);
    if (options.signal) init.signal = options.signal;
    return readAnswer(await this.endpoint.fetch(new Request(url, init)));
  }

  async devices(
    code: string,
    query: { status?: string; account?: string; limit?: number } = {},
  ): Promise<SimDevice[]> {
    const { status, account, limit = 1000 } = query;
    const page = await this.admin.call(adminRoutes.listDevices, {
      params: { code },
      query: { ...(status ? { status } : {}), ...(account ? { account } : {}), limit: String(limit) },
    });
    return page.devices;
  }

  async device(code: string, nativeId: string, account?: string): Promise<SimDevice | undefined> {
    return (await this.devices(code, account ? { account } : {})).find((d) => d.nativeId === nativeId);
  }

  /** The accounts `tenant` holds on `code`, in configuration order. */
  async accounts(tenant: string, code: string): Promise<string[]> {
    const inventory = await this.admin.call(adminRoutes.getInventory, {});
    return (
      inventory.tenants
        .find((t) => t.id === tenant)
        ?.accounts.filter((a) => a.platform === code)
        .map((a) => a.id) ?? []
    );
  }

  /** Advances a manual clock; a real clock cannot be moved and is left alone. */
  async advance(ms: number): Promise<boolean> {
    const answer = await this.admin.send(adminRoutes.advanceClock, { body: { ms } });
    return answer.status === 200;
  }
}
