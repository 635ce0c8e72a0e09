import type { z } from "zod";
import { Problem } from "../openapi/cmo-answers.js";
import type { ResponseDoc } from "../openapi/route-doc.js";
import type { AdminPort } from "./ports.js";

export type AdminMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * How a route reads its body. `required`: a JSON document that fits the schema; `optional`: an empty
 * body takes every default; `document`: any JSON up to `maxDepth`, which the handler's own checks
 * judge (the schema documents it).
 */
export interface BodySpec<S extends z.ZodType = z.ZodType> {
  schema: S;
  read: "required" | "optional" | "document";
  maxDepth?: number;
}

/** One admin route as data: the app, the `/_sim` index, the OpenAPI document and the client read it. */
export interface AdminRouteSpec {
  operationId: string;
  tag: string;
  method: AdminMethod;
  /** OpenAPI template below the admin prefix: `/_sim/platforms/{code}`. */
  path: `/_sim${string}`;
  summary: string;
  /** Descriptions of the `{name}` segments. */
  pathParams?: Record<string, string>;
  query?: z.ZodObject;
  body?: BodySpec;
  /** Every answer the route gives; the lowest 2xx is the status of success. */
  responses: Record<number, ResponseDoc>;
}

/** `{code}` and `{nativeId}` of `/_sim/platforms/{code}/devices/{nativeId}`. */
export type ParamName<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamName<Rest>
  : never;

type QueryOf<R extends AdminRouteSpec> = R["query"] extends z.ZodObject ? R["query"] : never;
type BodySchemaOf<R extends AdminRouteSpec> = R["body"] extends BodySpec<infer S> ? S : never;

/** What a handler may ask of its request, each part read (and refused) only when asked for. */
export interface AdminRequest<R extends AdminRouteSpec> {
  readonly port: AdminPort;
  param(name: ParamName<R["path"]>): string;
  query(): z.output<QueryOf<R>>;
  body(): Promise<R["body"] extends { read: "document" } ? unknown : z.output<BodySchemaOf<R>>>;
}

/** A handler answers its route's success status with this body (none for a 204). */
export type AdminHandler<R extends AdminRouteSpec> = (request: AdminRequest<R>) => unknown;

export type AdminRoute<R extends AdminRouteSpec = AdminRouteSpec> = R & { handle: AdminHandler<R> };

/** `POST /_sim/platforms/{code}/outage`: method and path, so a route reads like the endpoint list. */
export type AdminEndpoint = `${AdminMethod} /_sim${string}`;
export type RouteDetails = Omit<AdminRouteSpec, "operationId" | "tag" | "method" | "path">;
export type SpecOf<E extends AdminEndpoint, D extends RouteDetails> = D & {
  operationId: string;
  tag: string;
  method: E extends `${infer M extends AdminMethod} ${string}` ? M : never;
  path: E extends `${AdminMethod} ${infer P extends `/_sim${string}`}` ? P : never;
};

/** A route's documentation first, then its handler: `adminRoute(…).handle((request) => answer)`. */
export function adminRoute<const E extends AdminEndpoint, const D extends RouteDetails>(
  tag: string,
  operationId: string,
  endpoint: E,
  details: D,
): { handle(handler: AdminHandler<SpecOf<E, D>>): AdminRoute<SpecOf<E, D>> } {
  const [method, path] = endpoint.split(" ");
  return {
    handle: (handle) => ({ ...details, tag, operationId, method, path, handle }) as AdminRoute<SpecOf<E, D>>,
  };
}

/** The status a route answers when it succeeds. */
export function successStatus(route: AdminRouteSpec): number {
  return Math.min(...Object.keys(route.responses).map(Number));
}

export const problem = (description: string): ResponseDoc => ({ description, schema: Problem });
export const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, schema });
export const noContent: ResponseDoc = { description: "Done" };
export const BAD_BODY = {
  400: problem("A body that does not fit the schema (the detail names each field)"),
  415: problem("The body is not application/json"),
};
export const BAD_QUERY = { 400: problem("A malformed query parameter") };
export const NO_PLATFORM = { 404: problem("No such platform") };
