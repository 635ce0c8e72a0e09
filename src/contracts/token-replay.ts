import { bodyText } from "../scenario/endpoint.js";
import type { PactDocument } from "./pact-file.js";

/**
 * Signing in to a native fake during verification: a platform pact carries the adapter's sign-in
 * (an answer with `access_token`) and an example token in later requests' headers. The verifier
 * replays that sign-in and puts the real token where the example was.
 */

/** Example tokens of a pact's sign-in interactions, and how to obtain a real one in their place. */
export interface TokenExchange {
  example: string;
  request: { method: string; path: string; headers: Record<string, string>; body: string | undefined };
}

/** Sign-in interactions of platform pacts: a response carrying `access_token`. */
export function tokenExchanges(pacts: readonly PactDocument[]): TokenExchange[] {
  const out: TokenExchange[] = [];
  for (const pact of pacts) {
    for (const { request, response } of pact.interactions) {
      const token = (response.body as { access_token?: unknown } | undefined)?.access_token;
      if (typeof token !== "string" || out.some((t) => t.example === token)) continue;
      out.push({
        example: token,
        request: {
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: bodyText(request.body),
        },
      });
    }
  }
  return out;
}

/** Replaces the pact's example token by a real one, obtained by replaying the pact's own sign-in. */
export function tokenSwapper(exchanges: TokenExchange[], providerBaseUrl: string) {
  const real = new Map<string, string>();
  const fetchReal = async (exchange: TokenExchange) => {
    const response = await fetch(providerBaseUrl.replace(/\/+$/, "") + exchange.request.path, {
      method: exchange.request.method,
      headers: exchange.request.headers,
      body: exchange.request.body,
    });
    const token = ((await response.json().catch(() => ({}))) as { access_token?: string }).access_token;
    if (!token) throw new Error(`replaying the sign-in at ${exchange.request.path} gave no access_token`);
    return token;
  };
  return {
    forget: () => real.clear(),
    async swap(headers: Record<string, string | string[] | undefined>): Promise<void> {
      for (const exchange of exchanges) {
        for (const [name, value] of Object.entries(headers)) {
          if (typeof value !== "string" || !value.includes(exchange.example)) continue;
          let token = real.get(exchange.example);
          if (!token) {
            token = await fetchReal(exchange);
            real.set(exchange.example, token);
          }
          headers[name] = value.split(exchange.example).join(token);
        }
      }
    },
  };
}
