import { type Context, type ErrorHandler, Hono } from "hono";
import { BoundedMemo } from "../engine/bounded-memo.js";
import { parseWith, readJsonBody } from "../http/body.js";
import { ProblemError, problemErrorHandler } from "../http/problem.js";
import { parseQuery } from "../http/query.js";
import type { CmoAuth, CmoAuthEnv } from "./auth.js";
import type { Scope } from "./claims.js";
import { linkHeader, type MonitorRecord, renderMonitor } from "./monitor-model.js";
import { interpretPatch, PATCH_TYPES, type PatchDialect } from "./patch.js";
import { project } from "./products.js";
import { BatchBody, FindBody, listQuery } from "./schemas.js";
import type { CmoService, RecordedRequest } from "./service.js";

export interface CmoRouteSettings {
  basePath: string;
  batchLimit: number;
  pageSizeDefault: number;
  pageSizeMax: number;
  tenants: () => string[];
  trustProxy: boolean;
  /** Called when the CMO answers with a 5xx it did not mean to (for logs). */
  onUnexpectedError?: ((error: unknown, path: string) => void) | undefined;
}

/** A host[:port] as a Host header may name it: a DNS name, an IPv4 address or a bracketed IPv6 one. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Origins by the URL text before its path: parsing a URL per request showed up in profiles. Hosts a
 * server is reached by are few; the bound guards against a client inventing them.
 */
const origins = new BoundedMemo<string, string>(100);

function ownOrigin(url: string): string {
  const pathAt = url.indexOf("/", url.indexOf("//") + 2);
  const head = pathAt === -1 ? url : url.slice(0, pathAt);
  return origins.get(head) ?? origins.keep(head, new URL(url).origin);
}

/**
 * Origin as the client sees it. Behind a proxy the user runs (`server.trustProxy`), that is what
 * X-Forwarded-Proto and -Host say, once checked: they end up in hrefs and in Link headers, where a
 * crafted value could add a relation of its own. Without it they are ignored: any client can send them.
 */
function origin(c: Context, trustProxy: boolean): string {
  if (!trustProxy) return ownOrigin(c.req.url);
  const url = new URL(c.req.url);
  const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
  if (proto !== undefined && proto !== "http" && proto !== "https")
    throw new ProblemError(400, `X-Forwarded-Proto must be http or https, not '${proto}'`);
  if (host !== undefined && !HOST.test(host))
    throw new ProblemError(400, "X-Forwarded-Host is not a host name with an optional port");
  return `${proto ?? url.protocol.replace(":", "")}://${host ?? url.host}`;
}

function patchDialect(contentType: string | undefined): PatchDialect {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const dialect = PATCH_TYPES[type];
  if (!dialect)
    throw new ProblemError(
      415,
      `Content-Type must be ${Object.keys(PATCH_TYPES).join(" or ")}${type ? `, not ${type}` : ""}`,
    );
  return dialect;
}

function recorded(c: Context, body: unknown): RecordedRequest {
  return {
    method: c.req.method,
    body,
    headers: [
      { name: "accept", value: c.req.header("accept") ?? "*/*" },
      { name: "content-type", value: c.req.header("content-type") ?? "" },
    ],
  };
}

/** Answers JSON and notes the correlationId the body carries (the first entity's, for lists) for the log. */
function answer(c: Context, body: Record<string, unknown>): Response {
  const first = (body.entities as Array<{ correlationId?: string }> | undefined)?.[0];
  c.set("correlationId", (body.correlationId as string | undefined) ?? first?.correlationId);
  return c.json(body);
}

/**
 * The routes as one app whose handlers turn their own errors into problems, as an `onError` would.
 * Not an `onError`: Hono runs each route of a mounted sub-app that has one inside a composed chain
 * built per request, which cost every CMO request two of them (guard and handler), held across the
 * native call (row e in bench/run.ts).
 */
function withProblems(routes: Hono<CmoAuthEnv>, onError: ErrorHandler<CmoAuthEnv>): Hono<CmoAuthEnv> {
  const app = new Hono<CmoAuthEnv>();
  for (const { method, path, handler } of routes.routes)
    app.on(method, path, async (c, next) => {
      try {
        return await handler(c, next);
      } catch (error) {
        // What Hono's compose does with an error handler: Errors only, kept on the context.
        if (!(error instanceof Error)) throw error;
        c.error = error;
        c.res = await onError(error, c);
        return c.res;
      }
    });
  return app;
}

/**
 * The CMO front's HTTP surface, as `cmo-api.md` §3 lists it: its token endpoint and API as one app
 * in which every error is a CMO problem body, mounted at the simulator's root.
 */
export function createCmoApp(
  auth: CmoAuth,
  service: CmoService,
  settings: CmoRouteSettings,
): Hono<CmoAuthEnv> {
  const app = new Hono<CmoAuthEnv>();
  auth.register(app);
  const base = settings.basePath.replace("{tenant}", ":tenant");
  const basePrefix = settings.basePath.split("{tenant}")[0] as string;
  const ListQuery = listQuery(settings);

  const scope = (c: Context): Scope => {
    const tenant = c.req.param("tenant") as string;
    if (!settings.tenants().includes(tenant)) throw new ProblemError(404, `Tenant ${tenant} not found`);
    return { tenant, base: `${origin(c, settings.trustProxy)}${basePrefix}${tenant}` };
  };

  const accepted = (c: Context, monitor: MonitorRecord, s: Scope, productPath: string) => {
    const body = renderMonitor(monitor, s.base);
    c.set("correlationId", body.correlationId as string);
    return c.json(body, 202, {
      link: linkHeader(body.href as string, `${s.base}/${productPath}`),
      location: body.href as string,
    });
  };

  app.get(`${base}/product`, auth.guard("read"), async (c) => {
    const s = scope(c);
    const query = parseQuery(c, ListQuery);
    const pageSize = query.pageSize ?? settings.pageSizeDefault;
    const pageNumber = query.pageNumber ?? 1;
    const fieldsRaw = c.req.query("fields");
    const { entities, total } = await service.list(s, pageNumber, pageSize);
    const link = (page: number) => {
      const search = new URLSearchParams({ pageSize: String(pageSize), pageNumber: String(page) });
      if (fieldsRaw !== undefined) search.set("fields", fieldsRaw);
      return `${s.base}/product?${search}`;
    };
    const links = [{ type: "self", url: link(pageNumber) }];
    if (pageNumber * pageSize < total) links.push({ type: "next", url: link(pageNumber + 1) });
    if (pageNumber > 1)
      links.push({
        type: "prev",
        url: link(Math.min(pageNumber - 1, Math.max(1, Math.ceil(total / pageSize)))),
      });
    c.set("correlationId", entities[0]?.correlationId as string | undefined);
    return c.json({
      entities: entities.map((e) => project(e, query.fields)),
      statistics: { currentPage: pageNumber, pageSize, totalCount: total },
      links,
    });
  });

  app.post(`${base}/product/find`, auth.guard("read"), async (c) => {
    const s = scope(c);
    const body = parseWith(FindBody, await readJsonBody(c));
    const identifiers = [
      ...(body.iccidList ?? []).map((id) => ({ id, kind: "iccid" as const })),
      ...(body.terminalSNList ?? []).map((id) => ({ id, kind: "terminal" as const })),
    ];
    if (identifiers.length > settings.batchLimit)
      throw new ProblemError(
        400,
        `find accepts at most ${settings.batchLimit} identifiers, got ${identifiers.length}`,
        "Missing or malformed parameter",
      );
    return answer(c, await service.find(s, identifiers, c.req.path));
  });

  app.get(`${base}/product/:id`, auth.guard("read"), async (c) => {
    const s = scope(c);
    return answer(c, await service.read(s, service.parse(c.req.param("id"))));
  });

  app.patch(`${base}/product/:id`, auth.guard("write"), async (c) => {
    const s = scope(c);
    const dialect = patchDialect(c.req.header("content-type"));
    const ref = service.parse(c.req.param("id"));
    const body = await readJsonBody(c, Object.keys(PATCH_TYPES));
    const target =
      ref.sub === undefined
        ? "composite"
        : ref.sub === "simCard" || ref.sub === "terminal"
          ? "device"
          : "other";
    const result = await service.patch(s, ref, interpretPatch(body, dialect, target), recorded(c, body));
    return result.kind === "sync"
      ? answer(c, result.body)
      : accepted(c, result.monitor, s, result.productPath);
  });

  app.patch(`${base}/product`, auth.guard("write"), async (c) => {
    const s = scope(c);
    const body = parseWith(BatchBody, await readJsonBody(c));
    const ids = body.productIdList;
    if (ids.length > settings.batchLimit)
      throw new ProblemError(
        400,
        `A batch may hold at most ${settings.batchLimit} products, got ${ids.length}`,
        "Missing or malformed parameter",
      );
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate)
      throw new ProblemError(400, `productIdList names ${duplicate} twice`, "Missing or malformed parameter");
    const innerType =
      body.request.headers?.find((h) => h.name.toLowerCase() === "content-type")?.value ??
      "application/json-patch+json";
    let dialect: PatchDialect;
    try {
      dialect = patchDialect(innerType);
    } catch {
      throw new ProblemError(
        400,
        `request.headers Content-Type must be ${Object.keys(PATCH_TYPES).join(" or ")}, not ${innerType}`,
        "Missing or malformed parameter",
      );
    }
    const intent = interpretPatch(body.request.body, dialect, "device");
    const monitor = await service.batch(s, ids, intent, recorded(c, body));
    return accepted(c, monitor, s, `product/${ids[0]}`);
  });

  app.get(`${base}/monitor/:id`, auth.guard("read"), async (c) => {
    const s = scope(c);
    return answer(c, renderMonitor(await service.monitor(s, c.req.param("id")), s.base));
  });

  const notAllowed = (allow: string) => (c: Context) => {
    throw new ProblemError(405, `${c.req.method} is not allowed here; allowed: ${allow}`, undefined, [], {
      allow,
    });
  };
  app.on(["POST", "PUT", "DELETE"], `${base}/product`, notAllowed("GET, PATCH"));
  app.on(["GET", "PUT", "PATCH", "DELETE"], `${base}/product/find`, notAllowed("POST"));
  app.on(["POST", "PUT", "DELETE"], `${base}/product/:id`, notAllowed("GET, PATCH"));
  app.on(["POST", "PUT", "PATCH", "DELETE"], `${base}/monitor/:id`, notAllowed("GET"));
  return withProblems(app, problemErrorHandler(settings.onUnexpectedError));
}
