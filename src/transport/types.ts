/**
 * How a CMO adapter reaches a platform: the same request and answer types whether the platform
 * is the in-process fake, another simulator process or a real carrier sandbox.
 */
export interface NativeRequest {
  method: string;
  /** Path below the platform's root, with the query string. */
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /**
   * How long the call waited in the CMO's pacing queue before it was sent, for the platform's
   * journal entry. Never sent on the wire: only an in-process platform sees it.
   */
  pacedMs?: number | undefined;
}

export interface NativeExchange {
  status: number;
  /** Header names as the platform's answer would show them on the wire (canonical case). */
  headers: Array<{ name: string; value: string }>;
  body: string;
}

/** The platform could not be reached, or dropped the connection without an answer. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: "ECONNRESET" | "ECONNREFUSED" | "ETIMEDOUT" | "EOTHER",
  ) {
    super(message);
    this.name = "NetworkError";
  }
}

export interface Transport {
  readonly kind: "in-process" | "http";
  send(request: NativeRequest): Promise<NativeExchange>;
}

/**
 * Marks a response that must not reach the caller: the node server destroys the socket instead and
 * the in-process transport throws a NetworkError, so a "connection reset" looks the same over both.
 */
export const RESET_MARKER = "x-cmo-sim-connection-reset";

const SPECIAL_CASE: Record<string, string> = {
  etag: "ETag",
  "www-authenticate": "WWW-Authenticate",
  "x-ratelimit-limit-second": "X-RateLimit-Limit-Second",
  "x-ratelimit-limit-minute": "X-RateLimit-Limit-Minute",
  "x-ratelimit-remaining-second": "X-RateLimit-Remaining-Second",
  "x-ratelimit-remaining-minute": "X-RateLimit-Remaining-Minute",
};

/** `content-type` → `Content-Type`: fetch lower-cases names; monitors show them as sent. */
const canonical = new Map<string, string>(Object.entries(SPECIAL_CASE));

export function canonicalHeaderName(name: string): string {
  let shown = canonical.get(name);
  if (shown === undefined) {
    shown = name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());
    // Header names repeat endlessly; a few hundred distinct ones at most are worth remembering.
    if (canonical.size < 512) canonical.set(name, shown);
  }
  return shown;
}

/** Headers of an exchange, minus the hop-by-hop ones a proxy would not repeat. */
export function exchangeHeaders(headers: Headers): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  headers.forEach((value, name) => {
    if (
      name === "connection" ||
      name === "keep-alive" ||
      name === "transfer-encoding" ||
      name === "date" ||
      name === "content-length"
    )
      return;
    out.push({ name: canonicalHeaderName(name), value });
  });
  return out;
}
