import type { Hono, MiddlewareHandler } from "hono";
import { authenticateBearer, clientCredentialsGrant } from "../shared/auth.js";
import { badRequest, bearerToken, intParam } from "../shared/http.js";
import type { NativeApi, NativeApiKit, NativeEnv } from "../shared/types.js";
import { hal, renderError } from "./answers.js";
import { changeRoutes } from "./changes.js";
import { BASE, nativeSim, simPage, TOKEN_PATH } from "./model.js";

/**
 * M2M Service Portal 3.0 Customer REST Services. Documented: the base path, `/partners/{partnerId}/sims`,
 * OAuth2 client credentials at the Telekom API gateway, SIM selection by ICCID/EID/IMSI/IMEI/MSISDN,
 * HAL answers and a 202 for status changes. Field names, statuses, paging and errors are ours.
 */

/** Spring Data clamps an oversized page silently rather than refusing it. */
const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 20;

function routes(app: Hono<NativeEnv>, kit: NativeApiKit): void {
  const { runtime, guard, fail } = kit;

  app.post(TOKEN_PATH, async (c) => {
    const grant = await clientCredentialsGrant(c, runtime);
    if ("error" in grant)
      return c.json(
        { error: grant.error, error_description: grant.description },
        grant.error === "invalid_client" ? 401 : 400,
      );
    const { token, expiresIn } = await runtime.issueToken(grant.account);
    return c.json(
      {
        access_token: token,
        expires_in: expiresIn,
        refresh_expires_in: 0,
        token_type: "Bearer",
        "not-before-policy": 0,
        scope: "profile email",
      },
      200,
      { "Cache-Control": "no-store" },
    );
  });

  // A partner sees only its own SIMs, whichever partner id it names.
  const ownPartner: MiddlewareHandler<NativeEnv> = async (c, next) => {
    const partnerId = c.req.param("partnerId");
    if (partnerId !== c.get("account").id)
      return fail(c, { kind: "forbidden", status: 403, message: `Access to partner ${partnerId} is denied` });
    await next();
  };
  const partner = `${BASE}/partners/:partnerId`;
  const statuses = Object.keys(runtime.definition.vocabulary.toCmo);

  app.get(`${partner}/sims`, guard("list"), ownPartner, async (c) => {
    const account = c.get("account");
    const page = intParam(c, "page", 0) || 0;
    const requested = intParam(c, "size", DEFAULT_PAGE_SIZE);
    const size = requested >= 1 ? Math.min(requested, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    const simStatus = c.req.query("simStatus");
    if (simStatus !== undefined && !statuses.includes(simStatus))
      return fail(c, badRequest(`simStatus must be one of ${statuses.join(", ")}`));
    const filter =
      simStatus === undefined ? undefined : (d: { nativeStatus: string }) => d.nativeStatus === simStatus;
    const { total, devices } = filter
      ? await runtime.scanDevices(account.id, filter, page * size, size)
      : {
          total: await runtime.countDevices(account.id),
          devices: await runtime.listDevices(account.id, page * size, size),
        };
    const now = runtime.now();
    const sims = devices.map((d) => nativeSim(d, now));
    return hal(c, simPage(sims, account.id, { page, size, total, simStatus }));
  });

  app.get(`${partner}/sims/:iccid`, guard("read"), ownPartner, async (c) => {
    const account = c.get("account");
    const iccid = c.req.param("iccid");
    const device = await runtime.findDevice(account.id, iccid);
    return device
      ? hal(c, nativeSim(device, runtime.now()))
      : fail(c, {
          kind: "not-found",
          status: 404,
          message: `SIM ${iccid} not found for partner ${account.id}`,
        });
  });

  changeRoutes(app, kit, ownPartner);
}

export const tmspApi: NativeApi = {
  renderError,
  async authenticate(c, runtime) {
    const result = await authenticateBearer(c, runtime, {
      messages: {
        missing: "Full authentication is required to access this resource",
        expired: "Jwt expired",
      },
    });
    if (!("kind" in result)) return result;
    // RFC 6750: a request without credentials gets a bare challenge, a bad token an error code.
    const challenge = bearerToken(c)
      ? `Bearer error="invalid_token", error_description="${result.message}"`
      : "Bearer";
    return { ...result, headers: { "WWW-Authenticate": challenge } };
  },
  routes,
};
