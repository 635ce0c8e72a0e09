import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type ChangeAccepted,
  type CmoAdapter,
  type DeviceView,
  failed,
  type Outcome,
  ok,
  type PollResult,
  unsent,
} from "../shared/adapter.js";
import { CursorIndex, type CursorPage, cursorWindow } from "../shared/cursor-window.js";
import { header } from "../shared/exchange.js";
import { tokenEndpoint } from "../shared/native-dialect.js";
import type { ErrorTable } from "../shared/native-errors.js";
import { done, nativeKit, settled, unreadable } from "../shared/native-kit.js";
import { fromDetails, fromSimResource, subscriptionReader } from "./adapter-view.js";
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

/** Aeris's problems carry a code from the table the fake renders them with. */
const ERRORS: ErrorTable = {
  name: "Aeris",
  read: (problem: { code?: unknown; detail?: string; message?: string } | undefined) => ({
    code: problem?.code,
    message: problem?.detail ?? problem?.message,
  }),
  kindOf: (code) => CODES.kindOf(code),
  // No Retry-After on Aeris: wait for the window its headers show as used up.
  rateLimitWaitMs: (exchange) => (header(exchange, "X-RateLimit-Remaining-Minute") === "0" ? 60_000 : 1000),
};

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
  const kit = nativeKit(
    context,
    {
      auth: tokenEndpoint(
        `${BASE}/auth/token`,
        (account) => ({
          form: {
            grant_type: "password",
            client_id: CLIENT_ID,
            username: account.username,
            password: account.secret,
          },
        }),
        {
          defaultExpiresIn: 300,
          refused: (failure) =>
            failure.status === 400 || failure.status === 401 ? { ...failure, kind: "unauthorized" } : failure,
        },
      ),
      errors: ERRORS,
    },
    subscriptionReader,
  );
  const cursors = new CursorIndex();

  const get = async (account: AdapterAccount, nativeId: string): Promise<Outcome<DeviceView>> => {
    const path = `${BASE}/sica/subscriptions/sim-resource/${encodeURIComponent(nativeId)}`;
    const result = await kit.get<{ sims?: SimResource[] }>(account, "read", path, { identifier_type: "ICC" });
    if (!result.ok) return result;
    const sim = result.value.sims?.[0];
    return sim
      ? kit.view(result.exchange, fromSimResource(sim))
      : unreadable("Aeris", result.exchange, "SIM");
  };

  const poll = async (account: AdapterAccount, ticket: string): Promise<Outcome<PollResult>> => {
    const path = `${REQUESTS}/${encodeURIComponent(ticket)}`;
    const result = await kit.get<Partial<SubscriptionRequest>>(account, "poll", path);
    if (!result.ok) return result;
    const { value, exchange } = result;
    const state = value.subscriptionRequestState;
    if (state === undefined) return unreadable("Aeris", exchange, "subscription request");
    const info = value.subscriptionRequestResources?.flatMap((r) => r.resourceFailureInfos)[0]?.errorObject;
    const settledAs =
      state === "COMPLETED"
        ? "DONE"
        : state === "PENDING" || state === "IN_PROGRESS"
          ? "IN_PROGRESS"
          : "FAILED";
    return settled(exchange, settledAs, () => ({
      // REJECTED is the platform's rules saying no; anything else broke on the way.
      kind: state === "REJECTED" ? "invalid-transition" : "server-error",
      message: `request ${ticket} ended ${state}: ${info?.errorMessage ?? "no details given"}`,
    }));
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
    const result = await kit.call<{ subscription_request_id?: string }>(account, {
      operation: kind === "state-changes" ? "changeStatus" : "transfer",
      method: "POST",
      path: `${REQUESTS}/${kind}`,
      json: { subscriptions: { identifier_type: "ICC", identifiers: [iccid] }, change },
      expect: [201],
    });
    if (!result.ok) return result;
    const id = result.value.subscription_request_id;
    return id ? ok(id, result.exchange) : unreadable("Aeris", result.exchange, "request id");
  };

  /** Polls the request on the clock until it settles or the CMO's sync wait runs out, then reads the SIM. */
  const settle = async (
    account: AdapterAccount,
    ticket: string,
    read: () => Promise<Outcome<DeviceView>>,
  ): Promise<Outcome<ChangeAccepted>> => {
    const { clock, profile } = context;
    const timeoutMs = profile().syncWaitTimeoutMs;
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      const outcome = await pollPatiently(account, ticket);
      if (!outcome.ok) return outcome;
      const { state, failure } = outcome.value;
      if (state === "FAILED")
        return failed(failure ?? { kind: "server-error", status: 0, message: `request ${ticket} failed` });
      if (state === "DONE") return done(outcome.exchange, await read());
      if (clock.now() + POLL_INTERVAL_MS > deadline)
        return failed({
          kind: "gateway-timeout",
          status: 504,
          message: `operation still in progress after ${timeoutMs} ms`,
        });
      await clock.sleep(POLL_INTERVAL_MS);
    }
  };

  const listPage = async (
    account: AdapterAccount,
    cursor: string | undefined,
    size: number,
  ): Promise<Outcome<CursorPage<DeviceView>>> => {
    const query = { limit: size, cursor, additionalFields: LIST_GROUPS };
    type Details = { subscriptions?: SubscriptionDetails[]; next?: string };
    const result = await kit.get<Details>(account, "list", `${BASE}/subscriptions/details`, query);
    if (!result.ok) return result;
    const { value, exchange } = result;
    if (!value.subscriptions) return unreadable("Aeris", exchange, "subscription list");
    const total = header(exchange, "X-Total-Count");
    const views = kit.views(exchange, value.subscriptions.map(fromDetails));
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
      if (state === undefined) return unsent("invalid-transition", `IOTA has no state to set for ${target}`);
      const submitted = await submit(account, "state-changes", device.nativeId, { state });
      if (!submitted.ok) return submitted;
      return settle(account, submitted.value, () => get(account, device.nativeId));
    },

    poll,

    async transfer(account, device, target) {
      const submitted = await submit(account, "owner-changes", device.nativeId, {
        owner: { organization_id: target.id },
      });
      if (!submitted.ok) return submitted;
      const outcome = await settle(account, submitted.value, () => get(target, device.nativeId));
      cursors.forget(account.id);
      cursors.forget(target.id);
      return outcome;
    },
  };
}
