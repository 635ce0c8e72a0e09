import type { Clock } from "./clock.js";
import {
  MemoryRateBudgets,
  type RateBudgets,
  type RateDecision,
  type RateLimitRule,
  type RuleState,
} from "./rate-budgets.js";

export type { RateBudgets, RateDecision, RateLimitRule, RuleState } from "./rate-budgets.js";

/**
 * Admission control over one or more rules at once (say 10/s and 100/min), on the clock's time. The
 * rules live here; the counts live in budgets (the store's, so that replicas spend one budget).
 */
export class RateLimiter {
  #rules: readonly RateLimitRule[];

  constructor(
    private readonly clock: Clock,
    rules: readonly RateLimitRule[],
    private readonly budgets: RateBudgets = new MemoryRateBudgets(),
  ) {
    this.#rules = rules;
  }

  /** The rules from now on; counts already spent stay until `reset`. */
  setRules(rules: readonly RateLimitRule[]): void {
    this.#rules = rules;
  }

  /** Forgets every count, for every process on the budgets (the rules changed). */
  reset(): Promise<void> {
    return this.budgets.clear();
  }

  take(key: string, operation?: string): Promise<RateDecision> {
    return this.budgets.take(key, this.#rulesFor(operation), this.clock.now());
  }

  /** Counters per key and rule, for the admin API and the dashboard. */
  inspect(key: string, operation?: string): Promise<RuleState[]> {
    return this.budgets.inspect(key, this.#rulesFor(operation), this.clock.now());
  }

  #rulesFor(operation: string | undefined): RateLimitRule[] {
    return this.#rules.filter(
      (rule) => !rule.operations || operation === undefined || rule.operations.includes(operation),
    );
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
