import type { CellularNumbering } from "../../src/inventory/numbering.js";
import { type AsyncCarrier, asyncPlatform } from "./definition.js";
import { cmoTransitions } from "./transitions.js";
import type { PlatformDefinition } from "./types.js";

/**
 * A carrier that takes a status change as a ticket and lets the caller poll it (Airlinq, stc,
 * Turkcell): cellular, with the CMO transitions platforms.md gives all three.
 */
export function ticketPlatform(carrier: AsyncCarrier<CellularNumbering>): PlatformDefinition {
  return asyncPlatform(
    {
      connectivity: "CELLULAR",
      transitions: (statuses) => cmoTransitions("ACTIVE↔SUSPENDED, →TERMINATED", statuses),
    },
    carrier,
  );
}
