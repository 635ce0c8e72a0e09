import { CmoStatus } from "../../src/config/schema.js";

/** Statuses nothing leaves, so `→X` does not start from them. */
const TERMINAL: ReadonlySet<CmoStatus> = new Set(["TERMINATED"]);

/**
 * The "CMO transitions allowed" column of platforms.md as profile data: `A↔B` both ways, `A→B` one
 * way, `→X` from every non-terminal status among `statuses` (the CMO statuses the platform has).
 */
export function cmoTransitions(
  notation: string,
  statuses: Iterable<CmoStatus>,
): Partial<Record<CmoStatus, CmoStatus[]>> {
  const table: Partial<Record<CmoStatus, CmoStatus[]>> = {};
  const allow = (from: CmoStatus, to: CmoStatus) => {
    const targets = table[from] ?? [];
    if (from !== to && !targets.includes(to)) table[from] = [...targets, to];
  };
  const known = [...new Set(statuses)];
  for (const rule of notation.split(",")) {
    const [left = "", right = ""] = rule.split(/↔|→/).map((s) => s.trim());
    const to = CmoStatus.parse(right);
    if (rule.includes("↔")) {
      allow(CmoStatus.parse(left), to);
      allow(to, CmoStatus.parse(left));
    } else if (left) allow(CmoStatus.parse(left), to);
    else for (const from of known) if (!TERMINAL.has(from)) allow(from, to);
  }
  return table;
}
