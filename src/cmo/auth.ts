import { randomUUID } from "node:crypto";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { sign, verify } from "hono/jwt";
import { secretsEqual } from "../../simulators/shared/http.js";
import { DEFAULT_CLIENTS } from "../config/defaults.js";
import type { Config } from "../config/schema.js";
import { BoundedMemo } from "../engine/bounded-memo.js";
import type { Clock } from "../engine/clock.js";
import { percentDecoded } from "../http/decode.js";
import { problemResponse } from "../http/problem.js";
import type { Collection, StateStore } from "../store/store.js";

export const TOKEN_PATH = "/auth/realms/iothub/protocol/openid-connect/token";
export const ROLE_READ = "ro%connection-management-orchestrator";
export const ROLE_WRITE = "rw%connection-management-orchestrator";

export interface Principal {
  clientId: string;
  tenants: string[];
  roles: string[];
}

interface Claims extends Principal {
  exp: number;
  iat: number;
  /** When the token was issued, in µs on the issuance sequence (see `#stamp`); absent in older tokens. */
  [ISSUED_CLAIM]?: number;
}

export interface CmoAuthEnv {
  Variables: { principal: Principal };
}

/** Anyone, everything: what a request carries when auth is switched off (and says so in a header). */
const OPEN_PRINCIPAL: Principal = { clientId: "anonymous", tenants: ["*"], roles: [ROLE_READ, ROLE_WRITE] };

/**
 * `iat` counts whole seconds, too coarse to tell a token issued just before a revocation from one
 * issued just after it; this private claim orders them exactly.
 */
const ISSUED_CLAIM = "cmo_sim_iat_us";

/** The store collection of token revocations. */
const REVOCATIONS = "cmoRevocations";

/**
 * The Keycloak-shaped token endpoint and the bearer check in front of every CMO call. Tokens are
 * HS256 JWTs signed with hono/jwt; their lifetime runs on the simulator's clock, so a manual or
 * virtual clock expires them when it says so. Verified signatures are cached: the hot path pays for
 * HMAC once per token, not once per request.
 */
export class CmoAuth {
  readonly #verified = new BoundedMemo<string, Claims>(10_000);
  /**
   * Tokens issued before this stamp are refused (token revocation), per client or for all. The
   * store's record is the truth; one process alone reads its own copy, while processes sharing a
   * store read the record on every check, so a token revoked through one is refused by all at once.
   */
  readonly #revokedBefore = new Map<string, number>();
  readonly #revocations: Collection<number>;
  /** The last stamp drawn, for processes sharing a store. */
  readonly #stamps: Collection<number>;
  readonly #shared: boolean;
  #lastStamp = 0;
  readonly #clients: Array<{
    clientId: string;
    clientSecret: string;
    tenants: string[];
    roles: Array<"ro" | "rw">;
  }>;

  constructor(
    private readonly config: Config["auth"],
    private readonly clock: Clock,
    private readonly secret: string,
    store: StateStore,
  ) {
    this.#clients = config.clients ?? DEFAULT_CLIENTS;
    this.#shared = store.shared;
    this.#revocations = store.collection(REVOCATIONS);
    this.#stamps = store.collection("cmoStamps");
  }

  /** The stamp before which `clientId`'s tokens are refused (0: none are). */
  async #revokedStamp(clientId: string): Promise<number> {
    const [all, own] = this.#shared
      ? await this.#revocations.getMany(["*", clientId])
      : [this.#revokedBefore.get("*"), this.#revokedBefore.get(clientId)];
    return Math.max(all ?? 0, own ?? 0);
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  get clients(): ReadonlyArray<{
    clientId: string;
    clientSecret: string;
    tenants: string[];
    roles: Array<"ro" | "rw">;
  }> {
    return this.#clients;
  }

  /** Refuses every token issued so far (to one client, or to all); tokens issued afterwards work at once. */
  async revoke(clientId?: string): Promise<void> {
    const key = clientId ?? "*";
    const stamp = await this.#stamp();
    const kept = (await this.#revocations.update(key, (before) => Math.max(before ?? 0, stamp))) as number;
    this.#revokedBefore.set(key, kept);
  }

  /**
   * Issuance and revocation share one strictly increasing sequence of µs stamps on the simulator's
   * clock, so even within one millisecond (a manual clock never moves between them) the order in
   * which they happened decides.
   */
  async #stamp(): Promise<number> {
    const floor = this.clock.now() * 1000;
    // Processes sharing a store draw from one sequence there: a revocation in one and an issue in
    // another within the same millisecond are ordered as they happened.
    if (this.#shared)
      return (await this.#stamps.update("last", (last) => Math.max(floor, (last ?? 0) + 1))) as number;
    this.#lastStamp = Math.max(floor, this.#lastStamp + 1);
    return this.#lastStamp;
  }

  async reset(): Promise<void> {
    await this.#revocations.clear();
    this.#revokedBefore.clear();
    this.#verified.clear();
  }

  register(app: Hono<CmoAuthEnv>): void {
    app.post(TOKEN_PATH, (c) => this.#token(c));
  }

  async issue(clientId: string): Promise<{ token: string; claims: Record<string, unknown> }> {
    const client = this.#clients.find((c) => c.clientId === clientId);
    if (!client) throw new Error(`unknown client ${clientId}`);
    const issued = await this.#stamp();
    const iat = Math.floor(issued / 1e6);
    const claims = {
      exp: iat + this.config.tokenLifetimeSeconds,
      iat,
      [ISSUED_CLAIM]: issued,
      jti: randomUUID(),
      iss: this.config.issuer,
      aud: "account",
      sub: `service-account-${client.clientId}`,
      typ: "Bearer",
      azp: client.clientId,
      clientId: client.clientId,
      preferred_username: `service-account-${client.clientId}`,
      scope: "openid email profile",
      realm_access: { roles: client.roles.map((r) => (r === "rw" ? ROLE_WRITE : ROLE_READ)) },
      tenants: client.tenants,
    };
    return { token: await this.clock.track(sign(claims, this.secret, "HS256")), claims };
  }

  async #token(c: Context): Promise<Response> {
    const oauthError = (status: 400 | 401, error: string, description: string) =>
      c.json({ error, error_description: description }, status, { "cache-control": "no-store" });
    if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header("content-type") ?? "")) {
      return oauthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    }
    const form = new URLSearchParams(await c.req.text());
    let clientId = form.get("client_id") ?? "";
    let clientSecret = form.get("client_secret") ?? "";
    const basic = c.req.header("authorization")?.match(/^Basic\s+(\S+)$/i);
    if (basic && !clientId) {
      const decoded = Buffer.from(basic[1] as string, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      // RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic encoding.
      const id = percentDecoded(decoded.slice(0, Math.max(0, colon)));
      const secret = percentDecoded(decoded.slice(colon + 1));
      if (id === undefined || secret === undefined)
        return oauthError(400, "invalid_request", "The Basic credentials are not validly percent-encoded");
      clientId = id;
      clientSecret = secret;
    }
    const grant = form.get("grant_type");
    if (!grant) return oauthError(400, "invalid_request", "Missing form parameter: grant_type");
    if (grant !== "client_credentials")
      return oauthError(400, "unsupported_grant_type", `Unsupported grant_type ${grant}`);
    const client = this.#clients.find((k) => secretsEqual(k.clientId, clientId));
    if (!client || !secretsEqual(client.clientSecret, clientSecret)) {
      return oauthError(401, "unauthorized_client", "Invalid client or Invalid client credentials");
    }
    const { token } = await this.issue(client.clientId);
    const body: Record<string, unknown> = {
      access_token: token,
      expires_in: this.config.tokenLifetimeSeconds,
      refresh_expires_in: 0,
      token_type: "Bearer",
      "not-before-policy": 0,
      scope: "openid email profile",
    };
    return c.json(body, 200, { "cache-control": "no-store", pragma: "no-cache" });
  }

  /** Who is calling, or the reason (401) why nobody is. */
  async principal(authorization: string | undefined): Promise<Principal | string> {
    if (!this.config.enabled) return OPEN_PRINCIPAL;
    const match = authorization?.match(/^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/i);
    if (!authorization) return "Authorization header with a Bearer token is required";
    if (!match) return "Authorization header must be 'Bearer <JWT>'";
    const token = match[1] as string;
    let claims = this.#verified.get(token);
    if (!claims) {
      try {
        // Time claims are checked below against the simulator's clock, not the wall clock.
        claims = (await this.clock.track(
          verify(token, this.secret, {
            alg: "HS256",
            exp: false,
            nbf: false,
            iat: false,
          }),
        )) as unknown as Claims;
      } catch {
        return "Bearer token is invalid: signature, algorithm or format not accepted";
      }
      const shape = claims as unknown as Record<string, unknown>;
      if (
        typeof shape.exp !== "number" ||
        !Array.isArray(shape.tenants) ||
        typeof shape.clientId !== "string"
      ) {
        return "Bearer token lacks the exp, tenants or clientId claim";
      }
      const roles = (shape.realm_access as { roles?: unknown } | undefined)?.roles;
      claims = {
        ...claims,
        roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [],
      };
      this.#verified.keep(token, claims);
    }
    const now = this.clock.now() / 1000;
    if (claims.exp <= now) return "Bearer token has expired";
    const revoked = await this.#revokedStamp(claims.clientId);
    const issued = claims[ISSUED_CLAIM];
    if ((typeof issued === "number" ? issued : claims.iat * 1e6) < revoked)
      return "Bearer token has been revoked";
    return claims;
  }

  /** Middleware: 401 without a valid token, 403 for another tenant or a write without the rw role. */
  guard(access: "read" | "write"): MiddlewareHandler<CmoAuthEnv> {
    return async (c, next) => {
      const principal = await this.principal(c.req.header("authorization"));
      if (typeof principal === "string") {
        return problemResponse(
          { status: 401, detail: principal, instance: c.req.path },
          {
            "www-authenticate": `Bearer realm="iothub", error="invalid_token", error_description="${principal}"`,
          },
        );
      }
      const tenant = c.req.param("tenant") ?? "";
      if (!principal.tenants.includes("*") && !principal.tenants.includes(tenant)) {
        return problemResponse({
          status: 403,
          detail: `The token is not valid for tenant ${tenant}`,
          instance: c.req.path,
        });
      }
      const role = access === "write" ? ROLE_WRITE : ROLE_READ;
      if (!principal.roles.includes(role) && !(access === "read" && principal.roles.includes(ROLE_WRITE))) {
        return problemResponse({
          status: 403,
          detail: `This operation needs the ${role} role`,
          instance: c.req.path,
        });
      }
      c.set("principal", principal);
      await next();
      if (!this.config.enabled) c.res.headers.set("x-cmo-sim-auth", "disabled");
    };
  }
}
