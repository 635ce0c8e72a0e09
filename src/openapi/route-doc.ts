import type { z } from "zod";

/** A JSON Schema (2020-12, OpenAPI 3.1's dialect) as plain data. */
export type JsonSchema = Record<string, unknown>;

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface ResponseDoc {
  description: string;
  /** The body: one of the API's named components. Absent for bodies without a schema. */
  schema?: z.ZodType | undefined;
  /** Defaults to application/json when there is a schema. */
  contentType?: string | undefined;
  headers?: Record<string, { description: string; schema?: JsonSchema }> | undefined;
}

export interface RequestBodyDoc {
  /** One of the API's named components, validated by the handler itself. */
  schema: z.ZodType;
  contentTypes: readonly string[];
  /** False where an empty body means "all defaults". */
  required?: boolean;
  description?: string;
}

/** One route as the documents show it; the zod schemas are the ones its handler validates with. */
export interface RouteDoc {
  method: HttpMethod;
  /** OpenAPI template: `/product/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Descriptions of the `{name}` parameters in the path. */
  pathParams?: Record<string, string>;
  query?: z.ZodObject;
  body?: RequestBodyDoc;
  /** Whether the API's security requirement applies. */
  secured: boolean;
  responses: Record<number, ResponseDoc>;
}

export interface ApiSpec {
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  routes: RouteDoc[];
  /** Every zod schema a route names, by component name. */
  components: Record<string, z.ZodType>;
  securitySchemes?: Record<string, JsonSchema>;
  /** The requirement of a secured route: any one of these schemes. */
  security?: Array<Record<string, string[]>>;
}

/** A document's tags from their names and descriptions, in the order written. */
export const describedTags = (tags: Record<string, string>): ApiSpec["tags"] =>
  Object.entries(tags).map(([name, description]) => ({ name, description }));
