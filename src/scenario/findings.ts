import type { Finding } from "../contracts/exchange.js";

/** Findings of one kind at one place, counted: a day of traffic repeats the same drift thousands of times. */
export interface FindingGroup extends Finding {
  count: number;
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * Groups findings by (kind, subject, path, rule, expected), in a fixed order, keeping the first
 * actual value seen. Random ids in it (trace and correlation ids) read "<uuid>", so a replay of the
 * same run reports the same bytes.
 */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = JSON.stringify([f.kind, f.subject, f.path ?? "", f.rule, f.expected]);
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { ...f, actual: f.actual.replace(UUID, "<uuid>"), count: 1 });
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}
