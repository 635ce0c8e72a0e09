import { perWindow, range, stage } from "../shared/definition.js";
import { terminalPlatform } from "../shared/terminal-platform.js";
import { galaxy1Adapter } from "./adapter.js";
import { galaxy1Api } from "./native.js";

const PLANS = ["IoT Pro Global", "IoT Pro Regional", "BGAN M2M Standard", "IsatData Pro 10KB"];

export const galaxy1 = terminalPlatform({
  code: "GALAXY1",
  nativeName: "Viasat GALAXY1 Terminal API",
  numbering: {
    kind: "satellite",
    // Letters and digits only: product ids split on dashes.
    serialPrefix: "VT",
    serialDigits: 9,
    models: ["Hughes 9502", "Cobham EXPLORER 540", "Addvalue IDRE", "ORBCOMM ST 6100"],
    servicePlans: PLANS,
    offerings: PLANS,
  },
  statusWeights: { ACTIVE: 11, INACTIVE: 5, SUSPENDED: 3, TERMINATED: 1 },
  vocabulary: {
    toCmo: {
      INACTIVE: "INACTIVE",
      ACTIVATING: "PENDING_ACTIVE",
      ACTIVE: "ACTIVE",
      // Only ACTIVE and TERMINATED targets show as pending in the CMO: a suspension keeps ACTIVE.
      SUSPENDING: "ACTIVE",
      SUSPENDED: "SUSPENDED",
      DEACTIVATED: "TERMINATED",
    },
    initial: { INACTIVE: "INACTIVE", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "DEACTIVATED" },
    transitional: { ACTIVE: "ACTIVATING", SUSPENDED: "SUSPENDING" },
    // Deactivation ends a Viasat contract and is not done through this API.
    nativeTransitions: {
      INACTIVE: ["ACTIVE"],
      ACTIVATING: [],
      ACTIVE: ["SUSPENDED"],
      SUSPENDING: [],
      SUSPENDED: ["ACTIVE"],
      DEACTIVATED: [],
    },
  },
  latency: range(300, 1500),
  // 60 a minute as a bucket: a burst of 60, then one a second.
  rateLimit: perWindow("minute", 60, "token-bucket"),
  // 2–20 min in all; stage names are internal, callers only ever see the transitional status.
  asyncTimeline: [
    stage("QUEUED", range(2_000, 20_000)),
    stage("PROVISIONING", range(110_000, 1_150_000), 0.02),
  ],
  nativeTokenLifetimeSeconds: 1800,
  api: galaxy1Api,
  adapter: galaxy1Adapter,
});
