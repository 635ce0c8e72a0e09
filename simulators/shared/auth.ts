import type { Context } from "hono";
import { basicCredentials, bearerToken, readFields, secretsEqual } from "./http.js";
import type { NativeAccount, PlatformRuntime } from "./runtime.js";
import type { NativeEnv, NativeError } from "./types.js";

/** Native authentication shared by the platforms that use bearer tokens and client credentials. */

export function findAccount(
  runtime: PlatformRuntime,
  username: string,
  secret: string,
): NativeAccount | undefined {
  let found: NativeAccount | undefined;
  // Every account is compared, so the time taken does not tell which usernames exist.
  for (const account of runtime.accounts.values()) {
    const userMatches = secretsEqual(username, account.username);
    const secretMatches = secretsEqual(secret, account.secret);
    if (userMatches && secretMatches) found = account;
  }
  return found;
}

/** Resolves `Authorization: Bearer …` (or another header) to the account the token was issued to. */
export async function authenticateBearer(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  options: { header?: string; messages?: Partial<Record<"missing" | "expired" | "unknown", string>> } = {},
): Promise<NativeAccount | NativeError> {
  const messages = {
    missing: "Missing or malformed Authorization header",
    expired: "Access token expired",
    unknown: "Invalid access token",
    ...options.messages,
  };
  const token = bearerToken(c, options.header);
  if (!token) return { kind: "unauthorized", status: 401, message: messages.missing };
  const account = await runtime.accountForToken(token);
  if (account === "expired") return { kind: "unauthorized", status: 401, message: messages.expired };
  if (account === "unknown") return { kind: "unauthorized", status: 401, message: messages.unknown };
  return account;
}

/**
 * An OAuth2 client-credentials grant (form or JSON body, or HTTP Basic client authentication), as
 * most carrier gateways implement it. Returns the account, or what was wrong for the family to render.
 */
export async function clientCredentialsGrant(
  c: Context,
  runtime: PlatformRuntime,
): Promise<
  | { account: NativeAccount }
  | { error: "invalid_request" | "unsupported_grant_type" | "invalid_client"; description: string }
> {
  const fields = await readFields(c);
  const grant = fields.grant_type;
  if (!grant) return { error: "invalid_request", description: "grant_type is required" };
  if (grant !== "client_credentials")
    return { error: "unsupported_grant_type", description: `grant_type ${grant} is not supported` };
  const basic = basicCredentials(c);
  const clientId = fields.client_id ?? basic?.username;
  const clientSecret = fields.client_secret ?? basic?.password;
  if (!clientId || !clientSecret)
    return { error: "invalid_request", description: "client_id and client_secret are required" };
  const account = findAccount(runtime, clientId, clientSecret);
  return account ? { account } : { error: "invalid_client", description: "Client authentication failed" };
}
