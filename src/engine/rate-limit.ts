import type { Clock } from "./clock.js";
import { type ConcurrencyGates, MemoryConcurrencyGates } from "./concurrency-gates.js";
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

/** Gives a gate back; safe to call more than once. */
export type Release = () => Promise<void>;

const UNGATED: Release = async () => {};

/**
 * "One call at a time" style limits: at most `max` requests in flight per key, counted in gates
 * (the store's, so that replicas share them). Without a limit nothing is counted at all.
 */
export class ConcurrencyGate {
  constructor(
    private max: number,
    private readonly gates: ConcurrencyGates = new MemoryConcurrencyGates(),
  ) {}

  setMax(max: number): void {
    this.max = max;
  }

  /** A release when admitted, undefined when the key is at its limit; at once when there is no limit. */
  tryAcquire(key: string): Release | Promise<Release | undefined> {
    if (this.max === Number.POSITIVE_INFINITY) return UNGATED;
    return this.#enter(key);
  }

  inFlight(key: string): Promise<number> {
    return this.gates.holders(key);
  }

  async #enter(key: string): Promise<Release | undefined> {
    const ticket = await this.gates.enter(key, this.max);
    if (ticket === undefined) return undefined;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.gates.leave(key, ticket);
    };
  }
}
