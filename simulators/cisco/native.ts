import type { Context, Hono, MiddlewareHandler } from "hono";
import { findAccount } from "../shared/auth.js";
import { markGuard } from "../shared/doc-hooks.js";
import { basicCredentials, readJson } from "../shared/http.js";
import type { PlatformRuntime } from "../shared/runtime.js";
import type { NativeApi, NativeApiKit, NativeContext, NativeEnv } from "../shared/types.js";
import { applyEdit, readEdit } from "./edit.js";
import { CODES, ccError, renderError } from "./errors.js";
import { ctdUsage, deviceDetails } from "./model.js";
import { searchDevices } from "./search.js";

/**
 * Cisco IoT Control Center REST API (`/rws/api/v1`), shared by every operator that runs it.
 * Documented: HTTP Basic `username:apiKey`, Get/Edit Device Details, Search Devices with mandatory
 * `modifiedSince` and `lastPage` paging, ctdUsages, the error envelope and codes 10000001,
 * 10000003, 10000024, 40000029, one call at a time and 5 calls/s without rate-limit headers.
 */
const BASE = "/rws/api/v1";

function authenticate(c: NativeContext, runtime: PlatformRuntime) {
  // Spring Security answers a request without Basic credentials before Control Center sees it.
  if (!/^Basic\s/i.test(c.req.header("authorization") ?? ""))
    return ccError("unauthorized", 401, null, "Full authentication is required to access this resource");
  const credentials = basicCredentials(c);
  const account = credentials && findAccount(runtime, credentials.username, credentials.password);
  return account ?? ccError("unauthorized", 401, CODES.invalidCredentials, "Invalid credentials");
}

/** Narrows a `fields=a,b` partial response, as most Control Center GET functions allow. */
function partial(c: Context, body: Record<string, unknown>): Record<string, unknown> {
  const fields = c.req.query("fields")?.split(",").filter(Boolean);
  return fields?.length ? Object.fromEntries(fields.filter((f) => f in body).map((f) => [f, body[f]])) : body;
}

function routes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  const invalidIccid = ccError("not-found", 404, CODES.invalidIccid, "Resource not found - Invalid ICCID");
  const device = (c: Context<NativeEnv>) =>
    runtime.findDevice(c.get("account").id, c.req.param("iccid") ?? "");

  app.get(`${BASE}/devices`, guard("list"), async (c) => {
    const page = await searchDevices(c, runtime, c.get("account"));
    return "kind" in page ? fail(c, page) : c.json(page);
  });

  app.get(`${BASE}/devices/:iccid`, guard("read"), (c) => {
    const found = device(c);
    return found ? c.json(partial(c, deviceDetails(found))) : fail(c, invalidIccid);
  });

  app.get(`${BASE}/devices/:iccid/ctdUsages`, guard("read"), (c) => {
    const found = device(c);
    return found ? c.json(partial(c, ctdUsage(found))) : fail(c, invalidIccid);
  });

  // One edit call both changes status and moves devices; it counts as whichever it mostly does.
  const statusGuard = guard("changeStatus", { write: true });
  const transferGuard = guard("transfer", { write: true });
  const editGuard: MiddlewareHandler<NativeEnv> = markGuard(
    { operation: "changeStatus", write: true, public: false },
    async (c, next) => {
      const body = await readJson(c);
      const moves =
        body.ok && typeof body.value === "object" && body.value !== null && "accountId" in body.value;
      return (moves ? transferGuard : statusGuard)(c, next);
    },
  );

  app.put(`${BASE}/devices/:iccid`, editGuard, async (c) => {
    const found = device(c);
    if (!found) return fail(c, invalidIccid);
    const body = await readJson(c);
    if (!body.ok) return fail(c, body.error);
    const edit = readEdit(body.value, runtime.now());
    if ("kind" in edit) return fail(c, edit);
    const refusal = applyEdit(runtime, c.get("account"), found, edit);
    return refusal ? fail(c, refusal) : c.json({ iccid: found.record.iccid });
  });

  app.all("/rws/api/:version/*", guard("read"), (c) =>
    c.req.param("version") === "v1"
      ? c.notFound()
      : fail(c, ccError("bad-request", 400, CODES.invalidApiVersion, "Invalid apiVersion")),
  );
}

export const controlCenterApi: NativeApi = { renderError, authenticate, routes };
