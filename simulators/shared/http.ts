import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../../src/http/json-depth.js";
import type { NativeError } from "./types.js";
import { utcText } from "./utc-text.js";

/** Compares secrets in constant time, so response timing reveals nothing about a near miss. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length === b.length) return timingSafeEqual(a, b);
  // Compare against itself when lengths differ, so the time taken does not depend on the length.
  timingSafeEqual(b, b);
  return false;
}

export function basicCredentials(c: Context): { username: string; password: string } | undefined {
  const header = c.req.header("authorization");
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function bearerToken(c: Context, header = "authorization"): string | undefined {
  const value = c.req.header(header);
  if (!value) return undefined;
  const match = value.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : header === "authorization" ? undefined : value.trim();
}

export const badRequest = (message: string): NativeError => ({ kind: "bad-request", status: 400, message });
export const notFound = (message: string): NativeError => ({ kind: "not-found", status: 404, message });

/** The JSON body, or a 400 in the platform's terms when it is missing or malformed. */
export async function readJson(
  c: Context,
): Promise<{ ok: true; value: unknown } | { ok: false; error: NativeError }> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    return {
      ok: false,
      error: {
        kind: "unsupported-media-type",
        status: 415,
        message: `Content-Type must be application/json, got ${type || "none"}`,
      },
    };
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: badRequest(`Malformed JSON body: ${(error as Error).message}`) };
  }
  return nestsDeeperThan(value, MAX_JSON_DEPTH)
    ? { ok: false, error: badRequest(`JSON body nests deeper than ${MAX_JSON_DEPTH} levels`) }
    : { ok: true, value };
}

/** Form or JSON fields of a token request, whichever the client sent. */
export async function readFields(c: Context): Promise<Record<string, string>> {
  const type = c.req.header("content-type") ?? "";
  const text = await c.req.text();
  if (/json/i.test(type)) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === "string")) as Record<
          string,
          string
        >;
      }
    } catch {
      return {};
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Reads a non-negative integer query parameter; NaN when present but not a number. */
export function intParam(c: Context, name: string, fallback: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
}

export function isoDate(ms: number | undefined): string | null {
  return ms === undefined ? null : utcText(ms, "T", "Z");
}
