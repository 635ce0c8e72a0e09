import type { Context, Hono } from "hono";
import { beginStatusChange, ownOperation, readTarget } from "../shared/async-native.js";
import { authenticateBearer } from "../shared/auth.js";
import { coded } from "../shared/error-codes.js";
import { notFound } from "../shared/http.js";
import { clientCredentialsTokenHandler } from "../shared/oauth-token.js";
import { offsetPage } from "../shared/paging.js";
import type { NativeApi, NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import {
  CODES,
  language,
  messageOf,
  type StcError,
  SUBSCRIPTION_NOT_FOUND,
  TRANSACTION_NOT_FOUND,
} from "./errors.js";
import { BASE, stcSubscription, stcTransaction, TOKEN_PATH, transactionId } from "./model.js";

/**
 * STC ConnectME. Nothing of it is public: the model is ours (platforms-notes §8). Status changes
 * are BSS transactions answered 202 and polled; errors are `{resultCode, resultMessage}` in the
 * language `Accept-Language` asks for (English or Arabic).
 */

function renderError(c: Context, error: StcError): Response {
  const lang = language(c);
  return c.json(
    { resultCode: CODES.codeOf(error), resultMessage: messageOf(error, lang) },
    error.status as 400,
    { ...error.headers, "Content-Language": lang },
  );
}

const subscriptionNotFound = coded(SUBSCRIPTION_NOT_FOUND, notFound("Subscription not found"));

/** A lifecycle refusal in ConnectME's terms: a forbidden transition conflicts with the current status (409). */
function refusal(error: NativeError, from: string, to: string): StcError {
  if (error.kind === "invalid-transition")
    return { ...error, status: 409, arabic: `لا يُسمح بتغيير حالة الاشتراك من ${from} إلى ${to}` };
  if (error.kind === "bad-request") return { ...error, arabic: `الحالة المطلوبة غير معروفة: ${to}` };
  return error;
}

function routes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  app.post(
    TOKEN_PATH,
    clientCredentialsTokenHandler(runtime, { extra: { scope: "subscriptions transactions" } }),
  );

  app.get(`${BASE}/subscriptions`, guard("list"), async (c) => {
    const page = await offsetPage(c, runtime, { defaultLimit: 50, maxLimit: 200 });
    if ("kind" in page) return fail(c, page);
    return c.json({
      subscriptions: page.devices.map(stcSubscription),
      offset: page.offset,
      limit: page.limit,
      totalCount: page.total,
    });
  });

  const subscriptionOf = (c: Context<NativeEnv>) =>
    runtime.findDevice(c.get("account").id, c.req.param("iccid") ?? "");

  app.get(`${BASE}/subscriptions/:iccid`, guard("read"), async (c) => {
    const device = await subscriptionOf(c);
    return device ? c.json(stcSubscription(device)) : fail(c, subscriptionNotFound);
  });

  app.put(`${BASE}/subscriptions/:iccid/status`, guard("changeStatus", { write: true }), async (c) => {
    const device = await subscriptionOf(c);
    if (!device) return fail(c, subscriptionNotFound);
    const to = await readTarget(c, "status");
    if (typeof to !== "string") return fail(c, to);
    const account = c.get("account");
    const started = await beginStatusChange(runtime, account, device, to, async () =>
      transactionId(runtime.now(), (await runtime.nextId("transaction")).sequence),
    );
    if ("error" in started) return fail(c, refusal(started.error, device.nativeStatus, to));
    const { id } = started.operation;
    return c.json({ transactionId: id }, 202, { Location: `${BASE}/transactions/${id}` });
  });

  app.get(`${BASE}/transactions/:transactionId`, guard("poll"), async (c) => {
    const found = await ownOperation(c, runtime, "transactionId", (id) =>
      coded(TRANSACTION_NOT_FOUND, notFound(`Transaction ${id} not found`)),
    );
    if ("error" in found) return fail(c, found.error);
    const lang = language(c);
    return c.json(await stcTransaction(runtime, found.operation, lang), 200, { "Content-Language": lang });
  });
}

export const stcApi: NativeApi = {
  renderError,
  authenticate: (c, runtime) => authenticateBearer(c, runtime),
  routes,
};
