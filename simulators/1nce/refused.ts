import type { Hono } from "hono";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { notSimulated } from "./errors.js";
import { BASE } from "./request.js";

/**
 * Endpoints of 1NCE's SIM Management specs (v1 and v2) this simulator does not model: each answers
 * 400 in 1NCE's envelope saying so, after the usual authentication and rate limit, never a 200
 * that did nothing. Registered before the `/{iccid}` routes, so `/v1/sims/limits` is not read as
 * a SIM.
 */
const REFUSED: ReadonlyArray<{ method: "get" | "post"; path: string; what: string }> = [
  { method: "post", path: "/v1/sims/:iccid/reset", what: "Connectivity reset" },
  { method: "post", path: "/v2/sims/:iccid/reset", what: "Connectivity reset" },
  { method: "post", path: "/v1/sims/:iccid/topup", what: "Top-up" },
  { method: "post", path: "/v2/sims/:iccid/topup", what: "Top-up" },
  { method: "post", path: "/v1/sims/topup", what: "Top-up of several SIMs" },
  { method: "post", path: "/v1/sims/autoTopup", what: "Auto top-up" },
  { method: "get", path: "/v1/sims/limits", what: "Self-set monthly limits" },
  { method: "post", path: "/v1/sims/limits", what: "Self-set monthly limits" },
  { method: "get", path: "/v1/sims/:service/limits", what: "Selectable limits" },
  { method: "post", path: "/v1/sims/simTransfer", what: "SIM transfer" },
  { method: "post", path: "/v1/sims/extension", what: "SIM extension" },
];

export function refusedRoutes(app: Hono<NativeEnv>, { guard, fail }: NativeApiKit): void {
  for (const { method, path, what } of REFUSED)
    app[method](`${BASE}${path}`, guard("read"), (c) => fail(c, notSimulated(what)));
}
