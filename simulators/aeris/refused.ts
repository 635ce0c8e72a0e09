import type { Hono } from "hono";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { notSimulated } from "./problem.js";

/**
 * Endpoints of the same vendor documents that the fake does not simulate: each answers a 400
 * problem with code NOT_SIMULATED (after authentication and the rate limit, like any call), so a
 * client can tell "not simulated" from "not found".
 */
const REFUSED: Array<{ method: "get" | "post" | "delete"; path: string; what: string }> = [
  {
    method: "delete",
    path: "/iot/api/sica/subscriptions/sim-orders/:requestId",
    what: "Cancelling a SIM order (the fake takes no SIM orders)",
  },
  {
    method: "post",
    path: "/iot/api/subscriptions/changes/requests",
    what: "The subscription change history (Subscription change history API)",
  },
  {
    method: "get",
    path: "/iot/api/subscriptions/changes/requests/:requestId",
    what: "The subscription change history (Subscription change history API)",
  },
];

export function refusedRoutes(app: Hono<NativeEnv>, { guard, fail }: NativeApiKit): void {
  for (const { method, path, what } of REFUSED)
    app[method](path, guard("read"), (c) => fail(c, notSimulated(what)));
}
