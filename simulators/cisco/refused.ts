import type { Hono } from "hono";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { noAccess } from "./errors.js";

type Method = "get" | "post" | "put" | "delete";

/**
 * Documented functions this fake answers with a refusal, so a client learns at once that they are
 * not there instead of reaching an unknown route: the operator-only account functions (refused to
 * every enterprise user, as Control Center refuses them), and the enterprise functions cmo-sim does
 * not simulate. Each is `[method, path, function name]`.
 */
const OPERATOR_ONLY: ReadonlyArray<[Method, string, string]> = [
  ["get", "/accounts", "Get All Accounts"],
  ["post", "/accounts", "Create Account"],
  ["get", "/accounts/:accountId", "Get Account Details"],
  ["put", "/accounts/:accountId", "Edit Account Details"],
  ["get", "/accounts/:accountId/applicationSettings", "Get Application Settings"],
  ["put", "/accounts/:accountId/applicationSettings", "Edit Application Settings"],
  ["get", "/accounts/:accountId/billingSettings", "Get Billing Settings"],
  ["put", "/accounts/:accountId/billingSettings", "Edit Billing Settings"],
  ["get", "/accounts/:accountId/ratePlans", "Get Available Rate Plans"],
  ["put", "/accounts/:accountId/ratePlans", "Edit Available Rate Plans"],
];

const NOT_SIMULATED: ReadonlyArray<[Method, string, string]> = [
  ["get", "/customers/:customerId", "Get Customer Details"],
  ["put", "/customers/:customerId", "Edit Customer Details"],
  ["post", "/customers", "Create a Customer"],
  ["get", "/rateplans", "Get Rate Plans"],
  ["get", "/usages", "Get Usage by Rate Plan"],
  ["get", "/devices/:iccid/locationHistory", "Get Device Location History"],
  ["get", "/eventplan/:iccid", "Get Event Rate Plans Assigned to Device"],
  ["put", "/eventplan/:iccid", "Assign Event Rate Plan to Device"],
  ["put", "/editeventplan/:iccid", "Edit Event Rate Plans Assigned to Device"],
  ["get", "/users", "Get Users"],
  ["post", "/users", "Create User"],
  ["get", "/users/:userId", "Get User Details"],
  ["put", "/users/:userId", "Edit User"],
  ["delete", "/users/:userId", "Delete User"],
  ["put", "/users/:userId/resetPassword", "Reset Password"],
  ["get", "/apikey/:userId", "Get API Key"],
  ["get", "/dynareport/acct/usage", "Get Aggregated Usage by Account"],
  ["get", "/dynareport/acct/device/subscriptions", "Get Device Subscriptions by Account"],
  ["get", "/dynareport/acct/topk/usage", "Get Top K Usage by Account"],
];

export function refusedRoutes(app: Hono<NativeEnv>, { guard, fail }: NativeApiKit, base: string): void {
  const refuse = (routes: ReadonlyArray<[Method, string, string]>, why: (name: string) => string) => {
    // A refusal changes nothing, so it counts as a read whatever its method.
    for (const [method, path, name] of routes)
      app[method](`${base}${path}`, guard("read"), (c) => fail(c, noAccess(why(name))));
  };
  refuse(OPERATOR_ONLY, (name) => `${name} is an operator function; enterprise users may not call it.`);
  refuse(NOT_SIMULATED, (name) => `${name} is documented by Control Center but not simulated by cmo-sim.`);
}
