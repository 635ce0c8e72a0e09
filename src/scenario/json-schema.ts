import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { Duration, Rate } from "../config/duration.js";
import * as config from "../config/schema.js";
import { ProductRef, RetryPolicy, Scenario, ScenarioEvent, ScenarioPlatform, Step } from "./schema.js";

/** Pieces used in many places get a name in `$defs`, so the file stays small and readable. */
const FROM_CONFIG = "DurationSpec FaultSpec Operation PlatformProfile RateLimitRule TenantConfig".split(" ");
const configPieces = Object.entries(config).filter(([name]) => FROM_CONFIG.includes(name));
const NAMED: Record<string, z.ZodType> = {
  Duration,
  Rate,
  ...(Object.fromEntries(configPieces) as Record<string, z.ZodType>),
  Platform: ScenarioPlatform,
  ProductRef,
  RetryPolicy,
  Step,
  Event: ScenarioEvent,
};

/** Where editors find the scenario schema (`$schema: ./scenario.schema.json` in a scenario file). */
export const SCHEMA_FILE = fileURLToPath(new URL("../../scenarios/scenario.schema.json", import.meta.url));

/** The scenario schema as JSON Schema (what a file may contain, before defaults are applied). */
export function scenarioJsonSchema(): string {
  for (const [id, piece] of Object.entries(NAMED))
    z.globalRegistry.add(piece, { ...z.globalRegistry.get(piece), id });
  const schema = z.toJSONSchema(Scenario, { io: "input", unrepresentable: "any" });
  const described = {
    ...schema,
    title: "cmo-sim scenario",
    description:
      "A cmo-sim scenario: platform behaviour, timed events, traffic and expectations (scenarios/README.md).",
  };
  return `${JSON.stringify(described, null, 2)}\n`;
}

// `npm run scenarios:schema` regenerates the committed file.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, scenarioJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
