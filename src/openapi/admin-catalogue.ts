import { z } from "zod";
import {
  AdvanceBody,
  DeviceBody,
  DevicesQuery,
  FaultsBody,
  InventoryBody,
  JournalQuery,
  LatencyBody,
  MonitorsQuery,
  OutageBody,
  RevokeBody,
} from "../admin/schemas.js";
import { PlatformProfile } from "../config/schema.js";
import { SimState } from "../server/state.js";
import {
  ClockAdvanced,
  ClockView,
  DevicePage,
  DeviceView,
  EndpointIndex,
  Health,
  Inventory,
  JournalPage,
  MonitorList,
  PlatformList,
  PlatformView,
  Reseeded,
  Revoked,
} from "./admin-answers.js";
import { Problem } from "./cmo-answers.js";
import type { ApiSpec, HttpMethod, RequestBodyDoc, ResponseDoc, RouteDoc } from "./route-doc.js";

const OpenApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string() }) });

const problem = (description: string): ResponseDoc => ({ description, schema: Problem });
const ok = (description: string, schema: z.ZodType): ResponseDoc => ({ description, schema });
const noContent: ResponseDoc = { description: "Done" };
const json = (schema: z.ZodType, extra: Partial<RequestBodyDoc> = {}): RequestBodyDoc => ({
  schema,
  contentTypes: ["application/json"],
  ...extra,
});
const optionalJson = (schema: z.ZodType) =>
  json(schema, { required: false, description: "An empty body takes every default" });

const BAD_BODY = {
  400: problem("A body that does not fit the schema (the detail names each field)"),
  415: problem("The body is not application/json"),
};
const NO_PLATFORM = { 404: problem("No such platform") };
const code = { code: "Platform code, any case (tmsp, 1nce…)" };

type Entry = Omit<RouteDoc, "method" | "path" | "tags" | "secured" | "operationId">;

/** One admin route: method and path as `GET /_sim/clock`, so the catalogue reads like the endpoint list. */
function route(tag: string, operationId: string, endpoint: string, entry: Entry): RouteDoc {
  const [method, path] = endpoint.split(" ") as [string, string];
  return {
    method: method.toLowerCase() as HttpMethod,
    path,
    operationId,
    tags: [tag],
    secured: false,
    ...entry,
  };
}

/** The admin API (src/admin/app.ts), health, metrics and these documents, as the admin document shows them. */
export function adminSpec(): ApiSpec {
  const platform = (id: string, endpoint: string, entry: Entry) =>
    route("Platforms", id, endpoint, { pathParams: code, ...entry });
  const view = ok("The platform as it now is", PlatformView);
  /** A change to the live profile: a JSON body in, the platform as it now is out. */
  const edit = (id: string, method: string, what: string, summary: string, schema: z.ZodType) =>
    platform(id, `${method} /_sim/platforms/{code}/${what}`, {
      summary,
      body: json(schema),
      responses: { 200: view, ...BAD_BODY, ...NO_PLATFORM },
    });

  const routes: RouteDoc[] = [
    route("Simulator", "listEndpoints", "GET /_sim", {
      summary: "List the admin endpoints",
      responses: { 200: ok("Endpoints", EndpointIndex) },
    }),
    platform("listPlatforms", "GET /_sim/platforms", {
      summary: "Every platform with its live profile, limits, outages and accounts",
      responses: { 200: ok("The platforms, in CMO order", PlatformList) },
    }),
    platform("getPlatform", "GET /_sim/platforms/{code}", {
      summary: "One platform",
      responses: { 200: view, ...NO_PLATFORM },
    }),
    edit(
      "patchProfile",
      "PATCH",
      "profile",
      "Merge into the platform's live profile override",
      PlatformProfile,
    ),
    edit("putProfile", "PUT", "profile", "Replace the platform's live profile override", PlatformProfile),
    platform("deleteProfile", "DELETE /_sim/platforms/{code}/profile", {
      summary: "Drop the live profile override",
      responses: { 200: view, ...NO_PLATFORM },
    }),
    edit("putFaults", "PUT", "faults", "Set injected faults, for the platform or one operation", FaultsBody),
    edit("putLatency", "PUT", "latency", "Set latency, for the platform or one operation", LatencyBody),
    platform("startOutage", "POST /_sim/platforms/{code}/outage", {
      summary: "Take the platform down now, for a while or until stopped",
      body: optionalJson(OutageBody),
      responses: {
        201: ok("The platform with its outage", PlatformView),
        400: BAD_BODY[400],
        ...NO_PLATFORM,
      },
    }),
    platform("stopOutage", "DELETE /_sim/platforms/{code}/outage", {
      summary: "End the outage in progress",
      responses: { 200: view, ...NO_PLATFORM, 409: problem("No outage in progress") },
    }),
    platform("listDevices", "GET /_sim/platforms/{code}/devices", {
      summary: "Devices of one account, with native and CMO status",
      query: DevicesQuery,
      responses: {
        200: ok("A page of devices", DevicePage),
        400: problem("A malformed query parameter"),
        404: problem("No such platform or account"),
      },
    }),
    platform("setDevice", "PUT /_sim/platforms/{code}/devices/{nativeId}", {
      summary: "Put a device in a status directly, bypassing the platform's rules",
      pathParams: { ...code, nativeId: "ICCID or terminal serial number" },
      body: json(DeviceBody),
      responses: {
        200: ok("The device", DeviceView),
        ...BAD_BODY,
        404: problem("No such platform or device"),
      },
    }),
    route("Simulator", "getInventory", "GET /_sim/inventory", {
      summary: "Seed, tenants and accounts",
      responses: { 200: ok("The inventory", Inventory) },
    }),
    route("Simulator", "reseed", "POST /_sim/inventory", {
      summary: "Rebuild every platform from a new seed, size or tenant list",
      body: json(InventoryBody),
      responses: { 200: ok("The new inventory in numbers", Reseeded), ...BAD_BODY },
    }),
    route("Clock", "getClock", "GET /_sim/clock", {
      summary: "The simulator's clock",
      responses: { 200: ok("The clock", ClockView) },
    }),
    route("Clock", "advanceClock", "POST /_sim/clock/advance", {
      summary: "Move a manual clock forward, firing what falls due",
      body: json(AdvanceBody),
      responses: {
        200: ok("The clock after moving", ClockAdvanced),
        ...BAD_BODY,
        409: problem("The clock is real"),
      },
    }),
    route("Journal", "getJournal", "GET /_sim/journal", {
      summary: "Requests that crossed the simulator, oldest first",
      query: JournalQuery,
      responses: { 200: ok("Journal entries", JournalPage), 400: problem("A malformed query parameter") },
    }),
    route("Journal", "clearJournal", "DELETE /_sim/journal", {
      summary: "Forget the journal",
      responses: { 204: noContent },
    }),
    route("Journal", "listMonitors", "GET /_sim/monitors", {
      summary: "CMO monitors, newest last",
      query: MonitorsQuery,
      responses: { 200: ok("Monitors", MonitorList), 400: problem("A malformed query parameter") },
    }),
    route("Simulator", "getSnapshot", "GET /_sim/snapshot", {
      summary: "The whole simulator state as one document",
      responses: { 200: ok("The state", SimState) },
    }),
    route("Simulator", "putSnapshot", "PUT /_sim/snapshot", {
      summary: "Restore a state document taken from the same inventory",
      body: json(SimState),
      responses: { 204: noContent, ...BAD_BODY },
    }),
    route("Simulator", "reset", "POST /_sim/reset", {
      summary: "Back to the generated inventory; CMO state and journal cleared",
      responses: { 204: noContent },
    }),
    route("Simulator", "revokeTokens", "POST /_sim/tokens/revoke", {
      summary: "Refuse the tokens issued so far: a CMO client's (or all), or a platform's",
      body: optionalJson(RevokeBody),
      responses: {
        200: ok("What was revoked", Revoked),
        400: BAD_BODY[400],
        ...NO_PLATFORM,
      },
    }),
    route("Operations", "health", "GET /health", {
      summary: "Liveness",
      responses: { 200: ok("Alive", Health) },
    }),
    route("Operations", "metrics", "GET /metrics", {
      summary: "Prometheus metrics",
      responses: { 200: { description: "Metrics in the Prometheus text format", contentType: "text/plain" } },
    }),
    route("Documentation", "cmoDocument", "GET /openapi.json", {
      summary: "The CMO API's OpenAPI document",
      responses: { 200: ok("OpenAPI 3.1", OpenApiDocument) },
    }),
    route("Documentation", "adminDocument", "GET /_sim/openapi.json", {
      summary: "This document",
      responses: { 200: ok("OpenAPI 3.1", OpenApiDocument) },
    }),
    route("Documentation", "platformDocument", "GET /platforms/{code}/openapi.json", {
      summary: "One native fake's OpenAPI document, generated from its routes",
      pathParams: { code: "Platform code in lower case (tmsp, 1nce…)" },
      responses: { 200: ok("OpenAPI 3.1", OpenApiDocument), ...NO_PLATFORM },
    }),
    route("Documentation", "swaggerUi", "GET /docs", {
      summary: "Swagger UI over these documents (?spec=cmo|admin|<platform code> picks one)",
      responses: { 200: { description: "The page", contentType: "text/html" } },
    }),
    route("Documentation", "swaggerUiAsset", "GET /docs/assets/{file}", {
      summary: "Swagger UI's own files (from swagger-ui-dist)",
      pathParams: { file: "swagger-ui.css, swagger-ui-bundle.js, swagger-ui-standalone-preset.js…" },
      responses: { 200: { description: "The file" }, 404: problem("Not one of Swagger UI's files") },
    }),
  ];
  return {
    info: {
      title: "cmo-sim admin API",
      version: "1",
      description:
        "The simulator's control plane: live platform profiles, outages and faults, the clock, the inventory, the journal and state snapshots. Errors use the CMO problem shape. When the server runs with an admin token (--admin-token, server.adminToken), every call needs `Authorization: Bearer <token>` (401 otherwise). Always: calls that change something need `Content-Type: application/json`, body or not (415); a browser's Origin must be the simulator's own, and the Host an IP address, localhost or a configured name (403).",
    },
    tags: [
      { name: "Platforms", description: "Live profiles, faults, latency, outages and devices" },
      { name: "Clock", description: "The simulated clock" },
      { name: "Journal", description: "Request journal and CMO monitors" },
      { name: "Simulator", description: "Inventory, snapshots, reset, tokens" },
      { name: "Operations", description: "Health and metrics" },
      { name: "Documentation", description: "OpenAPI documents and Swagger UI" },
    ],
    routes,
    components: {
      Problem,
      PlatformView,
      PlatformList,
      PlatformProfile,
      FaultsBody,
      LatencyBody,
      OutageBody,
      DevicePage,
      DeviceView,
      DeviceBody,
      Inventory,
      InventoryBody,
      Reseeded,
      ClockView,
      ClockAdvanced,
      AdvanceBody,
      JournalPage,
      MonitorList,
      SimState,
      RevokeBody,
      Revoked,
      EndpointIndex,
      Health,
      OpenApiDocument,
    },
  };
}
