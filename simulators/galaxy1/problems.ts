import type { Context } from "hono";
import type { NativeError, NativeErrorKind } from "../shared/types.js";

/** GALAXY1 errors are RFC 7807 problems; `type` is a URI under the platform's own domain. */
export const PROBLEM_BASE = "https://galaxy1.viasat.example/problems/";
export const PROBLEM_JSON = "application/problem+json";

const PROBLEMS: Record<NativeErrorKind, [slug: string, title: string]> = {
  unauthorized: ["unauthorized", "Unauthorized"],
  forbidden: ["forbidden", "Forbidden"],
  "not-found": ["not-found", "Resource not found"],
  "bad-request": ["invalid-request", "Invalid request"],
  "invalid-transition": ["invalid-status-transition", "Status transition not allowed"],
  conflict: ["transition-in-progress", "Status transition in progress"],
  "rate-limited": ["rate-limit-exceeded", "Too many requests"],
  unavailable: ["service-unavailable", "Service unavailable"],
  "server-error": ["internal-error", "Internal server error"],
  "gateway-timeout": ["upstream-timeout", "Upstream timeout"],
  "unsupported-media-type": ["unsupported-media-type", "Unsupported media type"],
};

export function renderProblem(c: Context, error: NativeError): Response {
  const [slug, title] = PROBLEMS[error.kind];
  return c.body(
    JSON.stringify({
      type: PROBLEM_BASE + slug,
      title,
      status: error.status,
      detail: error.message,
      instance: c.req.path,
    }),
    error.status as 400,
    { ...error.headers, "Content-Type": PROBLEM_JSON },
  );
}

/** The error kind a problem `type` stands for, for the adapter. */
export function kindOfProblem(type: string | undefined): NativeErrorKind | undefined {
  if (!type?.startsWith(PROBLEM_BASE)) return undefined;
  const slug = type.slice(PROBLEM_BASE.length);
  return (Object.entries(PROBLEMS) as Array<[NativeErrorKind, [string, string]]>).find(
    ([, [s]]) => s === slug,
  )?.[0];
}
