import type { Context } from "hono";
import { badRequest } from "../shared/http.js";
import type { AerisError } from "./problem.js";

/**
 * Strict reading of what a caller sends. Aeris' own servers may drop what they do not know; the
 * fake refuses it instead, so that a client never takes "ignored" for "done".
 */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function unknownQuery(c: Context, known: readonly string[]): AerisError | undefined {
  const extra = Object.keys(c.req.queries()).filter((name) => !known.includes(name));
  return extra.length === 0
    ? undefined
    : badRequest(`Unknown query parameter(s) ${extra.join(", ")}; this endpoint takes ${known.join(", ")}`);
}

export function unknownFields(
  value: Record<string, unknown>,
  known: readonly string[],
  where: string,
): AerisError | undefined {
  const extra = Object.keys(value).filter((name) => !known.includes(name));
  if (extra.length === 0) return undefined;
  const named = extra.map((name) => (where ? `${where}.${name}` : name)).join(", ");
  return badRequest(`Unknown field(s) ${named}`);
}

/** One query parameter given at most once: a repeated scalar would leave the caller guessing which counts. */
export function singleQuery(c: Context, name: string): string | undefined | AerisError {
  const values = c.req.queries(name);
  if (values === undefined) return undefined;
  return values.length === 1 ? values[0] : badRequest(`${name} may be given once`);
}

/** An integer query parameter within [min, max], or the fallback when absent. */
export function intQuery(
  c: Context,
  name: string,
  range: { min: number; max: number; fallback?: number },
): number | undefined | AerisError {
  const raw = singleQuery(c, name);
  if (typeof raw === "object") return raw;
  if (raw === undefined) return range.fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  return value >= range.min && value <= range.max
    ? value
    : badRequest(`${name} must be an integer from ${range.min} to ${range.max}`);
}
