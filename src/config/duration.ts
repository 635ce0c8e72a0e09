import { z } from "zod";

/**
 * Durations and rates as people write them in scenario files, configuration and admin calls: "250ms", "90s", "15m", "1h30m",
 * "24h", "2d", or a plain number of milliseconds. Parsed in the schema, so the runner only ever
 * sees milliseconds and a typo is reported with its line.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_TEXT = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const DURATION_HELP = 'a duration: a number of ms, or text like "250ms", "90s", "15m", "1h30m", "24h"';

export function parseDuration(text: string): number | undefined {
  const compact = text.replace(/\s+/g, "");
  if (!DURATION_TEXT.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(DURATION_PART))
    total += Number(amount) * (UNIT_MS[unit as string] as number);
  return total;
}

const DURATION_INPUT = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$/;
const durationOf = (value: number | string) =>
  typeof value === "number" ? value : (parseDuration(value) as number);

export const Duration = z
  .union([
    z.number({ error: `expected ${DURATION_HELP}` }).nonnegative("a duration cannot be negative"),
    z.string().regex(DURATION_INPUT, `expected ${DURATION_HELP}`),
  ])
  .transform(durationOf)
  .meta({ description: DURATION_HELP });

/**
 * A duration that must be longer than nothing (an outage, a window). Its own union, not a refine of
 * `Duration`: the documents generated from it must say `exclusiveMinimum: 0`, which a refine hides.
 */
export const PositiveDuration = z
  .union([
    z.number({ error: `expected ${DURATION_HELP}` }).positive("a duration must be longer than 0"),
    z.string().regex(DURATION_INPUT, `expected ${DURATION_HELP}`),
  ])
  .transform(durationOf)
  .refine((ms) => ms > 0, "a duration must be longer than 0")
  .meta({ description: `${DURATION_HELP}, longer than 0` });

/** Readable form of a duration in ms, for messages and reports: "250ms", "1.25s", "14m46s", "24h". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(2))}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1_000) * 1_000;
  // Days only from two on: "24h" and "36h" read better than "1d" and "1d12h".
  for (const unit of rest >= 2 * (UNIT_MS.d as number)
    ? (["d", "h", "m", "s"] as const)
    : (["h", "m", "s"] as const)) {
    const size = UNIT_MS[unit] as number;
    if (rest >= size && parts.length < 2) parts.push(`${Math.floor(rest / size)}${unit}`);
    if (parts.length > 0) rest %= size;
  }
  return parts.join("");
}

const RATE_UNIT_MS: Record<string, number> = {
  s: 1_000,
  sec: 1_000,
  second: 1_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};
/** Amount (not zero) per unit: "5/s", "30/min", "0.5/h". */
const RATE_TEXT =
  /^\s*(?!0*(?:\.0*)?\s*\/)(\d+(?:\.\d+)?)\s*\/\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$/;
const RATE_HELP = 'a rate: operations per second as a number, or text like "5/s", "30/min", "200/h"';

/** Operations per millisecond. */
export const Rate = z
  .union([
    z.number({ error: `expected ${RATE_HELP}` }).positive("a rate must be greater than 0"),
    z.string().regex(RATE_TEXT, `expected ${RATE_HELP} (greater than 0)`),
  ])
  .transform((value) => {
    if (typeof value === "number") return value / 1_000;
    const [, amount, unit] = RATE_TEXT.exec(value) as RegExpExecArray;
    return Number(amount) / (RATE_UNIT_MS[unit as string] as number);
  })
  .meta({ description: RATE_HELP });
