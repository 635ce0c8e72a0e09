import { z } from "zod";
import { type AdminRoute, type BodySpec, NO_PLATFORM, ok, problem } from "../admin/route.js";
import { ADMIN_ROUTES } from "../admin/routes.js";
import {
  AdvanceBody,
  DeviceBody,
  FaultsBody,
  InventoryBody,
  LatencyBody,
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
import type { ApiSpec, HttpMethod, RequestBodyDoc, RouteDoc } from "./route-doc.js";

const OpenApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string() }) });

function bodyDoc({ schema, read }: BodySpec): RequestBodyDoc {
  const doc = { schema, contentTypes: ["application/json"] };
  return read === "optional"
    ? { ...doc, required: false, description: "An empty body takes every default" }
    : doc;
}

/** An admin route as the document shows it, straight from the route table. */
function adminDoc(route: AdminRoute): RouteDoc {
  return {
    method: route.method.toLowerCase() as HttpMethod,
    path: route.path,
    operationId: route.operationId,
    tags: [route.tag],
    secured: false,
    summary: route.summary,
    ...(route.pathParams ? { pathParams: route.pathParams } : {}),
    ...(route.query ? { query: route.query } : {}),
    ...(route.body ? { body: bodyDoc(route.body) } : {}),
    responses: route.responses,
  };
}

type Entry = Pick<RouteDoc, "summary" | "pathParams" | "responses">;

/** A route served outside /_sim that the admin document describes too. */
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

/** The admin API (src/admin/routes.ts), health, metrics and these documents, as the admin document shows them. */
export function adminSpec(): ApiSpec {
  const routes: RouteDoc[] = [
    ...ADMIN_ROUTES.map(adminDoc),
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
      responses: {
        200: { description: "The file" },
        404: problem("Not one of Swagger UI's files"),
      },
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
