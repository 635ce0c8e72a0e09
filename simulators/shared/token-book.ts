import { createHmac } from "node:crypto";
import type { PlatformCode } from "../../src/config/schema.js";
import type { Clock } from "../../src/engine/clock.js";
import type { Collection, StateStore } from "../../src/store/store.js";
import type { SnapshotCheck } from "./device-book.js";

export interface NativeToken {
  accountId: string;
  expiresAt: number;
}

/** The token book's part of a platform snapshot: token → to whom and until when. */
export type TokenBookSnapshot = Record<string, NativeToken>;

/** Every this many tokens issued, issuing one first forgets the expired ones. */
const SWEEP_EVERY = 1024;

/**
 * The bearer tokens a platform issued: records (token → account and expiry) in the one
 * `StateStore`. Expiry is read from the record against the clock, so no timer is involved.
 */
export class TokenBook {
  readonly #tokens: Collection<NativeToken>;
  #issuedSinceSweep = 0;

  /**
   * @param key the simulator's signing secret, random unless configured, so no caller can work out
   *   a token that was issued to another account.
   */
  constructor(
    readonly code: PlatformCode,
    readonly key: string,
    readonly clock: Clock,
    store: StateStore,
  ) {
    this.#tokens = store.collection(`platform:${code}:tokens`);
  }

  /** A new token for `accountId`; `sequence` (unique on the platform) makes it unique. */
  async issue(
    accountId: string,
    sequence: number,
    lifetimeSeconds: number,
  ): Promise<{ token: string; expiresIn: number }> {
    const now = this.clock.now();
    if (++this.#issuedSinceSweep >= SWEEP_EVERY) {
      this.#issuedSinceSweep = 0;
      for (const [token, issued] of await this.#tokens.entries())
        if (issued.expiresAt <= now) await this.#tokens.delete(token);
    }
    const mac = createHmac("sha256", this.key)
      .update(`${this.code}|${accountId}|${sequence}`)
      .digest("base64url");
    const token = `${this.code.toLowerCase()}_${mac.slice(0, 32)}`;
    await this.#tokens.set(token, { accountId, expiresAt: now + lifetimeSeconds * 1000 });
    return { token, expiresIn: lifetimeSeconds };
  }

  /** Whom a token was issued to and until when, or why it is no good. */
  async find(token: string): Promise<NativeToken | "unknown" | "expired"> {
    const issued = await this.#tokens.get(token);
    if (!issued) return "unknown";
    return issued.expiresAt <= this.clock.now() ? "expired" : issued;
  }

  /** Forgets every token; returns how many there were. */
  async revokeAll(): Promise<number> {
    const n = await this.#tokens.size();
    await this.#tokens.clear();
    return n;
  }

  // ---- snapshots --------------------------------------------------------------------------------

  async snapshot(): Promise<TokenBookSnapshot> {
    const tokens = await this.#tokens.entries();
    return Object.fromEntries(tokens.map(([token, issued]) => [token, { ...issued }]));
  }

  problemsIn(part: TokenBookSnapshot, check: SnapshotCheck): void {
    for (const [token, issued] of Object.entries(part))
      check.account(`tokens.${token.slice(0, 8)}…`, issued.accountId);
  }

  async restore(part: TokenBookSnapshot): Promise<void> {
    await this.#tokens.clear();
    for (const [token, issued] of Object.entries(part)) await this.#tokens.set(token, { ...issued });
  }

  async reset(): Promise<void> {
    await this.#tokens.clear();
  }
}
