import { cmoTransitions } from "../shared/transitions.js";
import type { PlatformDefinition, StatusVocabulary } from "../shared/types.js";
import { turkcellAdapter } from "./adapter.js";
import { turkcellApi } from "./native.js";

const VOCABULARY: StatusVocabulary = {
  // DEACTIVE is a line issued but never opened; SUSPENDED folds one-way and two-way barring together.
  toCmo: { DEACTIVE: "INVENTORY", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", CANCELLED: "TERMINATED" },
  initial: { INVENTORY: "DEACTIVE", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "CANCELLED" },
  target: { ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "CANCELLED" },
  nativeTransitions: {
    DEACTIVE: ["ACTIVE", "CANCELLED"],
    ACTIVE: ["SUSPENDED", "CANCELLED"],
    SUSPENDED: ["ACTIVE", "CANCELLED"],
    CANCELLED: [],
  },
};

export const turkcell: PlatformDefinition = {
  code: "TURKCELL",
  family: "turkcell",
  nativeName: "Turkcell M2M Line Management API",
  connectivity: "CELLULAR",
  cmoMode: "async",
  numbering: {
    kind: "cellular",
    // 89 + Turkey (90) + Turkcell's issuer code 01, as its MNC (286-01).
    iccidIssuerPrefix: "899001",
    iccidLength: 20,
    mcc: "286",
    mnc: "01",
    msisdnCountryCode: "90",
    msisdnPrefixes: ["530", "532", "533", "535", "536"],
    msisdnSubscriberDigits: 7,
    ratePlans: ["M2M Veri 100MB", "M2M Veri 1GB", "M2M Veri 5GB", "IoT NB-IoT 10MB"],
    communicationPlans: ["Turkcell 4.5G", "Turkcell LTE-M", "Turkcell NB-IoT"],
    offerings: ["Turkcell M2M Hat", "Turkcell IoT Hat", "Turkcell Filo Takip Hattı"],
  },
  statusWeights: { ACTIVE: 12, SUSPENDED: 4, INVENTORY: 2, TERMINATED: 2 },
  vocabulary: VOCABULARY,
  defaults: {
    latency: { type: "range", min: 150, max: 700 },
    rateLimits: [{ name: "second", limit: 5, windowMs: 1000, algorithm: "fixed-window" }],
    maxConcurrent: null,
    // 10 s–3 min in all; the stage names are the order's statuses.
    asyncTimeline: [
      { state: "WAITING", duration: { type: "range", min: 1_000, max: 8_000 } },
      { state: "IN_PROCESS", duration: { type: "range", min: 8_000, max: 172_000 }, failureRate: 0.02 },
    ],
    transitions: cmoTransitions("ACTIVE↔SUSPENDED, →TERMINATED", Object.values(VOCABULARY.toCmo)),
    transfer: false,
    syncWaitTimeoutMs: 30_000,
    nativeTokenLifetimeSeconds: 900,
  },
  api: turkcellApi,
  adapter: turkcellAdapter,
};
