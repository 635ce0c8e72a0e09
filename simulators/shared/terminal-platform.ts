import type { SatelliteNumbering } from "../../src/inventory/numbering.js";
import { type AsyncCarrier, asyncPlatform } from "./definition.js";
import type { PlatformDefinition } from "./types.js";

/**
 * A satellite terminal API (GALAXY1, INTELSAT): the CMO activates a terminal and then suspends and
 * resumes it; ending a terminal's contract is not a CMO change.
 */
export function terminalPlatform(carrier: AsyncCarrier<SatelliteNumbering>): PlatformDefinition {
  return asyncPlatform(
    {
      connectivity: "SATELLITE",
      transitions: () => ({ INACTIVE: ["ACTIVE"], ACTIVE: ["SUSPENDED"], SUSPENDED: ["ACTIVE"] }),
    },
    carrier,
  );
}
