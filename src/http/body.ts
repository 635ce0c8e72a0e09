import type { Context } from "hono";
import type { z } from "zod";
import { formatPath } from "../config/errors.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.js";
import { ProblemError } from "./problem.js";

/** Reads a JSON body or throws the 4xx problem that says what is wrong with it. */
export async function readJsonBody(
  c: Context,
  allowedTypes: readonly string[] = ["application/json"],
  maxDepth = MAX_JSON_DEPTH,
): Promise<unknown> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!allowedTypes.includes(type)) {
    throw new ProblemError(
      415,
      `Content-Type must be ${allowedTypes.join(" or ")}${type ? `, not ${type}` : ""}`,
    );
  }
  const text = await c.req.text();
  if (text.trim() === "")
    throw new ProblemError(
      400,
      "Request body is empty; a JSON document is required",
      "Missing or malformed parameter",
    );
  return parseJson(text, maxDepth);
}

/**
 * A body the endpoint can do without (control calls such as "start an outage"): nothing at all reads
 * as `{}`, whatever the content type; anything sent must still be JSON.
 */
export async function readOptionalJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  return text.trim() === "" ? {} : parseJson(text, MAX_JSON_DEPTH);
}

function parseJson(text: string, maxDepth: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProblemError(
      400,
      `Malformed JSON: ${(error as Error).message}`,
      "Missing or malformed parameter",
    );
  }
  if (nestsDeeperThan(value, maxDepth))
    throw new ProblemError(
      400,
      `The JSON body nests deeper than ${maxDepth} levels, the most this endpoint accepts`,
      "Missing or malformed parameter",
    );
  return value;
}

/** Validates with a zod schema; a failure becomes a 400 naming each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = "body"): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((i) => `${what}${i.path.length ? `.${formatPath(i.path)}` : ""}: ${i.message}`)
    .join("; ");
  throw new ProblemError(400, detail, "Missing or malformed parameter");
}

export async function readValidBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, await readJsonBody(c));
}
