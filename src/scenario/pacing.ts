import type { AdminClient } from "../admin/client.js";
import { adminRoutes } from "../admin/routes.js";
import type { PacingCounts } from "../engine/pacing.js";

/** The CMO's pacing counters per platform, where the simulator tells (a cmo-sim from before pacing does not). */
export async function pacingOf(admin: AdminClient | undefined): Promise<Map<string, PacingCounts>> {
  const counts = new Map<string, PacingCounts>();
  for (const platform of admin ? await admin.call(adminRoutes.listPlatforms, {}) : [])
    if (platform.pacing) counts.set(platform.code, platform.pacing);
  return counts;
}

/** The pacing a run caused: counters after it, less those before, for platforms that paced anything. */
export function pacingSince(
  before: Map<string, PacingCounts>,
  after: Map<string, PacingCounts>,
): Record<string, PacingCounts> {
  const out: Record<string, PacingCounts> = {};
  for (const [code, a] of after) {
    const b = before.get(code) ?? { calls: 0, waited: 0, waitedMs: 0, refused: { rate: 0, gate: 0 } };
    const diff = {
      calls: a.calls - b.calls,
      waited: a.waited - b.waited,
      waitedMs: a.waitedMs - b.waitedMs,
      refused: { rate: a.refused.rate - b.refused.rate, gate: a.refused.gate - b.refused.gate },
    };
    if (diff.calls > 0 || diff.refused.rate > 0 || diff.refused.gate > 0) out[code] = diff;
  }
  return out;
}
