import { percentiles, perWindow, range, stage } from "../shared/definition.js";
import { terminalPlatform } from "../shared/terminal-platform.js";
import { intelsatAdapter } from "./adapter.js";
import { NATIVE_TRANSITIONS } from "./model.js";
import { intelsatApi } from "./native.js";

export const intelsat = terminalPlatform({
  code: "INTELSAT",
  nativeName: "Intelsat IoT Terminal API",
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
    // A suspension shows nothing until it is done: the terminal stays ACTIVE meanwhile.
    transitional: { ACTIVE: "PENDING_ACTIVATION", DEACTIVATED: "PENDING_DEACTIVATION" },
    initial: { INACTIVE: "PROVISIONED", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "DEACTIVATED" },
    nativeTransitions: NATIVE_TRANSITIONS,
  },
  latency: range(300, 1200),
  rateLimit: perWindow("second", 5),
  // 1–15 min in all, p50 about 3 min; stage names are the order's statuses.
  asyncTimeline: [
    stage("SUBMITTED", range(2_000, 30_000)),
    stage("IN_PROGRESS", percentiles(55_000, 170_000, 860_000), 0.02),
  ],
  nativeTokenLifetimeSeconds: 3600,
  api: intelsatApi,
  adapter: intelsatAdapter,
});
