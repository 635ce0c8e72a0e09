import type { Hono } from "hono";
import { authenticateBearer } from "../shared/auth.js";
import type { NativeApi, NativeApiKit, NativeEnv } from "../shared/types.js";
import { renderError } from "./errors.js";
import { eventRoutes } from "./event-routes.js";
import { readRoutes } from "./read-routes.js";
import { refusedRoutes } from "./refused.js";
import { simRoutes } from "./sim-routes.js";
import { smsRoutes } from "./sms-routes.js";
import { tokenRoute } from "./token.js";

/**
 * 1NCE Management API, v1 and v2 side by side under `/management-api`: the token endpoint, SIM
 * lists, reads and updates, the bulk update queue (v1), per-SIM status, connectivity, usage,
 * quotas, events and SMS. What 1NCE documents and the simulator does not model is refused
 * (refused.ts); simulators/1nce/README.md lists every endpoint with its source.
 */
function routes(app: Hono<NativeEnv>, kit: NativeApiKit): void {
  tokenRoute(app, kit);
  // Static paths first: `GET /v1/sims/limits` must not be taken for a SIM called "limits".
  refusedRoutes(app, kit);
  simRoutes(app, kit);
  readRoutes(app, kit);
  eventRoutes(app, kit);
  smsRoutes(app, kit);
}

export const onceApi: NativeApi = {
  renderError,
  authenticate: (c, runtime) => authenticateBearer(c, runtime),
  routes,
};
