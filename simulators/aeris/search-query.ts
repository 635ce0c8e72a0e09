import type { Context } from "hono";
import { badRequest } from "../shared/http.js";
import { intQuery, singleQuery, unknownQuery } from "./input.js";
import type { AerisError } from "./problem.js";
import { ADDITIONAL_FIELDS, type AdditionalField } from "./search-view.js";

/** The query of the Search API's `GET /details` and `POST /details`, read strictly. */

const ORDERS = ["ICC", "IMSI", "MSISDN"] as const;
type Order = (typeof ORDERS)[number];

const LIMIT_MAX = 10_000;
const LIMIT_DEFAULT = 100;

/** The declared parameter name, and the snake_case one the vendor's own `next` example uses. */
export const GROUP_PARAMS = ["additionalFields", "additional_fields"];

export type SearchFilter =
  | { kind: "all"; company: string | undefined }
  | { kind: "label"; label: string }
  | { kind: "custom-fields"; fields: Array<{ name: string; value: string }> };

export interface SearchQuery {
  q: string | undefined;
  filter: SearchFilter;
  order: Order;
  groups: Set<AdditionalField>;
  limit: number;
  cursor: string | undefined;
}

/**
 * `additionalFields`, repeated (`?additionalFields=DATES&additionalFields=LABEL`) or comma-separated
 * (`?additionalFields=DATES,LABEL`), as the Java services behind Aeris bind a list parameter.
 */
export function readGroups(c: Context): Set<AdditionalField> | AerisError {
  const given = GROUP_PARAMS.flatMap((name) => c.req.queries(name) ?? []).flatMap((v) => v.split(","));
  const groups = new Set<AdditionalField>();
  for (const value of given) {
    const group = ADDITIONAL_FIELDS.find((g) => g === value.trim());
    if (!group) return badRequest(`additionalFields must be among ${ADDITIONAL_FIELDS.join(", ")}`);
    groups.add(group);
  }
  return groups;
}

export function readSearchQuery(c: Context): SearchQuery | AerisError {
  const unknown = unknownQuery(c, ["q", "order", "limit", "cursor", ...GROUP_PARAMS]);
  if (unknown) return unknown;
  const q = singleQuery(c, "q");
  if (typeof q === "object") return q;
  const filter = q === undefined ? { kind: "all" as const, company: undefined } : parseQ(q);
  if ("status" in filter) return filter;
  const order = singleQuery(c, "order") ?? "IMSI";
  if (typeof order === "object") return order;
  const known = ORDERS.find((o) => o === order);
  if (!known) return badRequest(`order must be one of ${ORDERS.join(", ")}`);
  const groups = readGroups(c);
  if (!(groups instanceof Set)) return groups;
  const limit = intQuery(c, "limit", { min: 1, max: LIMIT_MAX, fallback: LIMIT_DEFAULT });
  if (typeof limit === "object") return limit;
  const cursor = singleQuery(c, "cursor");
  if (typeof cursor === "object") return cursor;
  if (cursor !== undefined && !/^\d{1,20}$/.test(cursor))
    return badRequest(`Invalid cursor ${cursor}: a cursor is the ${known} the previous page ended with`);
  return { q, filter, order: known, groups, limit: limit as number, cursor };
}

const CUSTOM_FIELDS = /^\s*customField\s+IN\s*\((.*)\)\s*$/is;
const KEYED = /^\s*([A-Za-z_]+)\s*==\s*(.*?)\s*$/s;

/**
 * `q` filters on one of `label`, `company` or `customField`. Keys are case-insensitive (the
 * vendor writes both `label==` and `COMPANY==`); custom fields are `customField IN (a==x;b==y)`,
 * where `;` joins conditions that must all hold, as in RSQL.
 */
function parseQ(q: string): SearchFilter | AerisError {
  const custom = CUSTOM_FIELDS.exec(q);
  if (custom) {
    const fields: Array<{ name: string; value: string }> = [];
    for (const condition of (custom[1] as string).split(";")) {
      const [name, value] = condition.split("==").map((part) => part.trim());
      if (!name || !value || condition.split("==").length !== 2)
        return badRequest(`q: custom field condition "${condition}" must be name==value`);
      fields.push({ name, value });
    }
    return { kind: "custom-fields", fields };
  }
  const keyed = KEYED.exec(q);
  const key = keyed?.[1]?.toLowerCase();
  const value = keyed?.[2] ?? "";
  // A second `==` is a second condition (`label==a;company==b`): the API takes one.
  if (!keyed || value === "" || value.includes("==") || (key !== "label" && key !== "company"))
    return badRequest(
      "q must be label==<label>, company==<company id> or customField IN (<name>==<value>;…)",
    );
  return key === "label" ? { kind: "label", label: value } : { kind: "all", company: value };
}
