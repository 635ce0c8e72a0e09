/**
 * Billing cycles. Control Center bills by calendar month unless an operator configures otherwise,
 * and this fake's operators do not: a cycle runs from the first of a month (UTC) to its last
 * millisecond. The CMO adapter reads ctdUsages with the same assumption.
 */

export function cycleStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The start of the cycle `months` after (or, negative, before) the one holding `ms`. */
export function shiftCycle(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

/** The last millisecond of the cycle holding `ms`. */
export const cycleEnd = (ms: number) => shiftCycle(ms, 1) - 1;

/** Usage by zone reaches back this many cycles: the current one and the two before it. */
export const CYCLES_KEPT = 3;
