import type { Hono } from "hono";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { noAccess } from "./errors.js";

type Method = "get" | "post" | "put" | "delete";
/** Path → the function name of each method refused on it. */
type Refusals = Readonly<Record<string, Partial<Record<Method, string>>>>;

/**
 * Documented functions this fake answers with a refusal, so a client learns at once that they are
 * not there instead of reaching an unknown route: the operator-only account functions (refused to
 * every enterprise user, as Control Center refuses them), and the enterprise functions cmo-sim does
 * not simulate.
 */
const OPERATOR_ONLY: Refusals = {
  "/accounts": { get: "Get All Accounts", post: "Create Account" },
  "/accounts/:accountId": { get: "Get Account Details", put: "Edit Account Details" },
  "/accounts/:accountId/applicationSettings": {
    get: "Get Application Settings",
    put: "Edit Application Settings",
  },
  "/accounts/:accountId/billingSettings": { get: "Get Billing Settings", put: "Edit Billing Settings" },
  "/accounts/:accountId/ratePlans": { get: "Get Available Rate Plans", put: "Edit Available Rate Plans" },
};

const NOT_SIMULATED: Refusals = {
  "/customers/:customerId": { get: "Get Customer Details", put: "Edit Customer Details" },
  "/customers": { post: "Create a Customer" },
  "/rateplans": { get: "Get Rate Plans" },
  "/usages": { get: "Get Usage by Rate Plan" },
  "/devices/:iccid/locationHistory": { get: "Get Device Location History" },
  "/eventplan/:iccid": {
    get: "Get Event Rate Plans Assigned to Device",
    put: "Assign Event Rate Plan to Device",
  },
  "/editeventplan/:iccid": { put: "Edit Event Rate Plans Assigned to Device" },
  "/users": { get: "Get Users", post: "Create User" },
  "/users/:userId": { get: "Get User Details", put: "Edit User", delete: "Delete User" },
  "/users/:userId/resetPassword": { put: "Reset Password" },
  "/apikey/:userId": { get: "Get API Key" },
  "/dynareport/acct/usage": { get: "Get Aggregated Usage by Account" },
  "/dynareport/acct/device/subscriptions": { get: "Get Device Subscriptions by Account" },
  "/dynareport/acct/topk/usage": { get: "Get Top K Usage by Account" },
};

export function refusedRoutes(app: Hono<NativeEnv>, { guard, fail }: NativeApiKit, base: string): void {
  const refuse = (refusals: Refusals, why: (name: string) => string) => {
    // A refusal changes nothing, so it counts as a read whatever its method.
    for (const [path, names] of Object.entries(refusals))
      for (const [method, name] of Object.entries(names) as Array<[Method, string]>)
        app[method](`${base}${path}`, guard("read"), (c) => fail(c, noAccess(why(name))));
  };
  refuse(OPERATOR_ONLY, (name) => `${name} is an operator function; enterprise users may not call it.`);
  refuse(NOT_SIMULATED, (name) => `${name} is documented by Control Center but not simulated by cmo-sim.`);
}
