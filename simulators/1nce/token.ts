import type { Hono } from "hono";
import { findAccount } from "../shared/auth.js";
import { basicCredentials, readFields } from "../shared/http.js";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { BASE } from "./request.js";

/**
 * `POST /oauth/token`: Basic credentials and `{"grant_type": "client_credentials"}`. Its errors use
 * the token service's own camelCase envelope, unlike the SIM endpoints, as 1NCE's do.
 */
export function tokenRoute(app: Hono<NativeEnv>, { runtime }: NativeApiKit): void {
  app.post(`${BASE}/oauth/token`, async (c) => {
    const tokenError = (errorCode: string, message: string) =>
      c.json({ statusCode: 400, errorCode, message }, 400);
    const type = c.req.header("content-type") ?? "";
    if (!/json/i.test(type))
      return tokenError("UnsupportedContentTypeError", "Content-Type must be application/json");
    const fields = await readFields(c);
    if (fields.grant_type !== "client_credentials")
      return tokenError("BodyValidationError", "grant_type must be client_credentials");
    const basic = basicCredentials(c);
    if (!basic) return tokenError("AuthValidationError", "Basic authorization header required");
    const account = findAccount(runtime, basic.username, basic.password);
    if (!account) return tokenError("BadCredentials", "Bad credentials");
    const { token, expiresIn } = await runtime.issueToken(account);
    return c.json({
      status_code: 200,
      access_token: token,
      token_type: "bearer",
      expires_in: expiresIn,
      userId: account.username,
      scope: "all",
    });
  });
}
