import { cmoTransitions } from "../shared/transitions.js";
import type { PlatformDefinition, StatusVocabulary } from "../shared/types.js";
import { stcAdapter } from "./adapter.js";
import { stcApi } from "./native.js";

const VOCABULARY: StatusVocabulary = {
  // BARRED is the operator's own bar (fraud, unpaid bills): the customer sees a suspension it cannot lift.
  toCmo: {
    PRE_ACTIVE: "INVENTORY",
    ACTIVE: "ACTIVE",
    SUSPENDED: "SUSPENDED",
    BARRED: "SUSPENDED",
    TERMINATED: "TERMINATED",
  },
  initial: { INVENTORY: "PRE_ACTIVE", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "TERMINATED" },
  target: { ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "TERMINATED" },
  nativeTransitions: {
    PRE_ACTIVE: ["ACTIVE", "TERMINATED"],
    ACTIVE: ["SUSPENDED", "TERMINATED"],
    SUSPENDED: ["ACTIVE", "TERMINATED"],
    BARRED: ["TERMINATED"],
    TERMINATED: [],
  },
};

export const stc: PlatformDefinition = {
  code: "STC",
  family: "stc",
  nativeName: "stc ConnectME",
  connectivity: "CELLULAR",
  cmoMode: "async",
  numbering: {
    kind: "cellular",
    // 89 + Saudi Arabia (966) + stc's issuer code 01, as its MNC (420-01).
    iccidIssuerPrefix: "8996601",
    iccidLength: 20,
    mcc: "420",
    mnc: "01",
    msisdnCountryCode: "966",
    msisdnPrefixes: ["50", "53", "55"],
    msisdnSubscriberDigits: 7,
    ratePlans: ["ConnectME IoT 500MB", "ConnectME IoT 2GB", "ConnectME Fleet 5GB", "ConnectME NB-IoT 50MB"],
    communicationPlans: ["stc LTE-M", "stc NB-IoT", "stc 4G"],
    offerings: ["ConnectME IoT Basic", "ConnectME IoT Plus", "ConnectME Fleet"],
  },
  statusWeights: { ACTIVE: 13, SUSPENDED: 3, INVENTORY: 3, TERMINATED: 1 },
  vocabulary: VOCABULARY,
  defaults: {
    latency: { type: "range", min: 200, max: 800 },
    rateLimits: [{ name: "second", limit: 10, windowMs: 1000, algorithm: "token-bucket" }],
    maxConcurrent: null,
    // 30 s–10 min in all: the order is captured, then the operator's BSS provisions it.
    asyncTimeline: [
      { state: "RECEIVED", duration: { type: "range", min: 3_000, max: 25_000 } },
      { state: "PROVISIONING", duration: { type: "range", min: 25_000, max: 575_000 }, failureRate: 0.03 },
    ],
    transitions: cmoTransitions("ACTIVE↔SUSPENDED, →TERMINATED", Object.values(VOCABULARY.toCmo)),
    transfer: false,
    syncWaitTimeoutMs: 30_000,
    nativeTokenLifetimeSeconds: 1800,
  },
  api: stcApi,
  adapter: stcAdapter,
};
