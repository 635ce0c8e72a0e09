import type { Context, Hono } from "hono";
import { badRequest } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { regions } from "./catalogue.js";
import {
  findSubscription,
  type IdentifierType,
  identifierOf,
  identifierType,
  SIM_RESOURCE_IDENTIFIERS,
  SUBSCRIPTION_LIST_IDENTIFIERS,
} from "./identifiers.js";
import { intQuery, singleQuery, unknownQuery } from "./input.js";
import { filteredPage, orderedPage } from "./ordered-list.js";
import { organisation } from "./organisation.js";
import { type AerisError, isProblem, subscriptionNotFound } from "./problem.js";
import { simResource } from "./sim-resource.js";
import { subscriptionReader } from "./subscription.js";

/**
 * SICA reads: one SIM by identifier, a SIM and the ones after it (`range`), SIMs by customer label
 * with offset paging, and the regions a subscription may move to. `sim-resources` and `sims` are
 * the same query with different caps (the vendor keeps both).
 */

const BASE = "/iot/api/sica/subscriptions";
/** The two generations of multi-SIM reads and their cap, on `range` and `chunk_size` alike. */
const MULTI_SIM_READS = [
  ["sim-resources", 50],
  ["sims", 500],
] as const;

/** The SIM named by the path and `identifier_type`, in the caller's organisation. */
async function namedSim(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  allowed: readonly IdentifierType[],
): Promise<{ device: Device; type: IdentifierType } | AerisError> {
  const type = identifierType(singleQuery(c, "identifier_type"), allowed, "identifier_type");
  if (isProblem(type)) return type;
  const id = c.req.param("id") ?? "";
  const device = await findSubscription(runtime, c.get("account").id, type, id);
  return device ? { device, type } : subscriptionNotFound(`Subscription with ${type} ${id} not found`);
}

/** The named SIM and the `range` - 1 that follow it in the order of the identifier it was named by. */
async function simRange(
  runtime: PlatformRuntime,
  accountId: string,
  from: Device,
  type: IdentifierType,
  range: number,
) {
  const after = identifierOf(from.record, type);
  const rest =
    type === "IMEI"
      ? (await filteredPage(runtime, accountId, type, after, range - 1, () => true)).devices
      : (await orderedPage(runtime, accountId, type, after, range - 1)).devices;
  return [from, ...rest];
}

export function simRoutes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  const answer = async (c: Context, devices: Device[]) => {
    const read = await subscriptionReader(runtime);
    return c.json({ sims: devices.map((d) => simResource(runtime, read(d))) });
  };

  app.get(`${BASE}/sim-resource/:id`, guard("read"), async (c) => {
    const unknown = unknownQuery(c, ["identifier_type"]);
    if (unknown) return fail(c, unknown);
    const named = await namedSim(c, runtime, SIM_RESOURCE_IDENTIFIERS);
    return isProblem(named) ? fail(c, named) : answer(c, [named.device]);
  });

  for (const [path, rangeMax] of MULTI_SIM_READS) {
    app.get(`${BASE}/${path}/:id`, guard("list"), async (c) => {
      const unknown = unknownQuery(c, ["identifier_type", "range"]);
      if (unknown) return fail(c, unknown);
      const range = intQuery(c, "range", { min: 1, max: rangeMax, fallback: 1 });
      if (isProblem(range)) return fail(c, range);
      const named = await namedSim(c, runtime, SIM_RESOURCE_IDENTIFIERS);
      if (isProblem(named)) return fail(c, named);
      const accountId = c.get("account").id;
      return answer(c, await simRange(runtime, accountId, named.device, named.type, range as number));
    });
  }

  for (const [path, chunkMax] of MULTI_SIM_READS) {
    app.get(`${BASE}/${path}`, guard("list"), async (c) => {
      const unknown = unknownQuery(c, [
        "label",
        "organization_id",
        "company_id",
        "start_number",
        "chunk_size",
      ]);
      if (unknown) return fail(c, unknown);
      const label = singleQuery(c, "label");
      if (isProblem(label)) return fail(c, label);
      if (!label) return fail(c, badRequest("label is mandatory"));
      const start = intQuery(c, "start_number", { min: 0, max: 999_999_999 });
      const chunk = intQuery(c, "chunk_size", { min: 1, max: chunkMax });
      for (const value of [start, chunk]) if (isProblem(value)) return fail(c, value);
      if (start === undefined || chunk === undefined)
        return fail(c, badRequest("start_number and chunk_size are mandatory"));
      // Either id names the organisation; with both, organization_id wins.
      const ids = [singleQuery(c, "organization_id"), singleQuery(c, "company_id")];
      const given = ids.find((id) => id !== undefined);
      if (isProblem(given)) return fail(c, given);
      if (given === undefined)
        return fail(c, badRequest("Either organization_id or company_id must be provided"));
      const org = organisation(runtime, c.get("account"), given);
      if (isProblem(org)) return fail(c, org);
      const { devices } = await runtime.scanDevices(
        org.id,
        (d) => d.record.label === label,
        start as number,
        chunk as number,
        false,
      );
      return answer(c, devices);
    });
  }

  app.get(`${BASE}/regions`, guard("read"), async (c) => {
    const unknown = unknownQuery(c, ["identifier_type", "identifier", "status"]);
    if (unknown) return fail(c, unknown);
    const type = identifierType(
      singleQuery(c, "identifier_type"),
      SUBSCRIPTION_LIST_IDENTIFIERS,
      "identifier_type",
    );
    if (isProblem(type)) return fail(c, type);
    const identifier = singleQuery(c, "identifier");
    if (isProblem(identifier)) return fail(c, identifier);
    if (!identifier) return fail(c, badRequest("identifier is mandatory"));
    const status = singleQuery(c, "status");
    if (isProblem(status)) return fail(c, status);
    const wanted = status?.toUpperCase();
    if (wanted !== undefined && wanted !== "ACTIVE" && wanted !== "INACTIVE")
      return fail(c, badRequest("status must be ACTIVE or INACTIVE (case insensitive)"));
    const device = await findSubscription(runtime, c.get("account").id, type, identifier);
    if (!device) return fail(c, subscriptionNotFound(`Subscription with ${type} ${identifier} not found`));
    const available = regions(runtime, (device.record.msisdn ?? "").length);
    return c.json({ regions: available.filter((r) => wanted === undefined || r.status === wanted) });
  });
}
