import type { z } from "zod";
import { mergeDeep } from "../../simulators/shared/profile.js";
import type { Device } from "../../simulators/shared/runtime.js";
import { PlatformProfile } from "../config/schema.js";
import { parseWith } from "../http/body.js";
import { ProblemError } from "../http/problem.js";
import { DevicePage, DeviceView, PlatformList, PlatformView } from "../openapi/admin-answers.js";
import type { PlatformSlot } from "../server/world.js";
import type { AdminPort } from "./ports.js";
import {
  type AdminEndpoint,
  adminRoute,
  BAD_BODY,
  BAD_QUERY,
  NO_PLATFORM,
  ok,
  problem,
  type RouteDetails,
} from "./route.js";
import { DeviceBody, DevicesQuery, FaultsBody, LatencyBody, OutageBody } from "./schemas.js";
import { deviceView, platformView } from "./views.js";

type Profile = z.output<typeof PlatformProfile>;

const code = { code: "Platform code, any case (tmsp, 1nce…)" };
const view = ok("The platform as it now is", PlatformView);

export function slotOf(port: AdminPort, code: string): PlatformSlot {
  const world = port.world();
  const slot = world.platform(code.toUpperCase());
  if (!slot)
    throw new ProblemError(404, `No platform ${code}; platforms: ${[...world.platforms.keys()].join(", ")}`);
  return slot;
}

/** A route on one platform: tagged so, its `{code}` described. */
function platformRoute<const E extends AdminEndpoint, const D extends RouteDetails>(
  operationId: string,
  endpoint: E,
  details: D,
) {
  return adminRoute("Platforms", operationId, endpoint, { pathParams: code, ...details } as D);
}

const slotIn = (request: { port: AdminPort; param(name: "code"): string }) =>
  slotOf(request.port, request.param("code"));

/** A change to the live override: a JSON body in, the platform as it now is out. */
function overrideEdit<const S extends z.ZodType, const E extends AdminEndpoint>(
  operationId: string,
  endpoint: E,
  summary: string,
  schema: S,
  merge: (current: Profile | undefined, body: z.output<S>) => Profile | undefined,
) {
  return platformRoute(operationId, endpoint, {
    summary,
    body: { schema, read: "required" },
    responses: { 200: view, ...BAD_BODY, ...NO_PLATFORM },
  }).handle(async (request) => {
    // Every edit's path is /_sim/platforms/{code}/…, which the compiler cannot see through a generic endpoint.
    const slot = slotOf(request.port, request.param("code" as never));
    const body = (await request.body()) as z.output<S>;
    await slot.runtime.editProfileOverride((current) => merge(current, body));
    return platformView(slot);
  });
}

/** A fault or latency setting for the whole platform, or for one of its operations. */
const perOperation = <K extends string>(
  key: K,
  body: { operation?: string | undefined } & Record<K, unknown>,
) => (body.operation ? { operations: { [body.operation]: { [key]: body[key] } } } : { [key]: body[key] });

export const listPlatforms = platformRoute("listPlatforms", "GET /_sim/platforms", {
  summary: "Every platform with its live profile, limits, outages and accounts",
  responses: { 200: ok("The platforms, in CMO order", PlatformList) },
}).handle(({ port }) => Promise.all([...port.world().platforms.values()].map(platformView)));

export const getPlatform = platformRoute("getPlatform", "GET /_sim/platforms/{code}", {
  summary: "One platform",
  responses: { 200: view, ...NO_PLATFORM },
}).handle((request) => platformView(slotIn(request)));

export const patchProfile = overrideEdit(
  "patchProfile",
  "PATCH /_sim/platforms/{code}/profile",
  "Merge into the platform's live profile override",
  PlatformProfile,
  (current, patch) =>
    parseWith(
      PlatformProfile,
      mergeDeep(current ?? {}, patch, new Set(["latency", "duration", "transitions"])),
    ),
);

export const putProfile = overrideEdit(
  "putProfile",
  "PUT /_sim/platforms/{code}/profile",
  "Replace the platform's live profile override",
  PlatformProfile,
  (_current, profile) => profile,
);

export const deleteProfile = platformRoute("deleteProfile", "DELETE /_sim/platforms/{code}/profile", {
  summary: "Drop the live profile override",
  responses: { 200: view, ...NO_PLATFORM },
}).handle(async (request) => {
  const slot = slotIn(request);
  await slot.runtime.setProfileOverride(undefined);
  return platformView(slot);
});

export const putFaults = overrideEdit(
  "putFaults",
  "PUT /_sim/platforms/{code}/faults",
  "Set injected faults, for the platform or one operation",
  FaultsBody,
  (current, body) => mergeDeep(current ?? {}, perOperation("faults", body)),
);

export const putLatency = overrideEdit(
  "putLatency",
  "PUT /_sim/platforms/{code}/latency",
  "Set latency, for the platform or one operation",
  LatencyBody,
  (current, body) => mergeDeep(current ?? {}, perOperation("latency", body), new Set(["latency"])),
);

export const startOutage = platformRoute("startOutage", "POST /_sim/platforms/{code}/outage", {
  summary: "Take the platform down now, for a while or until stopped",
  body: { schema: OutageBody, read: "optional" },
  responses: { 201: ok("The platform with its outage", PlatformView), 400: BAD_BODY[400], ...NO_PLATFORM },
}).handle(async (request) => {
  const slot = slotIn(request);
  const body = await request.body();
  const start = request.port.clock.now();
  await slot.runtime.startOutage({
    start,
    end: body.durationMs === undefined ? undefined : start + body.durationMs,
    status: body.status,
    reason: body.reason,
  });
  return platformView(slot);
});

export const stopOutage = platformRoute("stopOutage", "DELETE /_sim/platforms/{code}/outage", {
  summary: "End the outage in progress",
  responses: { 200: view, ...NO_PLATFORM, 409: problem("No outage in progress") },
}).handle(async (request) => {
  const slot = slotIn(request);
  const ended = await slot.runtime.stopOutages(request.port.clock.now());
  if (ended === 0) throw new ProblemError(409, `${slot.runtime.code} has no outage in progress`);
  return platformView(slot);
});

export const listDevices = platformRoute("listDevices", "GET /_sim/platforms/{code}/devices", {
  summary: "Devices of one account, with native and CMO status",
  query: DevicesQuery,
  responses: {
    200: ok("A page of devices", DevicePage),
    ...BAD_QUERY,
    404: problem("No such platform or account"),
  },
}).handle(async (request) => {
  const { runtime } = slotIn(request);
  const query = request.query();
  const accountId = query.account ?? [...runtime.accounts.keys()][0];
  if (!accountId || !runtime.accounts.has(accountId))
    throw new ProblemError(404, `${runtime.code} has no account ${accountId}`);
  const { offset = 0, limit = 100, status } = query;
  const filter = status
    ? (d: { cmoStatus: string; nativeStatus: string }) => d.cmoStatus === status || d.nativeStatus === status
    : undefined;
  const { total, devices } = filter
    ? await runtime.scanDevices(accountId, filter, offset, limit)
    : {
        total: await runtime.countDevices(accountId),
        devices: await runtime.listDevices(accountId, offset, limit),
      };
  return {
    platform: runtime.code,
    account: accountId,
    total,
    devices: devices.map((d) => deviceView(runtime, d)),
  };
});

/** Provider states and test set-up put a device in a status directly; platform rules are bypassed. */
export const setDevice = platformRoute("setDevice", "PUT /_sim/platforms/{code}/devices/{nativeId}", {
  summary: "Put a device in a status directly, bypassing the platform's rules",
  pathParams: { ...code, nativeId: "ICCID or terminal serial number" },
  body: { schema: DeviceBody, read: "required" },
  responses: { 200: ok("The device", DeviceView), ...BAD_BODY, 404: problem("No such platform or device") },
}).handle(async (request) => {
  const { runtime } = slotIn(request);
  const nativeId = request.param("nativeId");
  const device = await runtime.device(nativeId);
  if (!device) throw new ProblemError(404, `${runtime.code} has no device ${nativeId}`);
  const body = await request.body();
  const vocabulary = runtime.definition.vocabulary;
  const nativeStatus =
    "nativeStatus" in body
      ? body.nativeStatus
      : (vocabulary.initial[body.status] ?? vocabulary.target[body.status]);
  if (nativeStatus === undefined || !(nativeStatus in vocabulary.toCmo)) {
    throw new ProblemError(
      400,
      `${runtime.code} has no status for ${JSON.stringify(body)}; native statuses: ${Object.keys(vocabulary.toCmo).join(", ")}`,
      "Invalid Action",
    );
  }
  await runtime.setStatus(nativeId, nativeStatus);
  return deviceView(runtime, (await runtime.device(nativeId)) as Device);
});
