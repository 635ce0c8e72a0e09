import type { RateLimitRule } from "../../src/engine/rate-limit.js";
import { perWindow, profileDefaults, range, stage } from "../shared/definition.js";
import type { PlatformDefinition } from "../shared/types.js";
import { aerisAdapter } from "./adapter.js";
import { aerisApi } from "./native.js";

/** Aeris counts every endpoint group separately, per second and per minute (documented values). */
function endpointLimits(operations: string[], perSecond: number, perMinute: number): RateLimitRule[] {
  return [
    { ...perWindow("second", perSecond), operations },
    { ...perWindow("minute", perMinute), operations },
  ];
}

export const iota: PlatformDefinition = {
  code: "IOTA",
  family: "aeris",
  nativeName: "Aeris IoT Accelerator",
  connectivity: "CELLULAR",
  // Natively asynchronous; the CMO shows it synchronous because its adapter waits for the request.
  cmoMode: "sync",
  numbering: {
    kind: "cellular",
    // Magenta Telekom (T-Mobile Austria): ICCID 89 43 03…, MCC/MNC 232/03, numbers +43 676.
    iccidIssuerPrefix: "894303",
    iccidLength: 20,
    mcc: "232",
    mnc: "03",
    msisdnCountryCode: "43",
    msisdnPrefixes: ["676", "6768"],
    msisdnSubscriberDigits: 8,
    ratePlans: ["232030201_SP_IOT_10MB", "232030202_SP_IOT_100MB", "232030203_SP_IOT_1GB"],
    communicationPlans: ["EU-ZONE1", "WORLD-ZONE2"],
    offerings: ["Magenta IoT Connect 10 MB", "Magenta IoT Connect 100 MB", "Magenta IoT Connect 1 GB"],
  },
  statusWeights: { ACTIVE: 12, SUSPENDED: 4, INVENTORY: 2, BLOCKED: 1, TERMINATED: 1 },
  vocabulary: {
    toCmo: {
      ACTIVE: "ACTIVE",
      // Test and stock states: not billed, like Cisco's TEST_READY and INVENTORY.
      ACTIVE_NO_BILLING: "INVENTORY",
      DEACTIVATED_NO_BILLING: "INVENTORY",
      PAUSE: "SUSPENDED",
      DEACTIVATED: "SUSPENDED",
      OPERATOR_BLOCKED: "BLOCKED",
      TERMINATED_PENDING: "PENDING_TERMINATE",
      TERMINATED: "TERMINATED",
    },
    initial: {
      ACTIVE: "ACTIVE",
      SUSPENDED: "DEACTIVATED",
      INVENTORY: "DEACTIVATED_NO_BILLING",
      BLOCKED: "OPERATOR_BLOCKED",
      TERMINATED: "TERMINATED",
    },
    target: { ACTIVE: "ACTIVE", SUSPENDED: "PAUSE", TERMINATED: "TERMINATED" },
    transitional: { TERMINATED: "TERMINATED_PENDING" },
    nativeTransitions: {
      DEACTIVATED_NO_BILLING: ["ACTIVE_NO_BILLING", "ACTIVE", "DEACTIVATED", "TERMINATED"],
      ACTIVE_NO_BILLING: ["DEACTIVATED_NO_BILLING", "ACTIVE", "DEACTIVATED", "TERMINATED"],
      ACTIVE: ["PAUSE", "DEACTIVATED", "TERMINATED"],
      PAUSE: ["ACTIVE", "DEACTIVATED", "TERMINATED"],
      DEACTIVATED: ["ACTIVE", "PAUSE", "TERMINATED"],
      // Only the operator lifts its own block.
      OPERATOR_BLOCKED: [],
      TERMINATED_PENDING: [],
      TERMINATED: [],
    },
  },
  defaults: profileDefaults({
    latency: range(100, 400),
    rateLimits: [
      ...endpointLimits(["auth"], 5, 60),
      ...endpointLimits(["changeStatus", "transfer", "poll"], 10, 100),
      ...endpointLimits(["read"], 30, 1000),
      ...endpointLimits(["list"], 10, 150),
    ],
    asyncTimeline: [stage("PENDING", range(200, 1500)), stage("IN_PROGRESS", range(800, 6500), 0.015)],
    transitions: { ACTIVE: ["SUSPENDED"], SUSPENDED: ["ACTIVE"] },
    transfer: true,
    nativeTokenLifetimeSeconds: 300,
  }),
  api: aerisApi,
  adapter: aerisAdapter,
};
