import type { Clock } from "./clock.js";

export interface RateLimitRule {
  /** Names the window in headers and messages ("second", "minute"…). */
  name: string;
  limit: number;
  windowMs: number;
  algorithm: "fixed-window" | "token-bucket";
  /** Operations the rule counts (Aeris limits each endpoint separately); all when absent. */
  operations?: string[] | undefined;
}

export interface RuleState {
  rule: RateLimitRule;
  remaining: number;
  /** Simulated ms until the next request under this rule would be admitted again. */
  resetMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** The first rule that refused, when not allowed. */
  refusedBy?: RateLimitRule;
  rules: RuleState[];
  /** Simulated ms to wait before retrying (0 when allowed). */
  retryAfterMs: number;
}

interface WindowCounter {
  windowStart: number;
  used: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Admission control over one or more rules at once (say 10/s and 100/min). A refused request
 * consumes nothing, so a client that backs off is not punished for the attempt.
 */
export class RateLimiter {
  readonly #windows = new Map<string, WindowCounter>();
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private rules: RateLimitRule[],
  ) {}

  setRules(rules: RateLimitRule[]): void {
    this.rules = rules;
    this.#windows.clear();
    this.#buckets.clear();
  }

  take(key: string, operation?: string): RateDecision {
    const now = this.clock.now();
    const states = this.#rulesFor(operation).map((rule) => this.#peek(rule, key, now));
    const refused = states.find((s) => s.remaining < 1);
    if (refused) {
      return {
        allowed: false,
        refusedBy: refused.rule,
        rules: states,
        retryAfterMs: Math.max(...states.filter((s) => s.remaining < 1).map((s) => s.resetMs)),
      };
    }
    for (const state of states) {
      this.#consume(state.rule, key, now);
      state.remaining -= 1;
    }
    return { allowed: true, rules: states, retryAfterMs: 0 };
  }

  /** Counters per key and rule, for the admin API and the dashboard. */
  inspect(key: string, operation?: string): RuleState[] {
    const now = this.clock.now();
    return this.#rulesFor(operation).map((rule) => this.#peek(rule, key, now));
  }

  #rulesFor(operation: string | undefined): RateLimitRule[] {
    return this.rules.filter(
      (rule) => !rule.operations || operation === undefined || rule.operations.includes(operation),
    );
  }

  #peek(rule: RateLimitRule, key: string, now: number): RuleState {
    const id = `${rule.name}\u0000${rule.operations?.join(",") ?? ""}\u0000${key}`;
    if (rule.algorithm === "fixed-window") {
      const windowStart = now - (now % rule.windowMs);
      const counter = this.#windows.get(id);
      const used = counter && counter.windowStart === windowStart ? counter.used : 0;
      return { rule, remaining: rule.limit - used, resetMs: windowStart + rule.windowMs - now };
    }
    const tokens = this.#refilled(rule, this.#buckets.get(id), now);
    const perMs = rule.limit / rule.windowMs;
    return {
      rule,
      remaining: Math.floor(tokens),
      resetMs: tokens >= 1 ? 0 : Math.ceil((1 - tokens) / perMs),
    };
  }

  #consume(rule: RateLimitRule, key: string, now: number): void {
    const id = `${rule.name}\u0000${rule.operations?.join(",") ?? ""}\u0000${key}`;
    if (rule.algorithm === "fixed-window") {
      const windowStart = now - (now % rule.windowMs);
      const counter = this.#windows.get(id);
      if (counter && counter.windowStart === windowStart) counter.used++;
      else this.#windows.set(id, { windowStart, used: 1 });
      return;
    }
    const tokens = this.#refilled(rule, this.#buckets.get(id), now);
    this.#buckets.set(id, { tokens: tokens - 1, at: now });
  }

  #refilled(rule: RateLimitRule, bucket: Bucket | undefined, now: number): number {
    if (!bucket) return rule.limit;
    return Math.min(rule.limit, bucket.tokens + ((now - bucket.at) * rule.limit) / rule.windowMs);
  }
}

/** "One call at a time" style limits: at most `max` requests in flight per key. */
export class ConcurrencyGate {
  readonly #inFlight = new Map<string, number>();

  constructor(private max: number) {}

  setMax(max: number): void {
    this.max = max;
  }

  /** A release function when admitted, undefined when the key is at its limit. */
  tryAcquire(key: string): (() => void) | undefined {
    const current = this.#inFlight.get(key) ?? 0;
    if (current >= this.max) return undefined;
    this.#inFlight.set(key, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlight.get(key) ?? 1) - 1;
      if (left <= 0) this.#inFlight.delete(key);
      else this.#inFlight.set(key, left);
    };
  }

  inFlight(key: string): number {
    return this.#inFlight.get(key) ?? 0;
  }
}
