import type { AdapterFailure } from "../../simulators/shared/adapter.js";
import { ProblemError } from "../http/problem.js";

/** The platform's own error, carried in a CMO problem's `externalErrors`. */
export function externalError(platform: string, failure: AdapterFailure): Record<string, unknown> {
  const body = failure.exchange?.body;
  let parsed: unknown = body;
  if (body) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = body;
    }
  }
  return {
    platform,
    statusCode: failure.status,
    code: failure.kind,
    message: failure.message,
    ...(failure.exchange ? { body: parsed ?? null } : {}),
  };
}

const SECOND = 1000;

/**
 * How a platform's failure reaches a CMO client, as the real service would show it: its rate limit
 * as 429 with Retry-After, an outage as 503, a gateway timeout as 504, other breakage as 502, and a
 * refused transition as 400 Invalid Action — always with the native error in externalErrors.
 */
export function failureToProblem(platform: string, failure: AdapterFailure, subject: string): ProblemError {
  const external = [externalError(platform, failure)];
  switch (failure.kind) {
    case "not-found":
      return new ProblemError(404, `${subject} not found on ${platform}`, undefined, external);
    case "invalid-transition":
    case "bad-request":
      return new ProblemError(
        400,
        `${platform} refused the action: ${failure.message}`,
        "Invalid Action",
        external,
      );
    case "conflict":
      return new ProblemError(409, `${platform} reports a conflict: ${failure.message}`, undefined, external);
    case "forbidden":
      return new ProblemError(403, `${platform} refused access: ${failure.message}`, undefined, external);
    case "rate-limited": {
      const retryAfter = Math.max(1, Math.ceil((failure.retryAfterMs ?? SECOND) / SECOND));
      return new ProblemError(
        429,
        `${platform} rate limit exceeded; retry after ${retryAfter} s`,
        undefined,
        external,
        { "retry-after": String(retryAfter) },
      );
    }
    case "unavailable":
    case "network":
      return new ProblemError(503, `${platform} is unavailable: ${failure.message}`, undefined, external, {
        "retry-after": "30",
      });
    case "gateway-timeout":
      return new ProblemError(
        504,
        `${platform} did not answer in time: ${failure.message}`,
        undefined,
        external,
      );
    default:
      return new ProblemError(502, `${platform} failed: ${failure.message}`, undefined, external);
  }
}
