import type { Context, Hono } from "hono";
import { beginStatusChange, ownOperation, readTarget } from "../shared/async-native.js";
import { authenticateBearer } from "../shared/auth.js";
import { type CodedError, coded } from "../shared/error-codes.js";
import { notFound } from "../shared/http.js";
import { clientCredentialsTokenHandler } from "../shared/oauth-token.js";
import { numberedPage } from "../shared/paging.js";
import type { NativeApi, NativeApiKit, NativeEnv } from "../shared/types.js";
import { CODES, GATEWAY_KINDS, LINE_NOT_FOUND, ORDER_NOT_FOUND } from "./errors.js";
import { BASE, type Envelope, orderId, SUCCESS, TOKEN_PATH, turkcellLine, turkcellOrder } from "./model.js";

/**
 * Turkcell M2M line API. Nothing of it is public: the model is ours (platforms-notes §9). Every
 * answer is an envelope `{header: {resultCode, resultDescription}, body}`; business errors come
 * back as HTTP 200 with a resultCode other than "0", so a client must read the header, not the
 * status. Status changes are orders, polled until COMPLETED or ERROR.
 */
const PAGES = { page: "pageIndex", size: "pageSize", firstPage: 0, defaultSize: 20, maxSize: 100 } as const;

function renderError(c: Context, error: CodedError): Response {
  const envelope: Envelope<never> = {
    header: { resultCode: CODES.codeOf(error), resultDescription: error.message },
    body: null,
  };
  return c.json(envelope, (GATEWAY_KINDS.has(error.kind) ? error.status : 200) as 200, error.headers);
}

const answer = <T>(c: Context, body: T) => c.json({ header: SUCCESS, body } satisfies Envelope<T>);

function routes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  app.post(TOKEN_PATH, clientCredentialsTokenHandler(runtime));

  app.get(`${BASE}/lines`, guard("list"), async (c) => {
    const page = await numberedPage(c, runtime, PAGES);
    if ("kind" in page) return fail(c, page);
    return answer(c, {
      lines: page.devices.map(turkcellLine),
      pageIndex: page.page,
      pageSize: page.limit,
      totalCount: page.total,
      totalPages: page.pages,
    });
  });

  const lineOf = (c: Context<NativeEnv>) =>
    runtime.findDevice(c.get("account").id, c.req.param("iccid") ?? "");
  const lineNotFound = (c: Context<NativeEnv>) =>
    coded(LINE_NOT_FOUND, {
      kind: "not-found",
      status: 404,
      message: `Line ${c.req.param("iccid")} not found`,
    });

  app.get(`${BASE}/lines/:iccid`, guard("read"), async (c) => {
    const line = await lineOf(c);
    return line ? answer(c, turkcellLine(line)) : fail(c, lineNotFound(c));
  });

  app.post(`${BASE}/lines/:iccid/status`, guard("changeStatus", { write: true }), async (c) => {
    const line = await lineOf(c);
    if (!line) return fail(c, lineNotFound(c));
    const to = await readTarget(c, "targetStatus");
    if (typeof to !== "string") return fail(c, to);
    const started = await beginStatusChange(runtime, c.get("account"), line, to, async () =>
      orderId((await runtime.nextId("order")).sequence),
    );
    return "error" in started ? fail(c, started.error) : answer(c, { orderId: started.operation.id });
  });

  app.get(`${BASE}/orders/:orderId`, guard("poll"), async (c) => {
    const found = await ownOperation(c, runtime, "orderId", (id) =>
      coded(ORDER_NOT_FOUND, notFound(`Order ${id} not found`)),
    );
    return "error" in found ? fail(c, found.error) : answer(c, await turkcellOrder(runtime, found.operation));
  });
}

export const turkcellApi: NativeApi = {
  renderError,
  authenticate: (c, runtime) => authenticateBearer(c, runtime),
  routes,
};
