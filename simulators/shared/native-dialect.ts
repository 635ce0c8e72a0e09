import { BoundedMemo } from "../../src/engine/bounded-memo.js";
import type { NativeExchange } from "../../src/transport/types.js";
import type { AdapterAccount, AdapterFailure, Outcome } from "./adapter.js";
import type { ErrorTable } from "./native-errors.js";

export interface CallSpec {
  method: string;
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** A platform that takes tokens from an endpoint of its own. */
export interface BearerAuth {
  kind: "bearer";
  /** The token request for `account`; its answer carries `access_token` and, usually, `expires_in`. */
  request(account: AdapterAccount): CallSpec;
  /** Seconds a token lives when the answer does not say. */
  defaultExpiresIn: number;
  /** The failure of a refused token request, from the family's classification of the answer. */
  refused(failure: AdapterFailure): AdapterFailure;
}

/** How a platform wants its caller to authenticate. */
export type AuthStrategy = { kind: "basic" } | BearerAuth;

/** What the native client needs to know of a family: how to sign in and how its answers read. */
export interface NativeDialect {
  auth: AuthStrategy;
  errors: ErrorTable;
  /** Headers on every call but the token request (TMSP's HAL Accept, STC's Accept-Language). */
  headers?: Record<string, string>;
  /**
   * The payload of an answer with an expected status, for a family that wraps every answer
   * (TURKCELL's envelope); when the wrapper says the call failed after all, `classified` is that
   * failure as the family's error table reads it.
   */
  unwrap?(body: unknown, exchange: NativeExchange, classified: () => AdapterFailure): Outcome<unknown>;
}

/** Encoded credentials by their text: every call of a Basic-auth platform sends them. */
const encoded = new BoundedMemo<string, string>(1_000);

export function basicAuthorization(account: AdapterAccount): string {
  const credentials = `${account.username}:${account.secret}`;
  return (
    encoded.get(credentials) ??
    encoded.keep(credentials, `Basic ${Buffer.from(credentials).toString("base64")}`)
  );
}

/**
 * A token endpoint at `path` that takes what `body` says for an account (form or JSON fields,
 * headers) and answers `{access_token, expires_in}`.
 */
export function tokenEndpoint(
  path: string,
  body: (account: AdapterAccount) => Pick<CallSpec, "form" | "json" | "headers">,
  options: Partial<Pick<BearerAuth, "defaultExpiresIn" | "refused">> = {},
): BearerAuth {
  return {
    kind: "bearer",
    request: (account) => ({ method: "POST", path, ...body(account) }),
    defaultExpiresIn: options.defaultExpiresIn ?? 3600,
    refused: options.refused ?? ((failure) => ({ ...failure, kind: "unauthorized" })),
  };
}

/** An OAuth2 client-credentials grant, form-encoded, as most carrier gateways take it. */
export const clientCredentials = (path: string): BearerAuth =>
  tokenEndpoint(
    path,
    (account) => ({
      form: { grant_type: "client_credentials", client_id: account.username, client_secret: account.secret },
    }),
    {
      refused: (failure) => ({
        ...failure,
        kind: "unauthorized",
        message: `token request failed with ${failure.status}`,
      }),
    },
  );
