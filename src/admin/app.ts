import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { parseWith, readJsonBody, readOptionalJsonBody, readValidBody } from "../http/body.js";
import { parseQuery } from "../http/query.js";
import { adminGuard } from "./guard.js";
import type { AdminPort } from "./ports.js";
import { type AdminRequest, type AdminRoute, type BodySpec, successStatus } from "./route.js";
import { ADMIN_ROUTES, UI_PATH } from "./routes.js";

const PREFIX = "/_sim";

/** `/_sim/platforms/{code}` → `/platforms/:code`, as Hono routes it below the mount point. */
const honoPath = (path: string) => path.slice(PREFIX.length).replace(/\{(\w+)\}/g, ":$1") || "/";

async function readBody(c: Context, spec: BodySpec | undefined): Promise<unknown> {
  if (!spec) return undefined;
  if (spec.read === "required") return readValidBody(c, spec.schema);
  if (spec.read === "optional") return parseWith(spec.schema, await readOptionalJsonBody(c));
  return readJsonBody(c, ["application/json"], spec.maxDepth);
}

function handler(route: AdminRoute, port: AdminPort) {
  const status = successStatus(route);
  return async (c: Context) => {
    const request: AdminRequest<AdminRoute> = {
      port,
      param: (name) => c.req.param(name) as string,
      query: () => (route.query ? parseQuery(c, route.query) : {}) as never,
      body: () => readBody(c, route.body) as never,
    };
    const body = await route.handle(request);
    return status === 204 ? c.body(null, 204) : c.json(body, status as ContentfulStatusCode);
  };
}

/**
 * The simulator's control plane under /_sim, built from the route table (src/admin/routes.ts): live
 * platform profiles, outages and faults, the clock, the inventory, the request journal and state
 * snapshots. Its errors use the CMO problem shape.
 */
export function createAdminApp(port: AdminPort): Hono {
  const app = new Hono();
  // The dashboard page and its login answer a person in HTML; they check the token themselves.
  const page = new RegExp(`^${PREFIX}${UI_PATH}/?(login)?$`);
  app.use(
    "*",
    adminGuard(
      () => {
        const { server } = port.settings();
        return { token: server.adminToken, allowedHosts: server.allowedHosts };
      },
      (c) => page.test(c.req.path),
    ),
  );
  for (const route of ADMIN_ROUTES) app.on(route.method, honoPath(route.path), handler(route, port));
  app.route(UI_PATH, port.ui);
  return app;
}
