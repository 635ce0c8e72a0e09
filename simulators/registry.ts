import type { PlatformCode } from "../src/config/schema.js";
import { once } from "./1nce/index.js";
import type { PlatformDefinition } from "./shared/types.js";

/**
 * Every platform the simulator hosts, in the CMO's order. Adding a carrier is one folder under
 * simulators/ and one line here.
 */
export const PLATFORMS: readonly PlatformDefinition[] = [once];

export function platformDefinition(code: PlatformCode): PlatformDefinition | undefined {
  return PLATFORMS.find((p) => p.code === code);
}
