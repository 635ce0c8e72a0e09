import type { Context } from "hono";
import type { z } from "zod";
import { ProblemError } from "./problem.js";

/**
 * Validates the query string with a zod schema; a failure is a 400 with the schema's messages,
 * which name the parameter themselves.
 */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const result = schema.safeParse(c.req.query());
  if (result.success) return result.data;
  throw new ProblemError(
    400,
    result.error.issues.map((i) => i.message).join("; "),
    "Missing or malformed parameter",
  );
}
