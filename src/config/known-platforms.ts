import { PLATFORMS } from "../../simulators/registry.js";
import type { PlainIssue } from "./errors.js";

/**
 * Platform codes the configuration names that this build does not simulate. The schema cannot
 * know them (the registry builds on it), so this looks at the raw document, beside the schema, and
 * the two report together.
 */
export function unknownPlatforms(value: unknown): PlainIssue[] {
  const platforms = (value as { platforms?: unknown } | null)?.platforms;
  if (typeof platforms !== "object" || platforms === null || Array.isArray(platforms)) return [];
  const known = PLATFORMS.map((p) => p.code as string);
  return Object.keys(platforms)
    .filter((code) => !known.includes(code))
    .map((code) => ({
      path: ["platforms", code],
      atKey: true,
      message: `${code} is not simulated (platforms: ${known.join(", ")})`,
    }));
}
