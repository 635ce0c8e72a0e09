import type { Context, Hono } from "hono";
import type { RandomStream } from "../../src/engine/random.js";
import { authenticateBearer } from "../shared/auth.js";
import { intParam } from "../shared/http.js";
import { refuseNativeChange, startStatusChange } from "../shared/lifecycle.js";
import { clientCredentialsTokenHandler } from "../shared/oauth-token.js";
import type { NativeApi, NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { coded, ERROR_CODES, type IntelsatError } from "./errors.js";
import { ACTIONS, isAction, nativeOrder, nativeTerminal } from "./model.js";

/**
 * INTELSAT terminal API. Nothing of it is public: the whole model is ours (platforms-notes §5).
 * Changes are orders that take minutes, every error carries the trace id its answer was sent
 * under, and list pages are offset/limit with a total.
 */
export const BASE = "/iot/v1";
const LIMIT_MAX = 100;

/** Errors are rendered with only the request at hand; the trace id rides on it. */
const traces = new WeakMap<Request, string>();

function hex(stream: RandomStream, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += Math.floor(stream.next() * 16).toString(16);
  return out;
}

function renderError(c: Context, error: IntelsatError): Response {
  return c.json(
    {
      code: error.code ?? ERROR_CODES[error.kind],
      message: error.message,
      traceId: traces.get(c.req.raw) ?? "",
    },
    error.status as 400,
    error.headers,
  );
}

const badRequest = (message: string): NativeError => ({ kind: "bad-request", status: 400, message });

function routes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  app.use("*", async (c, next) => {
    const traceId = hex((await runtime.nextId("trace")).stream, 32);
    traces.set(c.req.raw, traceId);
    await next();
    c.res.headers.set("X-Trace-Id", traceId);
  });

  app.post(
    `${BASE}/oauth/token`,
    clientCredentialsTokenHandler(runtime, { extra: { scope: "terminals orders" } }),
  );

  app.get(`${BASE}/terminals`, guard("list"), async (c) => {
    const account = c.get("account");
    const offset = intParam(c, "offset", 0);
    const limit = intParam(c, "limit", 20);
    if (!(offset >= 0)) return fail(c, badRequest("offset must be a non-negative integer"));
    if (!(limit >= 1 && limit <= LIMIT_MAX))
      return fail(c, badRequest(`limit must be between 1 and ${LIMIT_MAX}`));
    const now = runtime.now();
    return c.json({
      terminals: (await runtime.listDevices(account.id, offset, limit)).map((d) => nativeTerminal(d, now)),
      offset,
      limit,
      total: await runtime.countDevices(account.id),
    });
  });

  const terminalOf = (c: Context<NativeEnv>) =>
    runtime.findDevice(c.get("account").id, c.req.param("terminalId") ?? "");
  const terminalNotFound = (c: Context<NativeEnv>) =>
    coded("TERMINAL_NOT_FOUND", {
      kind: "not-found",
      status: 404,
      message: `Terminal ${c.req.param("terminalId")} not found`,
    });

  app.get(`${BASE}/terminals/:terminalId`, guard("read"), async (c) => {
    const device = await terminalOf(c);
    return device ? c.json(nativeTerminal(device, runtime.now())) : fail(c, terminalNotFound(c));
  });

  app.post(
    `${BASE}/terminals/:terminalId/actions/:action`,
    guard("changeStatus", { write: true }),
    async (c) => {
      const name = c.req.param("action");
      if (!isAction(name)) {
        const expected = Object.keys(ACTIONS).join(", ");
        return fail(
          c,
          coded("UNSUPPORTED_ACTION", badRequest(`Unknown action ${name}; expected one of ${expected}`)),
        );
      }
      const device = await terminalOf(c);
      if (!device) return fail(c, terminalNotFound(c));
      const action = ACTIONS[name];
      const refusal = refuseNativeChange(runtime, device, action.to);
      if (refusal?.kind === "conflict") {
        return fail(c, {
          ...refusal,
          message: `Terminal ${device.record.nativeId} has order ${device.pendingOperation} in progress`,
        });
      }
      if (refusal || !(action.from as readonly string[]).includes(device.nativeStatus)) {
        return fail(c, {
          kind: "invalid-transition",
          status: 409,
          message: `Action ${name} is not allowed for a terminal in status ${device.nativeStatus}`,
        });
      }
      const now = runtime.now();
      const day = new Date(now).toISOString().slice(0, 10).replaceAll("-", "");
      const id = `ORD-${day}-${String((await runtime.nextId("order")).sequence).padStart(6, "0")}`;
      const order = await startStatusChange(runtime, c.get("account"), [device], action.to, id, {
        action: name,
      });
      return c.json({ orderId: order.id, status: (await nativeOrder(runtime, order)).status }, 202);
    },
  );

  app.get(`${BASE}/orders/:orderId`, guard("poll"), async (c) => {
    const order = await runtime.getOperation(c.req.param("orderId"));
    if (!order || order.accountId !== c.get("account").id) {
      return fail(
        c,
        coded("ORDER_NOT_FOUND", {
          kind: "not-found",
          status: 404,
          message: `Order ${c.req.param("orderId")} not found`,
        }),
      );
    }
    return c.json(await nativeOrder(runtime, order));
  });
}

export const intelsatApi: NativeApi = {
  renderError,
  authenticate: (c, runtime) => authenticateBearer(c, runtime),
  routes,
};
