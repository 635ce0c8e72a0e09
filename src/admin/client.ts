import type { z } from "zod";
import { type Answer, detailOf, type Endpoint, readAnswer } from "../scenario/endpoint.js";
import type { AdminRouteSpec, BodySpec, ParamName } from "./route.js";

type Params<R extends AdminRouteSpec> = [ParamName<R["path"]>] extends [never]
  ? unknown
  : { params: Record<ParamName<R["path"]>, string> };
type Query<R extends AdminRouteSpec> = R["query"] extends z.ZodObject
  ? { query?: z.input<R["query"]> }
  : unknown;
type Body<R extends AdminRouteSpec> =
  R["body"] extends BodySpec<infer S>
    ? R["body"] extends { read: "required" }
      ? { body: z.input<S> }
      : { body?: z.input<S> }
    : unknown;

/** What a call to the route takes: its path parameters, query and body, typed by its schemas. */
export type AdminInput<R extends AdminRouteSpec> = Params<R> & Query<R> & Body<R>;

type SuccessSchema<R extends AdminRouteSpec> = R["responses"] extends { 200: { schema: infer S } }
  ? S
  : R["responses"] extends { 201: { schema: infer S } }
    ? S
    : undefined;

/** What the route answers when it succeeds, as its documented schema says. */
export type AdminAnswer<R extends AdminRouteSpec> =
  SuccessSchema<R> extends z.ZodType ? z.output<SuccessSchema<R>> : undefined;

export class AdminError extends Error {}

/**
 * What every admin call carries: the admin token of a locked simulator, and a JSON content type on
 * calls that change something, body or not (the admin API refuses anything a foreign web page could
 * send without asking first).
 */
function adminHeaders(method: string, token?: string): Record<string, string> {
  return {
    ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

function pathOf(route: AdminRouteSpec, input: { params?: Record<string, string>; query?: object }): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(input.params?.[name] ?? ""),
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query ?? {}))
    if (value !== undefined) query.set(name, String(value));
  return query.size > 0 ? `${path}?${query}` : path;
}

/**
 * The simulator's control plane (`/_sim`) as a typed client over its route table: in-process (a
 * simulator's fetch) or over HTTP, the same calls either way.
 */
export class AdminClient {
  constructor(
    private readonly endpoint: Endpoint,
    /** The admin token of a locked cmo-sim (`--admin-token`). */
    private readonly token?: string,
  ) {}

  static at(baseUrl: string, token?: string): AdminClient {
    return new AdminClient({ base: baseUrl.replace(/\/+$/, ""), fetch: (request) => fetch(request) }, token);
  }

  /** Any call below the admin prefix, with the headers the admin API wants; `path` starts with /_sim. */
  request(method: string, path: string, body?: unknown): Promise<Response> {
    const init: RequestInit = {
      method,
      headers: { accept: "application/json", ...adminHeaders(method, this.token) },
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    return this.endpoint.fetch(new Request(`${this.endpoint.base}${path}`, init));
  }

  /** The route's answer, whatever its status. */
  async send<R extends AdminRouteSpec>(route: R, input: AdminInput<R>): Promise<Answer> {
    const given = input as { params?: Record<string, string>; query?: object; body?: unknown };
    return readAnswer(await this.request(route.method, pathOf(route, given), given.body));
  }

  /** The route's answer when it succeeds; an `AdminError` naming the call and the problem otherwise. */
  async call<R extends AdminRouteSpec>(route: R, input: AdminInput<R>): Promise<AdminAnswer<R>> {
    const given = input as { params?: Record<string, string>; query?: object };
    const answer = await this.send(route, input);
    if (answer.status >= 300)
      throw new AdminError(
        `${route.method} ${pathOf(route, given)}: ${answer.status} ${detailOf(answer.body) ?? ""}`.trim(),
      );
    return answer.body as AdminAnswer<R>;
  }

  /**
   * Whether the endpoint is a cmo-sim (anything else has no /_sim): "locked" when it is one whose
   * admin API wants a token this client does not have.
   */
  async detect(): Promise<boolean | "locked"> {
    try {
      const answer = await readAnswer(await this.request("GET", "/_sim/platforms"));
      if (answer.status === 401 && answer.headers.get("www-authenticate")?.includes("cmo-sim admin"))
        return "locked";
      return answer.status === 200 && Array.isArray(answer.body);
    } catch {
      return false;
    }
  }
}
