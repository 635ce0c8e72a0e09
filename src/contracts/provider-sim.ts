import { calmPlatforms } from "../config/calm.js";
import type { ConfigInput } from "../config/schema.js";
import { listen, type RunningServer } from "../server/listen.js";
import { createSimulator, type Simulator } from "../server/simulator.js";

/**
 * The simulator a contract is verified against: the default world on a manual clock, with the
 * weather taken out (no latency, rate limits, faults or failing operations) so that an interaction
 * meets exactly the situation its provider states arrange, and nothing else.
 */
export function contractConfig(overrides: ConfigInput = {}): ConfigInput {
  return { clock: "manual", ...overrides, platforms: { ...calmPlatforms(), ...overrides.platforms } };
}

/** A contract simulator served on 127.0.0.1 and a free port. */
export async function startContractSimulator(
  overrides: ConfigInput = {},
): Promise<{ sim: Simulator; server: RunningServer }> {
  const sim = createSimulator({ ...contractConfig(overrides), server: { host: "127.0.0.1", port: 0 } });
  return { sim, server: await listen(sim, 0, "127.0.0.1") };
}
