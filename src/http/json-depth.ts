/**
 * How deep a request body may nest. Parsing a deep document is cheap, but everything that walks
 * it afterwards (JSON.stringify, structuredClone, a snapshot, a monitor's rendering) recurses, and
 * a few thousand levels overflow the stack long after the change the body asked for was made.
 * Nothing cmo-sim accepts needs more than a handful of levels.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `limit` (walked without recursion, so it cannot overflow). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
