import type { Context } from "hono";
import { clientCredentialsGrant } from "./auth.js";
import type { PlatformRuntime } from "./runtime.js";

/**
 * A token endpoint as RFC 6749 §4.4 and §5 describe it, for the platforms whose OAuth2 server
 * follows the standard to the letter: `{access_token, token_type, expires_in}` on success,
 * `{error, error_description}` otherwise, never cached.
 */
export function clientCredentialsTokenHandler(
  runtime: PlatformRuntime,
  options: { tokenType?: string; extra?: Record<string, string> } = {},
) {
  return async (c: Context): Promise<Response> => {
    const noStore = { "Cache-Control": "no-store", Pragma: "no-cache" };
    const grant = await clientCredentialsGrant(c, runtime);
    if ("error" in grant) {
      return c.json(
        { error: grant.error, error_description: grant.description },
        grant.error === "invalid_client" ? 401 : 400,
        grant.error === "invalid_client"
          ? { ...noStore, "WWW-Authenticate": 'Basic realm="token"' }
          : noStore,
      );
    }
    const { token, expiresIn } = await runtime.issueToken(grant.account);
    return c.json(
      {
        access_token: token,
        token_type: options.tokenType ?? "Bearer",
        expires_in: expiresIn,
        ...options.extra,
      },
      200,
      noStore,
    );
  };
}
