import type { Hono, MiddlewareHandler } from "hono";
import type { RateDecision } from "../../src/engine/rate-limit.js";
import { authenticateBearer, findAccount } from "../shared/auth.js";
import { readFields } from "../shared/http.js";
import type { NativeApi, NativeApiKit, NativeEnv } from "../shared/types.js";
import { renderProblem, tokenError } from "./problem.js";
import { refusedRoutes } from "./refused.js";
import { requestRoutes } from "./requests.js";
import { searchRoutes } from "./search-routes.js";
import { simRoutes } from "./sim-routes.js";

/**
 * Aeris IoT Accelerator (ex-Ericsson DCP). Documented: the password-grant token endpoint, the SICA
 * reads and change requests, the Subscription Search API, problem+json errors and per-endpoint
 * X-RateLimit-* headers without Retry-After. The README lists what is modelled, refused and invented.
 */

/** Aeris names its two windows in its headers; any other window has no header to go in. */
const WINDOW_NAMES: Record<number, string> = { 1000: "Second", 60000: "Minute" };

function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { rule, remaining } of decision.rules) {
    const window = WINDOW_NAMES[rule.windowMs];
    if (!window) continue;
    headers[`X-RateLimit-Limit-${window}`] = String(rule.limit);
    headers[`X-RateLimit-Remaining-${window}`] = String(Math.max(0, remaining));
  }
  return headers;
}

/** The one `client_id` Aeris documents for API users. */
export const CLIENT_ID = "cm-public-api-client";

/** The token endpoint's limit counts per user name, the only identity a token request carries. */
const rateKeyFromUsername: MiddlewareHandler<NativeEnv> = async (c, next) => {
  const { username } = await readFields(c);
  c.set("rateKey", `user:${username ?? ""}`);
  await next();
};

function tokenRoute(app: Hono<NativeEnv>, { runtime, guard }: NativeApiKit): void {
  app.post("/iot/api/auth/token", rateKeyFromUsername, guard("auth", { public: true }), async (c) => {
    const fields = await readFields(c);
    for (const name of ["grant_type", "client_id", "username", "password"]) {
      if (!fields[name]) return tokenError(c, 400, `tokenV3.arg1.${name}: ${name} must not be null`);
    }
    for (const [name, expected] of [
      ["grant_type", "password"],
      ["client_id", CLIENT_ID],
    ] as const) {
      if (fields[name] !== expected)
        return tokenError(c, 400, `tokenV3.arg1.${name}: ${fields[name]} is not supported`);
    }
    const account = findAccount(runtime, fields.username as string, fields.password as string);
    if (!account) return tokenError(c, 401);
    const { token, expiresIn } = await runtime.issueToken(account);
    return c.json({ access_token: token, token_type: "JWT", expires_in: expiresIn });
  });
}

function routes(app: Hono<NativeEnv>, kit: NativeApiKit): void {
  tokenRoute(app, kit);
  simRoutes(app, kit);
  searchRoutes(app, kit);
  requestRoutes(app, kit);
  refusedRoutes(app, kit);
}

export const aerisApi: NativeApi = {
  renderError: renderProblem,
  authenticate: (c, runtime) =>
    authenticateBearer(c, runtime, {
      messages: { missing: "Authentication Failure", expired: "Token expired", unknown: "Invalid token" },
    }),
  rateLimitHeaders,
  retryAfter: false,
  routes,
};
