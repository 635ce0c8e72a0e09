import type { PlatformDefinition } from "../shared/types.js";
import { intelsatAdapter } from "./adapter.js";
import { NATIVE_TRANSITIONS } from "./model.js";
import { intelsatApi } from "./native.js";

export const intelsat: PlatformDefinition = {
  code: "INTELSAT",
  family: "intelsat",
  nativeName: "Intelsat IoT Terminal API",
  connectivity: "SATELLITE",
  cmoMode: "async",
  numbering: {
    kind: "satellite",
    // Plain numeric serials, as in the Hub's INTELSAT-27492 / INTELSAT-27597 examples.
    serialPrefix: "",
    serialDigits: 7,
    models: ["iDirect X7", "iDirect iQ 200", "Kymeta u8", "Intellian v100NX", "Cobham SAILOR 600 VSAT"],
    servicePlans: [
      "FlexEnterprise Global",
      "FlexEnterprise Regional",
      "FlexMaritime Global",
      "FlexMove Land Mobile",
    ],
    offerings: [
      "FlexEnterprise Global",
      "FlexEnterprise Regional",
      "FlexMaritime Global",
      "FlexMove Land Mobile",
    ],
  },
  statusWeights: { ACTIVE: 12, INACTIVE: 4, SUSPENDED: 3, TERMINATED: 1 },
  vocabulary: {
    toCmo: {
      PROVISIONED: "INACTIVE",
      PENDING_ACTIVATION: "PENDING_ACTIVE",
      ACTIVE: "ACTIVE",
      SUSPENDED: "SUSPENDED",
      PENDING_DEACTIVATION: "PENDING_TERMINATE",
      DEACTIVATED: "TERMINATED",
    },
    initial: { INACTIVE: "PROVISIONED", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "DEACTIVATED" },
    target: { ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "DEACTIVATED" },
    // A suspension shows nothing until it is done: the terminal stays ACTIVE meanwhile.
    transitional: { ACTIVE: "PENDING_ACTIVATION", DEACTIVATED: "PENDING_DEACTIVATION" },
    nativeTransitions: NATIVE_TRANSITIONS,
  },
  defaults: {
    latency: { type: "range", min: 300, max: 1200 },
    rateLimits: [{ name: "second", limit: 5, windowMs: 1000, algorithm: "fixed-window" }],
    maxConcurrent: null,
    // 1–15 min in all, p50 about 3 min; stage names are the order's statuses.
    asyncTimeline: [
      { state: "SUBMITTED", duration: { type: "range", min: 2_000, max: 30_000 } },
      {
        state: "IN_PROGRESS",
        duration: { type: "percentiles", p1: 55_000, p50: 170_000, p99: 860_000 },
        failureRate: 0.02,
      },
    ],
    transitions: { INACTIVE: ["ACTIVE"], ACTIVE: ["SUSPENDED"], SUSPENDED: ["ACTIVE"] },
    transfer: false,
    syncWaitTimeoutMs: 30_000,
    nativeTokenLifetimeSeconds: 3600,
  },
  api: intelsatApi,
  adapter: intelsatAdapter,
};
