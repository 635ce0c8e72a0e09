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

/**
 * The counters behind rate limits, kept by the store so that every process on it spends one budget.
 * A take is atomic over all its rules: a request is admitted under every rule or counted under
 * none. Time is the caller's (the simulator's clock), so a virtual clock drives the windows.
 */
export interface RateBudgets {
  take(key: string, rules: readonly RateLimitRule[], now: number): Promise<RateDecision>;
  inspect(key: string, rules: readonly RateLimitRule[], now: number): Promise<RuleState[]>;
  /** Forgets every count (the rules changed). */
  clear(): Promise<void>;
}

/** Where one rule's count for one key is kept; the algorithm is part of it so two kinds never share a count. */
export function budgetField(rule: RateLimitRule, key: string): string {
  return `${rule.algorithm}\u0000${rule.name}\u0000${rule.operations?.join(",") ?? ""}\u0000${key}`;
}

/** The decision on states read at one instant: `remaining` already counts this request when allowed. */
export function decisionOf(states: RuleState[], allowed: boolean): RateDecision {
  if (allowed) return { allowed, rules: states, retryAfterMs: 0 };
  const refused = states.filter((s) => s.remaining < 1);
  return {
    allowed,
    refusedBy: refused[0]?.rule as RateLimitRule,
    rules: states,
    retryAfterMs: Math.max(...refused.map((s) => s.resetMs)),
  };
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
 * Budgets in this process: fixed windows and token buckets in maps. A refused request consumes
 * nothing, so a client that backs off is not punished for the attempt.
 */
export class MemoryRateBudgets implements RateBudgets {
  readonly #windows = new Map<string, WindowCounter>();
  readonly #buckets = new Map<string, Bucket>();

  async take(key: string, rules: readonly RateLimitRule[], now: number): Promise<RateDecision> {
    const states = rules.map((rule) => this.#peek(rule, key, now));
    if (states.some((s) => s.remaining < 1)) return decisionOf(states, false);
    for (const state of states) {
      this.#consume(state.rule, key, now);
      state.remaining -= 1;
    }
    return decisionOf(states, true);
  }

  async inspect(key: string, rules: readonly RateLimitRule[], now: number): Promise<RuleState[]> {
    return rules.map((rule) => this.#peek(rule, key, now));
  }

  async clear(): Promise<void> {
    this.#windows.clear();
    this.#buckets.clear();
  }

  #peek(rule: RateLimitRule, key: string, now: number): RuleState {
    const field = budgetField(rule, key);
    if (rule.algorithm === "fixed-window") {
      const windowStart = now - (now % rule.windowMs);
      const counter = this.#windows.get(field);
      const used = counter && counter.windowStart === windowStart ? counter.used : 0;
      return { rule, remaining: rule.limit - used, resetMs: windowStart + rule.windowMs - now };
    }
    const tokens = this.#refilled(rule, this.#buckets.get(field), now);
    const perMs = rule.limit / rule.windowMs;
    return {
      rule,
      remaining: Math.floor(tokens),
      resetMs: tokens >= 1 ? 0 : Math.ceil((1 - tokens) / perMs),
    };
  }

  #consume(rule: RateLimitRule, key: string, now: number): void {
    const field = budgetField(rule, key);
    if (rule.algorithm === "fixed-window") {
      const windowStart = now - (now % rule.windowMs);
      const counter = this.#windows.get(field);
      if (counter && counter.windowStart === windowStart) counter.used++;
      else this.#windows.set(field, { windowStart, used: 1 });
      return;
    }
    const tokens = this.#refilled(rule, this.#buckets.get(field), now);
    this.#buckets.set(field, { tokens: tokens - 1, at: now });
  }

  #refilled(rule: RateLimitRule, bucket: Bucket | undefined, now: number): number {
    if (!bucket) return rule.limit;
    return Math.min(rule.limit, bucket.tokens + ((now - bucket.at) * rule.limit) / rule.windowMs);
  }
}
