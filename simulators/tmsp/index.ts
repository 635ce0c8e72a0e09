import { percentiles, perWindow, profileDefaults, range, stage, targetsOf } from "../shared/definition.js";
import type { PlatformDefinition } from "../shared/types.js";
import { tmspAdapter } from "./adapter.js";
import { tmspApi } from "./native.js";

const INITIAL = {
  INVENTORY: "INACTIVE",
  ACTIVE: "ACTIVE",
  SUSPENDED: "SUSPENDED",
  BLOCKED: "BLOCKED",
  TERMINATED: "TERMINATED",
};

export const tmsp: PlatformDefinition = {
  code: "TMSP",
  family: "tmsp",
  nativeName: "Telekom Deutschland M2M Service Portal 3.0 (Customer REST Services)",
  connectivity: "CELLULAR",
  cmoMode: "async",
  numbering: {
    kind: "cellular",
    // 8949 02…: the prefix of the TMSP SIM in the CMO's published monitor example.
    iccidIssuerPrefix: "89490200",
    iccidLength: 20,
    mcc: "262",
    mnc: "01",
    msisdnCountryCode: "49",
    msisdnPrefixes: ["151", "160", "170", "171", "175"],
    msisdnSubscriberDigits: 8,
    ratePlans: [
      "Business Smart Connect S",
      "Business Smart Connect M",
      "Business Smart Connect L",
      "M2M Data Pool 10 MB",
    ],
    communicationPlans: ["internet.m2mportal.de"],
    offerings: ["T IoT Connectivity Germany", "T IoT Connectivity Europe"],
  },
  statusWeights: { ACTIVE: 12, SUSPENDED: 3, INVENTORY: 3, BLOCKED: 1, TERMINATED: 1 },
  vocabulary: {
    // INACTIVE is stock that was never activated; BLOCKED is a barred SIM (lost, stolen, fraud).
    toCmo: {
      INACTIVE: "INVENTORY",
      ACTIVE: "ACTIVE",
      SUSPENDED: "SUSPENDED",
      BLOCKED: "BLOCKED",
      TERMINATED: "TERMINATED",
    },
    initial: INITIAL,
    target: targetsOf(INITIAL, ["ACTIVE", "SUSPENDED", "BLOCKED", "TERMINATED"]),
    nativeTransitions: {
      INACTIVE: ["ACTIVE", "BLOCKED", "TERMINATED"],
      ACTIVE: ["SUSPENDED", "BLOCKED", "TERMINATED"],
      SUSPENDED: ["ACTIVE", "BLOCKED", "TERMINATED"],
      BLOCKED: ["ACTIVE", "TERMINATED"],
      TERMINATED: [],
    },
  },
  defaults: profileDefaults({
    latency: range(200, 800),
    rateLimits: [perWindow("second", 20)],
    // 5–60 s in all, p50 about 10 s: a short queueing stage, then the network provisioning.
    asyncTimeline: [
      stage("PENDING", range(400, 3000)),
      stage("IN_PROGRESS", percentiles(4500, 8800, 56000), 0.02),
    ],
    transitions: {
      INVENTORY: ["BLOCKED", "TERMINATED"],
      ACTIVE: ["SUSPENDED", "BLOCKED", "TERMINATED"],
      SUSPENDED: ["ACTIVE", "BLOCKED", "TERMINATED"],
      BLOCKED: ["TERMINATED"],
    },
    transfer: true,
    nativeTokenLifetimeSeconds: 300,
  }),
  api: tmspApi,
  adapter: tmspAdapter,
};
