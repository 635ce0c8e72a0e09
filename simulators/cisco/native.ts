import type { Context, Hono, MiddlewareHandler } from "hono";
import { percentDecoded } from "../../src/http/decode.js";
import { findAccount } from "../shared/auth.js";
import { markGuard } from "../shared/doc-hooks.js";
import { basicCredentials, readJson } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApi, NativeApiKit, NativeContext, NativeEnv } from "../shared/types.js";
import type { ControlCenterOffer } from "./attributes.js";
import { AUDIT_PARAMS, auditTrails } from "./audit.js";
import { cycleStart } from "./cycle.js";
import { applyEdit } from "./edit.js";
import { readEditRequest } from "./edit-request.js";
import { CODES, ccError, invalidIccid, malformedJson, renderError } from "./errors.js";
import { ctdUsage, deviceDetails } from "./model.js";
import { NO_PARAMS, PARTIAL, partial, refuseUnknown } from "./query.js";
import { refusedRoutes } from "./refused.js";
import { responder } from "./respond.js";
import { searchDevices } from "./search.js";
import { sessionInfo, sessionsSince } from "./session.js";
import { smsRoutes, smsThisCycle } from "./sms.js";
import { usageInZone, ZONE_PARAMS } from "./usage-zone.js";

/**
 * Cisco IoT Control Center REST API (`/rws/api/v1`), shared by every operator that runs it: HTTP
 * Basic `username:apiKey` on every call, the device functions, SMS, Echo, and refusals for the
 * documented functions it does not simulate. README.md lists every function and field with its
 * source and whether it is modelled, refused or invented.
 */
const BASE = "/rws/api/v1";
const READ_PARAMS = new Set([PARTIAL]);

function authenticate(c: NativeContext, runtime: PlatformRuntime) {
  // Spring Security answers a request without Basic credentials before Control Center sees it.
  if (!/^Basic\s/i.test(c.req.header("authorization") ?? ""))
    return ccError("unauthorized", 401, null, "Full authentication is required to access this resource");
  const credentials = basicCredentials(c);
  const account = credentials && findAccount(runtime, credentials.username, credentials.password);
  return account ?? ccError("unauthorized", 401, CODES.invalidCredentials, "Invalid credentials");
}

/** One edit call both changes status and moves devices; it counts as whichever it mostly does. */
function editGuard({ guard }: NativeApiKit): MiddlewareHandler<NativeEnv> {
  const statusGuard = guard("changeStatus", { write: true });
  const transferGuard = guard("transfer", { write: true });
  return markGuard({ operation: "changeStatus", write: true, public: false }, async (c, next) => {
    const body = await readJson(c);
    const moves =
      body.ok && typeof body.value === "object" && body.value !== null && "accountId" in body.value;
    return (moves ? transferGuard : statusGuard)(c, next);
  });
}

function routes(app: Hono<NativeEnv>, kit: NativeApiKit, offer: ControlCenterOffer): void {
  const { runtime, guard, fail } = kit;
  const deviceOf = (c: Context<NativeEnv>) =>
    runtime.findDevice(c.get("account").id, c.req.param("iccid") ?? "");
  const answer = responder(fail);
  /** A read of one device: parameters outside `allowed` refused, then the device, then the answer. */
  const deviceRead =
    (
      read: (c: Context<NativeEnv>, device: Device) => object | Promise<object>,
      allowed: ReadonlySet<string>,
    ) =>
    async (c: Context<NativeEnv>) => {
      const refused = refuseUnknown(c, allowed);
      if (refused) return fail(c, refused);
      const device = await deviceOf(c);
      return device ? answer(c, await read(c, device)) : fail(c, invalidIccid());
    };

  app.get(`${BASE}/devices`, guard("list"), async (c) =>
    answer(c, await searchDevices(c, runtime, c.get("account"))),
  );

  app.get(
    `${BASE}/devices/:iccid`,
    guard("read"),
    deviceRead((c, d) => partial(c, deviceDetails(d)), READ_PARAMS),
  );

  app.get(
    `${BASE}/devices/:iccid/ctdUsages`,
    guard("read"),
    deviceRead(async (c, d) => {
      const now = runtime.now();
      const counts = {
        sms: await smsThisCycle(runtime, d, now),
        sessions: sessionsSince(runtime, d, cycleStart(now), now),
      };
      return partial(c, ctdUsage(d, counts, now));
    }, READ_PARAMS),
  );

  app.get(
    `${BASE}/devices/:iccid/sessionInfo`,
    guard("read"),
    deviceRead((c, d) => partial(c, sessionInfo(runtime, d)), READ_PARAMS),
  );

  app.get(
    `${BASE}/devices/:iccid/auditTrails`,
    guard("list"),
    deviceRead((c, d) => auditTrails(c, runtime, d), AUDIT_PARAMS),
  );
  app.get(
    `${BASE}/devices/:iccid/usageInZone`,
    guard("read"),
    deviceRead((c, d) => usageInZone(c, runtime, d, offer), ZONE_PARAMS),
  );

  app.put(`${BASE}/devices/:iccid`, editGuard(kit), async (c) => {
    const refused = refuseUnknown(c, NO_PARAMS);
    if (refused) return fail(c, refused);
    const device = await deviceOf(c);
    if (!device) return fail(c, invalidIccid());
    const body = await readJson(c);
    if (!body.ok) return fail(c, body.error.status === 400 ? malformedJson() : body.error);
    const edit = readEditRequest(body.value, offer, runtime.definition.vocabulary, runtime.now());
    if ("kind" in edit) return fail(c, edit);
    const done = await applyEdit(runtime, c.get("account"), device, edit);
    if ("kind" in done) return fail(c, done);
    // A future-dated edit is accepted for later: 202, with the same small answer.
    return c.json({ iccid: device.record.iccid }, done.scheduled ? 202 : 200);
  });

  smsRoutes(app, kit, BASE, deviceOf);

  // Echo takes any text, so it is matched as the rest of the path rather than as an id; a second
  // segment is no Echo route.
  app.get(`${BASE}/echo/*`, guard("read"), (c) => {
    const refused = refuseUnknown(c, NO_PARAMS);
    if (refused) return fail(c, refused);
    const path = new URL(c.req.url).pathname;
    const raw = path.slice(path.indexOf("/echo/") + "/echo/".length);
    const context = raw === "" || raw.includes("/") ? undefined : percentDecoded(raw);
    return context === undefined ? c.notFound() : c.json({ context });
  });

  refusedRoutes(app, kit, BASE);

  app.all("/rws/api/:version/*", guard("read"), (c) =>
    c.req.param("version") === "v1"
      ? c.notFound()
      : fail(c, ccError("bad-request", 400, CODES.invalidApiVersion, "Invalid apiVersion")),
  );
}

/** The API of one operator's deployment: the same functions, over that operator's plans, customers and zones. */
export function controlCenterApi(offer: ControlCenterOffer): NativeApi {
  return { renderError, authenticate, routes: (app, kit) => routes(app, kit, offer) };
}
