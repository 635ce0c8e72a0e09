import type { Context, Hono } from "hono";
import type { RateDecision, RuleState } from "../../src/engine/rate-limit.js";
import { authenticateBearer } from "../shared/auth.js";
import { bearerToken, intParam, readJson } from "../shared/http.js";
import { refuseNativeChange, startStatusChange } from "../shared/lifecycle.js";
import { clientCredentialsTokenHandler } from "../shared/oauth-token.js";
import type { NativeApi, NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { cursorFor, positionOf } from "./cursor.js";
import { nativeTerminal } from "./model.js";
import { renderProblem } from "./problems.js";

/**
 * GALAXY1 (Viasat) terminal API. Nothing of it is public: the model is ours (platforms-notes §10).
 * A status change is a PATCH of the terminal itself, answered 202 with the terminal in an
 * explicit transitional status (ACTIVATING, SUSPENDING) that reads show until the change is done;
 * there is no order to poll. Errors are RFC 7807 problems, lists are cursor-paged.
 */
export const BASE = "/api/v1";
export const TOKEN_PATH = "/oauth2/token";
const LIMIT_MAX = 100;

const badRequest = (message: string): NativeError => ({ kind: "bad-request", status: 400, message });

function routes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  app.post(TOKEN_PATH, clientCredentialsTokenHandler(runtime));

  app.get(`${BASE}/terminals`, guard("list"), async (c) => {
    const account = c.get("account");
    const limit = intParam(c, "limit", 25);
    if (!(limit >= 1 && limit <= LIMIT_MAX))
      return fail(c, badRequest(`limit must be between 1 and ${LIMIT_MAX}`));
    const cursor = c.req.query("cursor");
    const position = cursor === undefined ? 0 : positionOf(runtime, account.id, cursor);
    if (position === undefined) return fail(c, badRequest("cursor is not one this API issued to you"));
    const total = await runtime.countDevices(account.id);
    const devices = await runtime.listDevices(account.id, position, limit);
    const end = position + devices.length;
    const now = runtime.now();
    return c.json({
      terminals: devices.map((d) => nativeTerminal(d, now)),
      next: end < total ? cursorFor(runtime, account.id, end) : null,
      totalCount: total,
    });
  });

  const terminalOf = (c: Context<NativeEnv>) =>
    runtime.findDevice(c.get("account").id, c.req.param("terminalId") ?? "");
  const notFound = (c: Context<NativeEnv>): NativeError => ({
    kind: "not-found",
    status: 404,
    message: `Terminal ${c.req.param("terminalId")} does not exist`,
  });

  app.get(`${BASE}/terminals/:terminalId`, guard("read"), async (c) => {
    const device = await terminalOf(c);
    return device ? c.json(nativeTerminal(device, runtime.now())) : fail(c, notFound(c));
  });

  app.patch(`${BASE}/terminals/:terminalId`, guard("changeStatus", { write: true }), async (c) => {
    const device = await terminalOf(c);
    if (!device) return fail(c, notFound(c));
    const body = await readJson(c);
    if (!body.ok) return fail(c, body.error);
    const patch = body.value as Record<string, unknown> | null;
    if (typeof patch !== "object" || patch === null || typeof patch.status !== "string")
      return fail(c, badRequest('Body must be a JSON object with a string "status"'));
    const readOnly = Object.keys(patch).filter((k) => k !== "status");
    if (readOnly.length > 0)
      return fail(c, badRequest(`Only status can be changed; read-only: ${readOnly.join(", ")}`));
    const refusal = refuseNativeChange(runtime, device, patch.status);
    if (refusal?.kind === "conflict") {
      return fail(c, {
        ...refusal,
        message: `Terminal ${device.record.nativeId} is ${device.nativeStatus}; wait until that change completes`,
      });
    }
    if (refusal?.kind === "invalid-transition") return fail(c, { ...refusal, status: 422 });
    if (refusal) return fail(c, refusal);
    if (patch.status === device.nativeStatus) return c.json(nativeTerminal(device, runtime.now()));
    const account = c.get("account");
    await startStatusChange(
      runtime,
      account,
      [device],
      patch.status,
      `change-${(await runtime.nextId("change")).sequence}`,
    );
    const changing = (await runtime.findDevice(account.id, device.record.nativeId)) ?? device;
    return c.json(nativeTerminal(changing, runtime.now()), 202);
  });
}

/** Seconds until the rule's quota is whole again: a window's end, or a bucket's refill. */
function secondsToReset(state: RuleState): number {
  const { rule } = state;
  const ms =
    rule.algorithm === "fixed-window"
      ? state.resetMs
      : ((rule.limit - Math.max(0, state.remaining)) * rule.windowMs) / rule.limit;
  return Math.ceil(ms / 1000);
}

/** The draft IETF RateLimit-* fields, for the rule closest to refusing. */
function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const tightest = decision.rules.reduce<RuleState | undefined>(
    (min, s) => (min === undefined || s.remaining < min.remaining ? s : min),
    undefined,
  );
  if (!tightest) return {};
  return {
    "RateLimit-Limit": String(tightest.rule.limit),
    "RateLimit-Remaining": String(Math.max(0, tightest.remaining)),
    "RateLimit-Reset": String(secondsToReset(tightest)),
  };
}

export const galaxy1Api: NativeApi = {
  renderError: renderProblem,
  async authenticate(c, runtime) {
    const result = await authenticateBearer(c, runtime);
    if (!("kind" in result)) return result;
    // RFC 6750 §3: no error code when the request carried no token at all.
    const challenge = bearerToken(c)
      ? `Bearer realm="galaxy1", error="invalid_token", error_description="${result.message}"`
      : 'Bearer realm="galaxy1"';
    return { ...result, headers: { "WWW-Authenticate": challenge } };
  },
  rateLimitHeaders,
  routes,
};
