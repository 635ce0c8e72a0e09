import { z } from "zod";
import { escapeRegex } from "../contracts/regex.js";
import { ComponentSet, renameRefs } from "./components.js";
import type { ApiSpec, JsonSchema, RouteDoc } from "./route-doc.js";

export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths: Record<string, Record<string, JsonSchema>>;
  components: Record<string, Record<string, JsonSchema>> & { schemas: Record<string, JsonSchema> };
};

export const OPENAPI_VERSION = "3.1.1";

/** `{name}` segments of an OpenAPI path template, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

/** OpenAPI path template of a Hono route path (`/product/:id` → `/product/{id}`). */
export const openApiPath = (honoPath: string): string => honoPath.replace(/:(\w+)(\{[^}]*\})?\??/g, "{$1}");

/** Whether an OpenAPI path template (`/product/{id}`) covers a concrete path (no query string). */
export function templateCovers(template: string, path: string): boolean {
  return new RegExp(
    `^${template
      .split(/\{\w+\}/)
      .map(escapeRegex)
      .join("[^/]+")}$`,
  ).test(path);
}

function parameters(route: RouteDoc): JsonSchema[] {
  const inPath = pathParamNames(route.path).map((name) => ({
    name,
    in: "path",
    required: true,
    ...(route.pathParams?.[name] ? { description: route.pathParams[name] } : {}),
    schema: { type: "string" },
  }));
  if (!route.query) return inPath;
  const json = z.toJSONSchema(route.query, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  const inQuery = Object.entries(json.properties ?? {}).map(([name, { description, ...schema }]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    ...(description ? { description } : {}),
    schema,
  }));
  return [...inPath, ...inQuery];
}

function operation(route: RouteDoc, spec: ApiSpec, components: ComponentSet): JsonSchema {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  const responses: JsonSchema = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    responses[status] = {
      description: doc.description,
      ...(doc.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(doc.headers).map(([name, h]) => [name, { schema: { type: "string" }, ...h }]),
            ),
          }
        : {}),
      ...(doc.schema
        ? {
            content: {
              [doc.contentType ?? "application/json"]: {
                schema: components.ref(doc.schema, "response", `${where} ${status}`),
              },
            },
          }
        : doc.contentType
          ? { content: { [doc.contentType]: { schema: { type: "string" } } } }
          : {}),
    };
  }
  const params = parameters(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required ?? true,
            ...(route.body.description ? { description: route.body.description } : {}),
            content: Object.fromEntries(
              route.body.contentTypes.map((type) => [
                type,
                { schema: components.ref(route.body?.schema as z.ZodType, "request", where) },
              ]),
            ),
          },
        }
      : {}),
    security: route.secured ? (spec.security ?? []) : [],
    responses,
  };
}

/** An OpenAPI 3.1 document for a catalogue of routes; schemas become `components.schemas`. */
export function buildDocument(spec: ApiSpec): OpenApiDocument {
  const components = new ComponentSet(spec.components);
  const paths: OpenApiDocument["paths"] = {};
  for (const route of spec.routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method] = operation(route, spec, components);
  }
  const { schemas, rename } = components.build();
  return {
    openapi: OPENAPI_VERSION,
    info: spec.info,
    servers: [{ url: "/" }],
    tags: spec.tags,
    paths: renameRefs(paths, rename),
    components: {
      schemas,
      ...(spec.securitySchemes ? { securitySchemes: spec.securitySchemes } : {}),
    },
  };
}
