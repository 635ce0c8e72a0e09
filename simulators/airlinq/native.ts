import type { Context, Hono } from "hono";
import type { RateDecision } from "../../src/engine/rate-limit.js";
import { ownOperation } from "../shared/async-native.js";
import { authenticateBearer } from "../shared/auth.js";
import { type CodedError, coded } from "../shared/error-codes.js";
import { badRequest, notFound, readJson } from "../shared/http.js";
import { refuseNativeChange, startStatusChange } from "../shared/lifecycle.js";
import { clientCredentialsTokenHandler } from "../shared/oauth-token.js";
import { numberedPage } from "../shared/paging.js";
import type { Device } from "../shared/runtime.js";
import type { NativeApi, NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { BULK_LIMIT_EXCEEDED, CODES, REQUEST_NOT_FOUND, SIM_NOT_FOUND } from "./errors.js";
import { airlinqRequest, airlinqSim, BASE, type Rejection, requestId, TOKEN_PATH } from "./model.js";

/**
 * AIRLINQ's CMO Management Platform (Jio). Nothing of it is public: the model is ours
 * (platforms-notes §6). State changes are bulk requests answered 202 and polled, errors are
 * `{status: "FAILURE", errorCode, errorMessage}`, and every answer counts down a per-minute quota.
 */
const PAGES = { page: "pageNo", size: "pageSize", firstPage: 1, defaultSize: 50, maxSize: 500 } as const;
const BULK_MAX = 100;

function renderError(c: Context, error: CodedError): Response {
  return c.json(
    { status: "FAILURE", errorCode: CODES.codeOf(error), errorMessage: error.message },
    error.status as 400,
    error.headers,
  );
}

/** The IETF RateLimit-* fields, on every answer the quota counted. */
function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const state = decision.rules[0];
  if (!state) return {};
  return {
    "RateLimit-Limit": String(state.rule.limit),
    "RateLimit-Remaining": String(Math.max(0, state.remaining)),
    "RateLimit-Reset": String(Math.ceil(state.resetMs / 1000)),
  };
}

const simNotFound = (iccid: string) =>
  coded(SIM_NOT_FOUND, notFound(`SIM ${iccid} not found in this account`));

/** A lifecycle refusal in the CMP's terms: a forbidden transition is a 422. */
const asAirlinq = (refusal: NativeError): NativeError =>
  refusal.kind === "invalid-transition" ? { ...refusal, status: 422 } : refusal;

function routes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  const states = Object.keys(runtime.definition.vocabulary.nativeTransitions);

  app.post(TOKEN_PATH, clientCredentialsTokenHandler(runtime, { extra: { scope: "cmp.sims cmp.requests" } }));

  app.get(`${BASE}/sims`, guard("list"), async (c) => {
    const page = await numberedPage(c, runtime, PAGES);
    if ("kind" in page) return fail(c, page);
    return c.json({
      pageNo: page.page,
      pageSize: page.limit,
      totalRecords: page.total,
      totalPages: page.pages,
      sims: page.devices.map(airlinqSim),
    });
  });

  app.get(`${BASE}/sims/:iccid`, guard("read"), async (c) => {
    const iccid = c.req.param("iccid");
    const device = await runtime.findDevice(c.get("account").id, iccid);
    return device ? c.json(airlinqSim(device)) : fail(c, simNotFound(iccid));
  });

  app.post(`${BASE}/sims/state-change`, guard("changeStatus", { write: true }), async (c) => {
    const json = await readJson(c);
    if (!json.ok) return fail(c, json.error);
    const { iccids, targetState, reason } = (json.value ?? {}) as Record<string, unknown>;
    if (!Array.isArray(iccids) || iccids.length === 0 || !iccids.every((i) => typeof i === "string" && i))
      return fail(c, badRequest("iccids must be a non-empty array of ICCIDs"));
    if (iccids.length > BULK_MAX)
      return fail(c, coded(BULK_LIMIT_EXCEEDED, badRequest(`At most ${BULK_MAX} ICCIDs per request`)));
    if (typeof targetState !== "string" || !states.includes(targetState))
      return fail(c, badRequest(`targetState must be one of ${states.join(", ")}`));
    if (reason !== undefined && typeof reason !== "string")
      return fail(c, badRequest("reason must be a string"));

    // Each ICCID is checked on its own: a bulk request goes ahead with those that pass.
    const account = c.get("account");
    const accepted: Device[] = [];
    const refusals: Array<{ iccid: string; error: NativeError }> = [];
    for (const iccid of new Set(iccids as string[])) {
      const device = await runtime.findDevice(account.id, iccid);
      const refusal = device ? refuseNativeChange(runtime, device, targetState) : simNotFound(iccid);
      if (device && !refusal) accepted.push(device);
      else if (refusal) refusals.push({ iccid, error: asAirlinq(refusal) });
    }
    const first = refusals[0];
    if (accepted.length === 0 && first) return fail(c, first.error);
    const rejected: Rejection[] = refusals.map(({ iccid, error }) => ({
      iccid,
      errorCode: CODES.codeOf(error),
      errorMessage: error.message,
    }));
    const id = requestId(runtime.now(), await runtime.nextId("request"));
    const operation = await startStatusChange(runtime, account, accepted, targetState, id, {
      ...(reason ? { reason } : {}),
      rejected: JSON.stringify(rejected),
    });
    return c.json({ requestId: operation.id, status: "IN_PROGRESS" }, 202);
  });

  app.get(`${BASE}/requests/:requestId`, guard("poll"), async (c) => {
    const found = await ownOperation(c, runtime, "requestId", (id) =>
      coded(REQUEST_NOT_FOUND, notFound(`Request ${id} not found`)),
    );
    return "error" in found ? fail(c, found.error) : c.json(await airlinqRequest(runtime, found.operation));
  });
}

export const airlinqApi: NativeApi = {
  renderError,
  authenticate: (c, runtime) => authenticateBearer(c, runtime),
  rateLimitHeaders,
  routes,
};
