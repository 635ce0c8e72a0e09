import {
  budgetField,
  decisionOf,
  type RateBudgets,
  type RateDecision,
  type RateLimitRule,
  type RuleState,
} from "../engine/rate-budgets.js";
import { type RedisConnection, Script } from "./redis-script.js";

/**
 * KEYS: the budget's hash (field → "windowStart:used" for a fixed window, "tokens:at" for a bucket).
 * ARGV: now, "1" to take or "0" to look, then per rule: field, algorithm, limit, windowMs.
 * Returns "1" or "0" (admitted), then per rule its remaining count and ms to reset, as text so
 * that fractions survive (Redis turns a Lua number into an integer). A take that any rule refuses
 * writes nothing. The arithmetic is the memory budgets', in the same order, so the two agree to
 * the last bit on the same requests and times.
 */
const BUDGET = new Script(`
local now, taking = tonumber(ARGV[1]), ARGV[2] == '1'
local count = (#ARGV - 2) / 4
local fields, writes, out = {}, {}, {'1'}
local admitted = true
for i = 1, count do
  local at = 2 + (i - 1) * 4
  local field, kind = ARGV[at + 1], ARGV[at + 2]
  local limit, window = tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  local stored = redis.call('HGET', KEYS[1], field)
  local a, b
  if stored then a, b = string.match(stored, '^([^:]+):(.+)$') end
  local remaining, reset
  if kind == 'fixed-window' then
    local start = now - (now % window)
    local used = 0
    if a and tonumber(a) == start then used = tonumber(b) end
    remaining, reset = limit - used, start + window - now
    writes[i] = string.format('%.17g:%.17g', start, used + 1)
  else
    local tokens = limit
    if a then tokens = math.min(limit, tonumber(a) + ((now - tonumber(b)) * limit) / window) end
    remaining = math.floor(tokens)
    if tokens >= 1 then reset = 0 else reset = math.ceil((1 - tokens) / (limit / window)) end
    writes[i] = string.format('%.17g:%.17g', tokens - 1, now)
  end
  if remaining < 1 then admitted = false end
  fields[i] = field
  out[#out + 1] = remaining
  out[#out + 1] = reset
end
if taking and admitted then
  for i = 1, count do
    redis.call('HSET', KEYS[1], fields[i], writes[i])
    out[2 * i] = out[2 * i] - 1
  end
end
if not admitted then out[1] = '0' end
for i = 2, #out do out[i] = string.format('%.17g', out[i]) end
return out
`);

/** One platform's rate budgets on Redis: one hash, every take one script over all its rules. */
export class RedisRateBudgets implements RateBudgets {
  readonly #connection: RedisConnection;
  readonly #key: string;

  constructor(connection: RedisConnection, key: string) {
    this.#connection = connection;
    this.#key = key;
  }

  async take(key: string, rules: readonly RateLimitRule[], now: number): Promise<RateDecision> {
    const { admitted, states } = await this.#run(key, rules, now, true);
    return decisionOf(states, admitted);
  }

  async inspect(key: string, rules: readonly RateLimitRule[], now: number): Promise<RuleState[]> {
    return (await this.#run(key, rules, now, false)).states;
  }

  async clear(): Promise<void> {
    await this.#connection.sendCommand(["DEL", this.#key]);
  }

  async #run(key: string, rules: readonly RateLimitRule[], now: number, taking: boolean) {
    const args = [String(now), taking ? "1" : "0"];
    for (const rule of rules)
      args.push(budgetField(rule, key), rule.algorithm, String(rule.limit), String(rule.windowMs));
    const [admitted, ...counts] = await BUDGET.run<string[]>(this.#connection, [this.#key], args);
    const states = rules.map((rule, i) => ({
      rule,
      remaining: Number(counts[2 * i]),
      resetMs: Number(counts[2 * i + 1]),
    }));
    return { admitted: admitted === "1", states };
  }
}
