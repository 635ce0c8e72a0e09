import type { CmoStatus, PlatformCode } from "../../src/config/schema.js";
import type { NumberingPlan } from "../../src/inventory/numbering.js";
import type { ProfileDefaults } from "./profile.js";
import type { StatusVocabulary } from "./vocabulary.js";

/**
 * What a platform's runtime reads from its definition: its code, how its inventory is numbered and
 * mixed, its status vocabulary and its profile defaults. A leaf, so the runtime never imports the
 * full `PlatformDefinition` (whose native API hooks take the runtime), and `PlatformDefinition`
 * extends it.
 */
export interface PlatformSpec {
  code: PlatformCode;
  numbering: NumberingPlan;
  /** Mix of generated statuses (CMO vocabulary). */
  statusWeights: Partial<Record<CmoStatus, number>>;
  vocabulary: StatusVocabulary;
  defaults: ProfileDefaults;
}
