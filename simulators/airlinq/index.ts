import { cmoTransitions } from "../shared/transitions.js";
import type { PlatformDefinition, StatusVocabulary } from "../shared/types.js";
import { airlinqAdapter } from "./adapter.js";
import { airlinqApi } from "./native.js";

const VOCABULARY: StatusVocabulary = {
  // TEST is a SIM handed over for trials before activation: the CMO's "created, not yet live".
  toCmo: {
    TEST: "CREATED",
    INVENTORY: "INVENTORY",
    ACTIVE: "ACTIVE",
    SUSPENDED: "SUSPENDED",
    TERMINATED: "TERMINATED",
  },
  initial: {
    CREATED: "TEST",
    INVENTORY: "INVENTORY",
    ACTIVE: "ACTIVE",
    SUSPENDED: "SUSPENDED",
    TERMINATED: "TERMINATED",
  },
  target: { ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "TERMINATED" },
  nativeTransitions: {
    INVENTORY: ["TEST", "ACTIVE", "TERMINATED"],
    TEST: ["ACTIVE", "TERMINATED"],
    ACTIVE: ["SUSPENDED", "TERMINATED"],
    // SUSPENDED is "safe custody": the SIM keeps its number and can come back.
    SUSPENDED: ["ACTIVE", "TERMINATED"],
    TERMINATED: [],
  },
};

export const airlinq: PlatformDefinition = {
  code: "AIRLINQ",
  family: "airlinq",
  nativeName: "Jio CMO Management Platform (Airlinq CMP)",
  connectivity: "CELLULAR",
  cmoMode: "async",
  numbering: {
    kind: "cellular",
    // 89 + India (91) + a Jio issuer code; IMSIs in Jio's 405-8xx block.
    iccidIssuerPrefix: "8991874",
    iccidLength: 20,
    mcc: "405",
    mnc: "857",
    msisdnCountryCode: "91",
    msisdnPrefixes: ["62", "70", "79", "89", "93"],
    msisdnSubscriberDigits: 8,
    ratePlans: ["JioThings IoT 1GB", "JioThings IoT 5GB Pooled", "JioThings NB-IoT 100MB"],
    communicationPlans: ["Jio 4G LTE-M", "Jio NB-IoT"],
    offerings: ["JioThings Smart Meter Connect", "JioThings Fleet Connect", "JioThings POS Connect"],
  },
  statusWeights: { ACTIVE: 12, SUSPENDED: 3, INVENTORY: 2, CREATED: 2, TERMINATED: 1 },
  vocabulary: VOCABULARY,
  defaults: {
    latency: { type: "range", min: 200, max: 900 },
    rateLimits: [{ name: "minute", limit: 20, windowMs: 60_000, algorithm: "fixed-window" }],
    maxConcurrent: null,
    // 20 s–5 min in all; the stage names are what each ICCID's result shows meanwhile.
    asyncTimeline: [
      { state: "QUEUED", duration: { type: "range", min: 2_000, max: 15_000 } },
      { state: "PROCESSING", duration: { type: "range", min: 16_000, max: 285_000 }, failureRate: 0.02 },
    ],
    transitions: cmoTransitions("ACTIVE↔SUSPENDED, →TERMINATED", Object.values(VOCABULARY.toCmo)),
    transfer: false,
    syncWaitTimeoutMs: 30_000,
    nativeTokenLifetimeSeconds: 3600,
  },
  api: airlinqApi,
  adapter: airlinqAdapter,
};
