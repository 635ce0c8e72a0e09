import type { Hono } from "hono";
import { badRequest } from "../shared/http.js";
import type { PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { intQuery, unknownQuery } from "./input.js";
import { isProblem, problem } from "./problem.js";
import { readChangeRequest } from "./request-body.js";
import { REQUEST_KINDS, startRequest } from "./request-kinds.js";
import { subscriptionRequest } from "./request-model.js";

/**
 * SICA subscription requests: asynchronous changes that answer 201 with a request id, and the
 * request's status. Aeris points callers at `GET /subscriptions/requests/{requestId}` without
 * publishing it for the Bearer gateway; the fake serves it next to the change requests, with the
 * DCP schema and its `page`/`perPage` paging of the resources.
 */

const BASE = "/iot/api/sica/subscriptions/requests";
const PER_PAGE_MAX = 10_000;

async function requestId(runtime: PlatformRuntime): Promise<string> {
  const { sequence, stream } = await runtime.nextId("subscription-request");
  return `REQ${stream.digits(6)}${String(sequence).padStart(6, "0")}`;
}

export function requestRoutes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  for (const kind of REQUEST_KINDS) {
    app.post(`${BASE}/${kind.path}`, guard(kind.operation, { write: true }), async (c) => {
      const unknown = unknownQuery(c, []);
      if (unknown) return fail(c, unknown);
      const request = await readChangeRequest(c, runtime, kind.shape);
      if (isProblem(request)) return fail(c, request);
      const started = await startRequest(runtime, kind, request, () => requestId(runtime));
      if (isProblem(started)) return fail(c, started);
      return c.json({ subscription_request_id: started.id }, 201);
    });
  }

  app.get(`${BASE}/:requestId`, guard("poll"), async (c) => {
    const unknown = unknownQuery(c, ["page", "perPage"]);
    if (unknown) return fail(c, unknown);
    const page = intQuery(c, "page", { min: 0, max: 999_999_999, fallback: 0 });
    if (isProblem(page)) return fail(c, page);
    const perPage = intQuery(c, "perPage", { min: 1, max: PER_PAGE_MAX });
    if (isProblem(perPage)) return fail(c, perPage);
    // Without a page size a page number means nothing; refused rather than ignored.
    if (c.req.query("page") !== undefined && perPage === undefined)
      return fail(c, badRequest("page needs perPage"));
    const id = c.req.param("requestId");
    const operation = await runtime.getOperation(id);
    if (!operation || runtime.accounts.get(operation.accountId)?.tenant !== c.get("account").tenant)
      return fail(c, problem("not-found", 404, `Subscription request ${id} not found`, "REQUEST_NOT_FOUND"));
    return c.json(await subscriptionRequest(runtime, operation, { page: page as number, perPage }));
  });
}
