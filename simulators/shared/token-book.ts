import { createHmac } from "node:crypto";
import type { PlatformCode } from "../../src/config/schema.js";
import type { Clock } from "../../src/engine/clock.js";
import type { SnapshotCheck } from "./device-book.js";

export interface NativeToken {
  accountId: string;
  expiresAt: number;
}

/** The token book's part of a platform snapshot: token → to whom and until when. */
export type TokenBookSnapshot = Record<string, NativeToken>;

/** Past this many tokens, issuing one first forgets the expired ones. */
const SWEEP_ABOVE = 1024;

/**
 * The bearer tokens a platform issued. The map of records (token → account and expiry) is the whole
 * state: the shared store of issue 17 (Redis) replaces it. Expiry is read from the record against
 * the clock, so no timer is involved.
 */
export class TokenBook {
  readonly #tokens = new Map<string, NativeToken>();

  /**
   * @param key the simulator's signing secret, random unless configured, so no caller can work out
   *   a token that was issued to another account.
   */
  constructor(
    readonly code: PlatformCode,
    readonly key: string,
    readonly clock: Clock,
  ) {}

  /** A new token for `accountId`; `sequence` (unique on the platform) makes it unique. */
  issue(accountId: string, sequence: number, lifetimeSeconds: number): { token: string; expiresIn: number } {
    const now = this.clock.now();
    if (this.#tokens.size > SWEEP_ABOVE)
      for (const [token, issued] of this.#tokens) if (issued.expiresAt <= now) this.#tokens.delete(token);
    const mac = createHmac("sha256", this.key)
      .update(`${this.code}|${accountId}|${sequence}`)
      .digest("base64url");
    const token = `${this.code.toLowerCase()}_${mac.slice(0, 32)}`;
    this.#tokens.set(token, { accountId, expiresAt: now + lifetimeSeconds * 1000 });
    return { token, expiresIn: lifetimeSeconds };
  }

  /** Whom a token was issued to and until when, or why it is no good. */
  find(token: string): NativeToken | "unknown" | "expired" {
    const issued = this.#tokens.get(token);
    if (!issued) return "unknown";
    return issued.expiresAt <= this.clock.now() ? "expired" : issued;
  }

  /** Forgets every token; returns how many there were. */
  revokeAll(): number {
    const n = this.#tokens.size;
    this.#tokens.clear();
    return n;
  }

  // ---- snapshots --------------------------------------------------------------------------------

  snapshot(): TokenBookSnapshot {
    return Object.fromEntries([...this.#tokens].map(([token, issued]) => [token, { ...issued }]));
  }

  problemsIn(part: TokenBookSnapshot, check: SnapshotCheck): void {
    for (const [token, issued] of Object.entries(part))
      check.account(`tokens.${token.slice(0, 8)}…`, issued.accountId);
  }

  restore(part: TokenBookSnapshot): void {
    this.#tokens.clear();
    for (const [token, issued] of Object.entries(part)) this.#tokens.set(token, { ...issued });
  }

  reset(): void {
    this.#tokens.clear();
  }
}
