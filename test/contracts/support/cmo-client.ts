import { type Answer, send } from "../../../src/scenario/endpoint.js";

/**
 * The smallest CMO client the consumer tests need: what a real integration sends (a bearer token,
 * JSON Patch), and the answer parsed for the test to check what the client relies on.
 */
export const TOKEN_EXAMPLE = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl";

export function cmoCall(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; type?: string; token?: string | null } = {},
): Promise<Answer & { body: any }> {
  // Pact starts a mock server per test, on a port the system may hand out again soon. A connection
  // kept alive to the last one then fails a PATCH or POST (fetch retries only idempotent requests
  // on a dead socket), which Pact reports as "expected but not received": one connection per call.
  const headers: Record<string, string> = { connection: "close" };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TOKEN_EXAMPLE}`;
  if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json-patch+json";
  return send({ base: url, fetch: (request) => fetch(request) }, method, path, options.body, headers);
}

/** The monitor URL a 202's Link header names (rel="related"; title="monitor"). */
export function monitorLink(link: string | null): string | undefined {
  return link
    ?.split(/,\s*(?=<)/)
    .find((part) => /rel="related"/.test(part))
    ?.match(/^<([^>]+)>/)?.[1];
}
