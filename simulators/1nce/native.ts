import type { Context, Hono } from "hono";
import { luhnCheckDigit } from "../../src/inventory/identifiers.js";
import { authenticateBearer, findAccount } from "../shared/auth.js";
import { basicCredentials, intParam, readFields, readJson } from "../shared/http.js";
import { refuseNativeChange } from "../shared/lifecycle.js";
import type { NativeApi, NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { nativeSim } from "./model.js";

/**
 * 1NCE Management API. Documented: token endpoint with Basic credentials, `/v1/sims` list with
 * X-Total-* paging headers, single-SIM PUT applied at once, `Enabled`/`Disabled` statuses, error
 * body `{error_code, error_token, message}`. The numeric error codes are ours.
 */
const ERROR_CODES: Record<NativeError["kind"], [number, string]> = {
  "not-found": [1000, "NotFound"],
  "bad-request": [1001, "BadRequest"],
  "invalid-transition": [1001, "BadRequest"],
  conflict: [1002, "Conflict"],
  unauthorized: [1003, "Unauthorized"],
  forbidden: [1004, "Forbidden"],
  "rate-limited": [1005, "TooManyRequests"],
  "unsupported-media-type": [1006, "UnsupportedMediaType"],
  "server-error": [1099, "InternalServerError"],
  unavailable: [1098, "ServiceUnavailable"],
  "gateway-timeout": [1097, "GatewayTimeout"],
};

const PAGE_SIZE_MAX = 100;
const STATUSES = ["Enabled", "Disabled"];

function renderError(c: Context, error: NativeError): Response {
  const [code, token] = ERROR_CODES[error.kind];
  return c.json(
    { error_code: code, error_token: token, message: error.message },
    error.status as 400,
    error.headers,
  );
}

function routes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  const base = "/management-api";

  app.post(`${base}/oauth/token`, async (c) => {
    // Token errors use a different envelope from the rest of the API, as 1NCE's do.
    const tokenError = (errorCode: string, message: string) =>
      c.json({ statusCode: 400, errorCode, message }, 400);
    const type = c.req.header("content-type") ?? "";
    if (!/json/i.test(type))
      return tokenError("UnsupportedContentTypeError", "Content-Type must be application/json");
    const fields = await readFields(c);
    if (fields.grant_type !== "client_credentials")
      return tokenError("BodyValidationError", "grant_type must be client_credentials");
    const basic = basicCredentials(c);
    if (!basic) return tokenError("AuthValidationError", "Basic authorization header required");
    const account = findAccount(runtime, basic.username, basic.password);
    if (!account) return tokenError("BadCredentials", "Bad credentials");
    const { token, expiresIn } = runtime.issueToken(account);
    return c.json({
      status_code: 200,
      access_token: token,
      token_type: "bearer",
      expires_in: expiresIn,
      userId: account.username,
      scope: "all",
    });
  });

  app.get(`${base}/v1/sims`, guard("list"), (c) => {
    const account = c.get("account");
    const page = intParam(c, "page", 1);
    const pageSize = intParam(c, "pageSize", 10);
    if (!(page >= 1))
      return fail(c, { kind: "bad-request", status: 400, message: "page must be a positive integer" });
    if (!(pageSize >= 1 && pageSize <= PAGE_SIZE_MAX))
      return fail(c, {
        kind: "bad-request",
        status: 400,
        message: `pageSize must be between 1 and ${PAGE_SIZE_MAX}`,
      });
    const total = runtime.countDevices(account.id);
    const sims = runtime.listDevices(account.id, (page - 1) * pageSize, pageSize).map(nativeSim);
    return c.json(sims, 200, {
      "X-Total-Count": String(total),
      "X-Total-Pages": String(Math.ceil(total / pageSize)),
      "X-Current-Page": String(page),
      "X-Count-Per-Page": String(pageSize),
    });
  });

  const findSim = (c: Context<NativeEnv>) => {
    const account = c.get("account");
    const id = c.req.param("iccid") ?? "";
    // 1NCE addresses SIMs by the ICCID without its Luhn digit; the full one is accepted as well.
    for (const candidate of /^\d{19}$/.test(id) ? [id + luhnCheckDigit(id), id] : [id]) {
      const device = runtime.findDevice(account.id, candidate);
      if (device) return device;
    }
    return undefined;
  };

  app.get(`${base}/v1/sims/:iccid`, guard("read"), (c) => {
    const device = findSim(c);
    return device
      ? c.json(nativeSim(device))
      : fail(c, { kind: "not-found", status: 404, message: `SIM ${c.req.param("iccid")} not found` });
  });

  app.put(`${base}/v1/sims/:iccid`, guard("changeStatus", { write: true }), async (c) => {
    const device = findSim(c);
    if (!device)
      return fail(c, { kind: "not-found", status: 404, message: `SIM ${c.req.param("iccid")} not found` });
    const body = await readJson(c);
    if (!body.ok) return fail(c, body.error);
    const status = (body.value as { status?: unknown } | null)?.status;
    if (status !== undefined && (typeof status !== "string" || !STATUSES.includes(status))) {
      return fail(c, {
        kind: "invalid-transition",
        status: 400,
        message: `status must be one of ${STATUSES.join(", ")}`,
      });
    }
    if (typeof status === "string") {
      const refusal = refuseNativeChange(runtime, device, status);
      if (refusal) return fail(c, refusal);
      if (status !== device.nativeStatus) runtime.setStatus(device.record.nativeId, status);
    }
    return c.body(null, 200);
  });
}

export const onceApi: NativeApi = {
  renderError,
  authenticate: (c, runtime) => authenticateBearer(c, runtime),
  routes,
};
