import type { Hono, MiddlewareHandler } from "hono";
import type { RateDecision } from "../../src/engine/rate-limit.js";
import { authenticateBearer, findAccount } from "../shared/auth.js";
import { intParam, readFields } from "../shared/http.js";
import type { NativeApi, NativeApiKit, NativeEnv } from "../shared/types.js";
import { findSubscription, IDENTIFIER_TYPES, isIdentifierType, organisation } from "./lookup.js";
import { simResource, subscriptionDetails } from "./model.js";
import { problem, renderProblem, tokenError } from "./problem.js";
import { requestRoutes } from "./requests.js";

/**
 * Aeris IoT Accelerator (ex-Ericsson DCP). Documented: the password-grant token endpoint, the SICA
 * sim-resource read and state-change requests, the Subscription Search list with cursor paging,
 * problem+json errors and per-endpoint X-RateLimit-* headers without Retry-After.
 */

const LIST_LIMIT_MAX = 10_000;
const LIST_LIMIT_DEFAULT = 100;

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

/** The token endpoint's limit counts per user name, the only identity a token request carries. */
const rateKeyFromUsername: MiddlewareHandler<NativeEnv> = async (c, next) => {
  const { username } = await readFields(c);
  c.set("rateKey", `user:${username ?? ""}`);
  await next();
};

function routes(app: Hono<NativeEnv>, kit: NativeApiKit): void {
  const { runtime, guard, fail } = kit;

  app.post("/iot/api/auth/token", rateKeyFromUsername, guard("auth", { public: true }), async (c) => {
    const fields = await readFields(c);
    for (const name of ["grant_type", "username", "password"]) {
      if (!fields[name]) return tokenError(c, 400, `tokenV3.arg1.${name}: ${name} must not be null`);
    }
    if (fields.grant_type !== "password")
      return tokenError(c, 400, `tokenV3.arg1.grant_type: ${fields.grant_type} is not supported`);
    const account = findAccount(runtime, fields.username as string, fields.password as string);
    if (!account) return tokenError(c, 401);
    const { token, expiresIn } = runtime.issueToken(account);
    return c.json({ access_token: token, token_type: "JWT", expires_in: expiresIn });
  });

  app.get("/iot/api/sica/subscriptions/sim-resource/:id", guard("read"), (c) => {
    const type = c.req.query("identifier_type");
    if (!isIdentifierType(type))
      return fail(
        c,
        problem("bad-request", 400, `identifier_type must be one of ${IDENTIFIER_TYPES.join(", ")}`),
      );
    const id = c.req.param("id");
    const device = findSubscription(runtime, c.get("account").id, type, id);
    if (!device)
      return fail(
        c,
        problem("not-found", 404, `Subscription with ${type} ${id} not found`, "SUBSCRIPTION_NOT_FOUND"),
      );
    return c.json({ sims: [simResource(device)] });
  });

  app.get("/iot/api/subscriptions/details", guard("list"), (c) => {
    const q = c.req.query("q");
    const companyQuery = q === undefined ? undefined : /^company==(.+)$/i.exec(q)?.[1];
    if (q !== undefined && companyQuery === undefined)
      return fail(c, problem("bad-request", 400, "q must be company==<company id>"));
    const company = organisation(runtime, c.get("account"), companyQuery);
    if ("kind" in company) return fail(c, company);
    const limit = intParam(c, "limit", LIST_LIMIT_DEFAULT);
    if (!(limit >= 1 && limit <= LIST_LIMIT_MAX))
      return fail(c, problem("bad-request", 400, `limit must be between 1 and ${LIST_LIMIT_MAX}`));

    let start = 0;
    const cursor = c.req.query("cursor");
    if (cursor !== undefined) {
      const after = runtime.findDeviceBy(company.id, "imsi", cursor);
      const position = after && runtime.positionOf(company.id, after.record.nativeId);
      if (position === undefined) return fail(c, problem("bad-request", 400, `Invalid cursor ${cursor}`));
      start = position + 1;
    }
    const total = runtime.countDevices(company.id);
    const devices = runtime.listDevices(company.id, start, limit);
    const last = devices.at(-1);
    const more = last !== undefined && start + devices.length < total;
    const query = q === undefined ? "" : `q=company==${company.id}&`;
    return c.json(
      {
        subscriptions: devices.map((d) => subscriptionDetails(d, company)),
        ...(more ? { next: `/details?${query}limit=${limit}&cursor=${last.record.imsi}` } : {}),
        size: devices.length,
      },
      200,
      // Aeris gives no total; the CMO needs one, so the fake adds this header (invented).
      { "X-Total-Count": String(total) },
    );
  });

  requestRoutes(app, kit);
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
