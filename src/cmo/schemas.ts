import { z } from "zod";
import { PROJECTABLE_FIELDS } from "./products.js";

/**
 * What the CMO routes accept, as zod schemas the handlers validate with and the OpenAPI document
 * (src/openapi) is generated from, so the two cannot disagree.
 */

export const BatchBody = z.strictObject({
  productIdList: z
    .array(z.string().min(1, "product ids cannot be empty"))
    .min(1, "productIdList needs at least one product id"),
  request: z.strictObject({
    method: z.literal("PATCH", { error: "request.method must be PATCH" }),
    body: z.unknown(),
    headers: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
  }),
});

export const FindBody = z
  .strictObject({
    iccidList: z.array(z.string().regex(/^\d{19,20}$/, "an ICCID has 19 or 20 digits")).optional(),
    terminalSNList: z
      .array(z.string().regex(/^[A-Za-z0-9]{1,40}$/, "a terminal serial number is letters and digits"))
      .optional(),
  })
  .refine((b) => (b.iccidList?.length ?? 0) + (b.terminalSNList?.length ?? 0) > 0, {
    message: "give iccidList or terminalSNList with at least one identifier",
  });

export const JSON_PATCH_OPS = ["add", "remove", "replace", "move", "copy", "test"] as const;
export const MAX_PATCH_OPERATIONS = 100;

/**
 * One RFC 6902 operation; what it may touch is for `interpretPatch` to say. Nothing else rides
 * along: an extra field would be stored with the request in the monitor, unread.
 */
export const PatchOperation = z.strictObject({
  op: z.enum(JSON_PATCH_OPS),
  path: z.string(),
  value: z.unknown().optional(),
  from: z.string().optional(),
});

export const PatchDocument = z.array(PatchOperation).min(1).max(MAX_PATCH_OPERATIONS);

/** A query parameter holding a whole number; messages name the parameter and echo what was sent. */
export function wholeNumberParam(name: string, max: number, fallback: number) {
  const notWhole = (iss: { input?: unknown }) =>
    `${name} must be a whole number of at least 1, not '${String(iss.input)}'`;
  return z
    .string()
    .regex(/^\d{1,9}$/, { error: notWhole })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, { error: notWhole })
        .max(max, { error: (iss) => `${name} must be at most ${max}, not ${String(iss.input)}` }),
    )
    .optional()
    .meta({ description: `A whole number from 1 to ${max}; ${fallback} when absent` });
}

const fieldList = z
  .string()
  .transform((raw, ctx) => {
    const fields = raw.split(",").map((f) => f.trim());
    if (fields.some((f) => f === "")) {
      ctx.issues.push({
        code: "custom",
        input: raw,
        message: `fields: '${raw}' has an empty field name; give names separated by single commas`,
      });
      return z.NEVER;
    }
    const unknown = fields.filter((f) => !(PROJECTABLE_FIELDS as readonly string[]).includes(f));
    if (unknown.length > 0) {
      ctx.issues.push({
        code: "custom",
        input: raw,
        message: `fields: unknown field(s) ${unknown.join(", ")}; known: ${PROJECTABLE_FIELDS.join(", ")}`,
      });
      return z.NEVER;
    }
    return fields;
  })
  .optional()
  .meta({
    description: `Comma-separated top-level fields each entity keeps, in that order: ${PROJECTABLE_FIELDS.join(", ")}`,
  });

/** `GET /product`'s query; the page size limits come from the configuration. */
export function listQuery(limits: { pageSizeDefault: number; pageSizeMax: number }) {
  return z.object({
    pageSize: wholeNumberParam("pageSize", limits.pageSizeMax, limits.pageSizeDefault),
    pageNumber: wholeNumberParam("pageNumber", 1_000_000_000, 1),
    fields: fieldList,
  });
}
