import type { RateLimitRule } from "./rate-limit.js";

/*
 * The rule side of outbound pacing (pacing.ts): for each of a platform's rate-limit rules, when it
 * admits the next call of one key, given the calls already sent.
 */

/** When one rule admits the next call for one key. */
interface RuleTrack {
  /** The earliest instant the rule admits one more call; -Infinity when it admits one at any time. */
  nextAt(now: number): number;
  record(at: number): void;
  clone(): RuleTrack;
}

/**
 * A fixed window is paced as a sliding one (at most `limit` calls in any span of `windowMs`): that
 * stays inside the platform's windows wherever their boundaries fall, so it needs no agreement
 * between two clocks. Only the last `limit` sends matter, kept in a ring.
 */
class SlidingLog implements RuleTrack {
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly times: number[] = [],
    private next = 0,
  ) {}

  nextAt(): number {
    if (this.times.length < this.limit) return Number.NEGATIVE_INFINITY;
    return (this.times[this.next] as number) + this.windowMs;
  }

  record(at: number): void {
    if (this.times.length < this.limit) {
      this.times.push(at);
      return;
    }
    this.times[this.next] = at;
    this.next = (this.next + 1) % this.limit;
  }

  clone(): RuleTrack {
    return new SlidingLog(this.limit, this.windowMs, [...this.times], this.next);
  }
}

/** A token bucket is mirrored: the platform refills at the same rate from a moment later, never sooner. */
class BucketMirror implements RuleTrack {
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private tokens = limit,
    private at = Number.NEGATIVE_INFINITY,
  ) {}

  #level(now: number): number {
    return this.at === Number.NEGATIVE_INFINITY
      ? this.limit
      : Math.min(this.limit, this.tokens + ((now - this.at) * this.limit) / this.windowMs);
  }

  nextAt(now: number): number {
    const level = this.#level(now);
    return level >= 1
      ? Number.NEGATIVE_INFINITY
      : now + Math.ceil(((1 - level) * this.windowMs) / this.limit);
  }

  record(at: number): void {
    this.tokens = this.#level(at) - 1;
    this.at = at;
  }

  clone(): RuleTrack {
    return new BucketMirror(this.limit, this.windowMs, this.tokens, this.at);
  }
}

export function trackFor(rule: RateLimitRule): RuleTrack {
  return rule.algorithm === "token-bucket"
    ? new BucketMirror(rule.limit, rule.windowMs)
    : new SlidingLog(rule.limit, rule.windowMs);
}

const TOKEN_OPERATION = "auth";

/**
 * Whether a rule counts a call. Token requests count only under rules that name them: carriers
 * limit their token endpoints apart from the API, when at all (Aeris does; the others do not).
 */
const counts = (rule: RateLimitRule, operation: string): boolean =>
  rule.operations
    ? (rule.operations as readonly string[]).includes(operation)
    : operation !== TOKEN_OPERATION;

export type Tracks = Map<RateLimitRule, RuleTrack>;

/** The instant every rule counting `operation` admits it, at or after `from`; -Infinity when free. */
export function slotAfter(
  tracks: Tracks,
  rules: readonly RateLimitRule[],
  operation: string,
  from: number,
  heldUntil: number,
): { at: number; rule: RateLimitRule | undefined } {
  let at = heldUntil > from ? heldUntil : Number.NEGATIVE_INFINITY;
  let rule: RateLimitRule | undefined;
  for (const r of rules) {
    if (!counts(r, operation)) continue;
    const next = (tracks.get(r) as RuleTrack).nextAt(from);
    if (next > at) {
      at = next;
      rule = r;
    }
  }
  return { at, rule };
}

export function record(tracks: Tracks, rules: readonly RateLimitRule[], operation: string, at: number): void {
  for (const r of rules) if (counts(r, operation)) (tracks.get(r) as RuleTrack).record(at);
}
