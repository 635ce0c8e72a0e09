import type { CmoStatus, PlatformCode } from "../../src/config/schema.js";
import type { CellularNumbering } from "../../src/inventory/numbering.js";
import { perWindow, profileDefaults, range } from "../shared/definition.js";
import type { PlatformDefinition, StatusVocabulary } from "../shared/types.js";
import { controlCenterAdapter } from "./adapter.js";
import { controlCenterApi } from "./native.js";

/**
 * Control Center's SIM states. Enterprise users move stock freely among the pre-activation states,
 * then along the lifecycle ACTIVATED ↔ DEACTIVATED → RETIRED → PURGED; PURGED and REPLACED (a
 * swapped SIM) are final. Operators may narrow this; the CMO's per-operator rules sit on top.
 */
const VOCABULARY: StatusVocabulary = {
  toCmo: {
    INVENTORY: "INVENTORY",
    TEST_READY: "INVENTORY",
    ACTIVATION_READY: "CREATED",
    ACTIVATED: "ACTIVE",
    DEACTIVATED: "SUSPENDED",
    RETIRED: "PENDING_TERMINATE",
    PURGED: "TERMINATED",
    REPLACED: "TERMINATED",
  },
  // Stock in an enterprise account is usually TEST_READY: it carries the free test quota.
  initial: {
    INVENTORY: "TEST_READY",
    CREATED: "ACTIVATION_READY",
    ACTIVE: "ACTIVATED",
    SUSPENDED: "DEACTIVATED",
    PENDING_TERMINATE: "RETIRED",
    TERMINATED: "PURGED",
  },
  target: {
    INVENTORY: "INVENTORY",
    CREATED: "ACTIVATION_READY",
    ACTIVE: "ACTIVATED",
    SUSPENDED: "DEACTIVATED",
    PENDING_TERMINATE: "RETIRED",
    TERMINATED: "PURGED",
  },
  nativeTransitions: {
    INVENTORY: ["TEST_READY", "ACTIVATION_READY", "ACTIVATED", "DEACTIVATED", "RETIRED"],
    TEST_READY: ["INVENTORY", "ACTIVATION_READY", "ACTIVATED", "DEACTIVATED", "RETIRED"],
    ACTIVATION_READY: ["INVENTORY", "TEST_READY", "ACTIVATED", "DEACTIVATED", "RETIRED"],
    ACTIVATED: ["DEACTIVATED", "RETIRED"],
    DEACTIVATED: ["ACTIVATED", "RETIRED"],
    RETIRED: ["ACTIVATED", "DEACTIVATED", "PURGED"],
    PURGED: [],
    REPLACED: [],
  },
};

/** What one operator's Control Center deployment states about itself. */
export interface ControlCenterInstance {
  code: PlatformCode;
  nativeName: string;
  numbering: CellularNumbering;
  statusWeights: Partial<Record<CmoStatus, number>>;
  /** CMO-level transitions the Hub allows for this operator. */
  transitions: Partial<Record<CmoStatus, CmoStatus[]>>;
  /** Customers an edit may assign devices to (Control Center's business units); invented names. */
  customers: readonly string[];
  /** Rating zones of the operator's rate plans, home zone first; invented names. */
  zones: readonly string[];
}

/** A Control Center platform: one API, vocabulary and profile, configured per operator. */
export function controlCenter({ customers, zones, ...instance }: ControlCenterInstance): PlatformDefinition {
  const { ratePlans, communicationPlans } = instance.numbering;
  return {
    ...instance,
    family: "cisco",
    connectivity: "CELLULAR",
    cmoMode: "sync",
    vocabulary: VOCABULARY,
    defaults: profileDefaults({
      latency: range(150, 600),
      rateLimits: [perWindow("second", 5)],
      maxConcurrent: 1,
      asyncTimeline: null,
      transitions: instance.transitions,
      transfer: true,
      // Basic auth on every call: no token to expire.
      nativeTokenLifetimeSeconds: 3600,
    }),
    api: controlCenterApi({ ratePlans, communicationPlans, customers, zones }),
    adapter: controlCenterAdapter,
  };
}

/** Every status the CMO can show for Control Center SIMs, from every one still changeable. */
export function allTransitions(): Partial<Record<CmoStatus, CmoStatus[]>> {
  const statuses = [...new Set(Object.values(VOCABULARY.toCmo))];
  return Object.fromEntries(
    statuses.filter((s) => s !== "TERMINATED").map((from) => [from, statuses.filter((to) => to !== from)]),
  );
}
