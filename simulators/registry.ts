import type { PlatformCode } from "../src/config/schema.js";
import { once } from "./1nce/index.js";
import { iota } from "./aeris/index.js";
import { airlinq } from "./airlinq/index.js";
import { jasper, tmus } from "./cisco/index.js";
import { galaxy1 } from "./galaxy1/index.js";
import { intelsat } from "./intelsat/index.js";
import type { PlatformDefinition } from "./shared/types.js";
import { stc } from "./stc/index.js";
import { tmsp } from "./tmsp/index.js";
import { turkcell } from "./turkcell/index.js";

/**
 * Every platform the simulator hosts, in the CMO's order. Adding a carrier is one folder under
 * simulators/ and one line here. Append new ones at the end: default account ids follow this order.
 */
export const PLATFORMS: readonly PlatformDefinition[] = [
  tmsp,
  tmus,
  intelsat,
  iota,
  jasper,
  airlinq,
  once,
  stc,
  turkcell,
  galaxy1,
];

export function platformDefinition(code: PlatformCode): PlatformDefinition | undefined {
  return PLATFORMS.find((p) => p.code === code);
}
