import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type AdapterFailure,
  type ChangeAccepted,
  type CmoAdapter,
  type DeviceView,
  failed,
  header,
  isFailure,
  NativeClient,
  type Outcome,
  ok,
  type PollResult,
  parseBody,
  viewDevice,
  viewDevices,
  waitUntilSettled,
} from "../shared/adapter.js";
import { CursorIndex, type CursorPage, cursorWindow } from "../shared/cursor-window.js";
import { callForJson } from "../shared/json-call.js";
import { fromDetails, fromSimResource, toView } from "./adapter-view.js";
import { CLIENT_ID } from "./native.js";
import { CODES } from "./problem.js";
import type { SubscriptionRequest } from "./request-model.js";
import type { SubscriptionDetails } from "./search-view.js";
import type { SimResource } from "./sim-resource.js";

const BASE = "/iot/api";
const REQUESTS = `${BASE}/sica/subscriptions/requests`;
const POLL_INTERVAL_MS = 1000;
/** The exchange of a poll the CMO's queue did not send. */
const NOT_SENT: NativeExchange = { status: 0, headers: [], body: "" };
const LIST_PAGE_MAX = 10_000;
/** The Search API's field groups the CMO reads: without them a list item has no label, package or dates. */
const LIST_GROUPS = "DATES,LABEL,PACKAGE,INDIVIDUAL_APN";

function failure(exchange: NativeExchange): AdapterFailure {
  const body = parseBody(exchange) as { detail?: string; message?: string; code?: unknown } | undefined;
  const found = CODES.failure(
    exchange,
    body?.code,
    body?.detail ?? body?.message ?? `Aeris answered ${exchange.status}`,
  );
  if (found.kind !== "rate-limited") return found;
  // No Retry-After on Aeris: wait for the window its headers show as used up.
  return { ...found, retryAfterMs: header(exchange, "X-RateLimit-Remaining-Minute") === "0" ? 60_000 : 1000 };
}

function unreadable(exchange: NativeExchange, what: string): AdapterFailure {
  return { kind: "protocol", status: exchange.status, message: `Aeris sent an unreadable ${what}`, exchange };
}

function cursorOf(next: string | undefined): string | undefined {
  if (next === undefined) return undefined;
  return new URLSearchParams(next.slice(next.indexOf("?") + 1)).get("cursor") ?? undefined;
}

/**
 * Aeris → CMO. Natively every change is an asynchronous subscription request; the CMO presents
 * IOTA as synchronous, so changeStatus and transfer submit the request, poll it on the simulator
 * clock until it settles (bounded by syncWaitTimeoutMs), then read the SIM.
 */
export function aerisAdapter(context: AdapterContext): CmoAdapter {
  const client = new NativeClient(context, {
    kind: "bearer",
    async fetchToken(c, account) {
      const result = await c.send({
        method: "POST",
        path: `${BASE}/auth/token`,
        form: {
          grant_type: "password",
          client_id: CLIENT_ID,
          username: account.username,
          password: account.secret,
        },
      });
      if (isFailure(result)) return result;
      const body = parseBody(result) as { access_token?: string; expires_in?: number } | undefined;
      if (result.status === 200 && body?.access_token)
        return { token: body.access_token, expiresIn: body.expires_in ?? 300 };
      const refused = failure(result);
      return result.status === 400 || result.status === 401 ? { ...refused, kind: "unauthorized" } : refused;
    },
  });
  const cursors = new CursorIndex();

  const get = async (account: AdapterAccount, nativeId: string): Promise<Outcome<DeviceView>> => {
    const result = await callForJson<{ sims?: SimResource[] }>(
      client,
      account,
      "read",
      {
        method: "GET",
        path: `${BASE}/sica/subscriptions/sim-resource/${encodeURIComponent(nativeId)}`,
        query: { identifier_type: "ICC" },
      },
      [200],
      failure,
    );
    if (!result.ok) return result;
    const sim = result.value.sims?.[0];
    return sim
      ? viewDevice(context, result.exchange, fromSimResource(sim), (s) => s.state, toView)
      : failed(unreadable(result.exchange, "SIM"));
  };

  const poll = async (account: AdapterAccount, ticket: string): Promise<Outcome<PollResult>> => {
    const result = await callForJson<Partial<SubscriptionRequest>>(
      client,
      account,
      "poll",
      { method: "GET", path: `${REQUESTS}/${encodeURIComponent(ticket)}` },
      [200],
      failure,
    );
    if (!result.ok) return result;
    const { value, exchange } = result;
    const state = value.subscriptionRequestState;
    if (state === undefined) return failed(unreadable(exchange, "subscription request"));
    if (state === "COMPLETED") return ok({ state: "DONE" }, exchange);
    if (state === "PENDING" || state === "IN_PROGRESS") return ok({ state: "IN_PROGRESS" }, exchange);
    const info = value.subscriptionRequestResources?.flatMap((r) => r.resourceFailureInfos)[0]?.errorObject;
    const refused: AdapterFailure = {
      // REJECTED is the platform's rules saying no; anything else broke on the way.
      kind: state === "REJECTED" ? "invalid-transition" : "server-error",
      status: exchange.status,
      message: `request ${ticket} ended ${state}: ${info?.errorMessage ?? "no details given"}`,
      exchange,
    };
    return ok({ state: "FAILED", failure: refused }, exchange);
  };

  /** A 429 while waiting (the platform's, or no slot in the CMO's own queue) is no verdict on the request: keep waiting. */
  const pollPatiently = async (account: AdapterAccount, ticket: string): Promise<Outcome<PollResult>> => {
    const outcome = await poll(account, ticket);
    if (!outcome.ok && outcome.failure.kind === "rate-limited")
      return ok({ state: "IN_PROGRESS" }, outcome.failure.exchange ?? NOT_SENT);
    return outcome;
  };

  const submit = async (
    account: AdapterAccount,
    kind: "state-changes" | "owner-changes",
    iccid: string,
    change: Record<string, unknown>,
  ): Promise<Outcome<string>> => {
    const result = await callForJson<{ subscription_request_id?: string }>(
      client,
      account,
      kind === "state-changes" ? "changeStatus" : "transfer",
      {
        method: "POST",
        path: `${REQUESTS}/${kind}`,
        json: { subscriptions: { identifier_type: "ICC", identifiers: [iccid] }, change },
      },
      [201],
      failure,
    );
    if (!result.ok) return result;
    const id = result.value.subscription_request_id;
    return id ? ok(id, result.exchange) : failed(unreadable(result.exchange, "request id"));
  };

  const settle = async (
    account: AdapterAccount,
    ticket: string,
    read: () => Promise<Outcome<DeviceView>>,
  ): Promise<Outcome<ChangeAccepted>> => {
    const outcome = await waitUntilSettled(
      context.clock,
      context.profile().syncWaitTimeoutMs,
      POLL_INTERVAL_MS,
      () => pollPatiently(account, ticket),
    );
    if (!outcome.ok) return failed(outcome.failure);
    const { state, failure: refused } = outcome.value;
    if (state === "FAILED")
      return failed(refused ?? { kind: "server-error", status: 0, message: `request ${ticket} failed` });
    const device = await read();
    return ok({ mode: "done", device: device.ok ? device.value : undefined }, outcome.exchange);
  };

  const listPage = async (
    account: AdapterAccount,
    cursor: string | undefined,
    size: number,
  ): Promise<Outcome<CursorPage<DeviceView>>> => {
    const result = await callForJson<{ subscriptions?: SubscriptionDetails[]; next?: string }>(
      client,
      account,
      "list",
      {
        method: "GET",
        path: `${BASE}/subscriptions/details`,
        query: { limit: size, cursor, additionalFields: LIST_GROUPS },
      },
      [200],
      failure,
    );
    if (!result.ok) return result;
    const { value, exchange } = result;
    if (!value.subscriptions) return failed(unreadable(exchange, "subscription list"));
    const total = header(exchange, "X-Total-Count");
    const views = viewDevices(
      context,
      exchange,
      value.subscriptions.map(fromDetails),
      (s) => s.state,
      toView,
    );
    if (!views.ok) return views;
    const page = {
      items: views.value,
      next: cursorOf(value.next),
      total: total === undefined ? undefined : Number(total),
    };
    return ok(page, exchange);
  };

  return {
    get,

    list: (account, offset, limit) =>
      cursorWindow(cursors, account.id, offset, limit, LIST_PAGE_MAX, (cursor, size) =>
        listPage(account, cursor, size),
      ),

    async changeStatus(account, device, target) {
      const state = context.vocabulary.target[target];
      if (state === undefined)
        return failed({
          kind: "invalid-transition",
          status: 0,
          message: `IOTA has no state to set for ${target}`,
        });
      const submitted = await submit(account, "state-changes", device.nativeId, { state });
      if (!submitted.ok) return failed(submitted.failure);
      return settle(account, submitted.value, () => get(account, device.nativeId));
    },

    poll,

    async transfer(account, device, target) {
      const submitted = await submit(account, "owner-changes", device.nativeId, {
        owner: { organization_id: target.id },
      });
      if (!submitted.ok) return failed(submitted.failure);
      const outcome = await settle(account, submitted.value, () => get(target, device.nativeId));
      cursors.forget(account.id);
      cursors.forget(target.id);
      return outcome;
    },
  };
}
