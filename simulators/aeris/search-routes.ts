import type { Context, Hono } from "hono";
import { badRequest, readJson } from "../shared/http.js";
import type { Device } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { findSubscription, identifierOf, SUBSCRIPTION_LIST_IDENTIFIERS } from "./identifiers.js";
import { isObject, unknownFields, unknownQuery } from "./input.js";
import { filteredPage, type OrderedPage, orderedPage } from "./ordered-list.js";
import { organisation } from "./organisation.js";
import { type AerisError, isProblem } from "./problem.js";
import {
  GROUP_PARAMS,
  readGroups,
  readSearchQuery,
  type SearchFilter,
  type SearchQuery,
} from "./search-query.js";
import { subscriptionResponse } from "./search-view.js";
import { CUSTOM_FIELD_PREFIX, subscriptionReader } from "./subscription.js";

/**
 * The Subscription Search API (`/iot/api/subscriptions/details`): GET searches an organisation by
 * company, label or custom fields with cursor paging; POST looks up a list of identifiers.
 */

const PATH = "/iot/api/subscriptions/details";
/** The deprecated DCP lookup capped its list here; the Search API states no cap, so the fake keeps this one. */
const IDENTIFIER_VALUES_MAX = 10_000;

/** The `next` link Aeris gives relative to `/iot/api/subscriptions`: the same query, one page on. */
function nextLink(query: SearchQuery, cursor: string): string {
  const params: Array<[string, string]> = [];
  if (query.q !== undefined) params.push(["q", query.q]);
  params.push(["order", query.order], ["limit", String(query.limit)], ["cursor", cursor]);
  for (const group of query.groups) params.push(["additionalFields", group]);
  return `/details?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`;
}

/** Custom fields are read straight from the device: no request sets them, so none is ever due. */
function matcher(filter: SearchFilter): (device: Device) => boolean {
  if (filter.kind === "label") return (device) => device.record.label === filter.label;
  if (filter.kind === "custom-fields")
    return (device) =>
      filter.fields.every(({ name, value }) => device.fields[CUSTOM_FIELD_PREFIX + name] === value);
  return () => true;
}

export function searchRoutes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  app.get(PATH, guard("list"), async (c) => {
    const query = readSearchQuery(c);
    if (isProblem(query)) return fail(c, query);
    const { filter } = query;
    const company = organisation(
      runtime,
      c.get("account"),
      filter.kind === "all" ? filter.company : undefined,
    );
    if (isProblem(company)) return fail(c, company);
    const page: OrderedPage & { total: number } =
      filter.kind === "all"
        ? {
            ...(await orderedPage(runtime, company.id, query.order, query.cursor, query.limit)),
            total: await runtime.countDevices(company.id),
          }
        : await filteredPage(runtime, company.id, query.order, query.cursor, query.limit, matcher(filter));
    const last = page.devices.at(-1);
    const read = await subscriptionReader(runtime);
    return c.json(
      {
        subscriptions: page.devices.map((d) => subscriptionResponse(runtime, read(d), query.groups)),
        ...(page.more && last ? { next: nextLink(query, identifierOf(last.record, query.order)) } : {}),
        size: page.devices.length,
      },
      200,
      // Aeris gives no total; the CMO needs one, so the fake adds this header (invented).
      { "X-Total-Count": String(page.total) },
    );
  });

  app.post(PATH, guard("list"), async (c) => {
    const unknown = unknownQuery(c, GROUP_PARAMS);
    if (unknown) return fail(c, unknown);
    const groups = readGroups(c);
    if (!(groups instanceof Set)) return fail(c, groups);
    const lookup = await readLookup(c);
    if (isProblem(lookup)) return fail(c, lookup);
    const caller = c.get("account");
    const found = new Map<string, Device>();
    for (const value of lookup.values) {
      const device = await findSubscription(runtime, caller.id, lookup.type, value);
      if (device) found.set(device.record.nativeId, device);
    }
    const read = await subscriptionReader(runtime);
    return c.json({
      subscriptions: [...found.values()].map((d) => subscriptionResponse(runtime, read(d), groups)),
    });
  });
}

/**
 * `GetSubscriptionDetailsByPrimaryKey`: camelCase, and unlike the SICA identifier types not said
 * to be case insensitive, so upper case only.
 */
async function readLookup(
  c: Context,
): Promise<{ type: (typeof SUBSCRIPTION_LIST_IDENTIFIERS)[number]; values: string[] } | AerisError> {
  const json = await readJson(c);
  if (!json.ok) return json.error;
  const body = json.value;
  if (!isObject(body)) return badRequest("The body must be a JSON object");
  const unknown = unknownFields(body, ["identifierType", "identifierValues"], "");
  if (unknown) return unknown;
  if (body.identifierType === undefined || body.identifierType === null)
    return badRequest("IdentifierType can not be null");
  const type = SUBSCRIPTION_LIST_IDENTIFIERS.find((t) => t === body.identifierType);
  if (!type) return badRequest(`identifierType must be one of ${SUBSCRIPTION_LIST_IDENTIFIERS.join(", ")}`);
  const values = body.identifierValues;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string"))
    return badRequest("identifierValues must be a non-empty list of strings");
  if (values.length > IDENTIFIER_VALUES_MAX)
    return badRequest(`identifierValues takes at most ${IDENTIFIER_VALUES_MAX} values`);
  return { type, values: [...new Set(values as string[])] };
}
