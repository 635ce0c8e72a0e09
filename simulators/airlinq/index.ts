import { perWindow, range, stage } from "../shared/definition.js";
import { ticketPlatform } from "../shared/ticket-platform.js";
import { airlinqAdapter } from "./adapter.js";
import { airlinqApi } from "./native.js";

export const airlinq = ticketPlatform({
  code: "AIRLINQ",
  nativeName: "Jio CMO Management Platform (Airlinq CMP)",
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
  rateLimit: perWindow("minute", 20),
  latency: range(200, 900),
  // 20 s–5 min in all; the stage names are what each ICCID's result shows meanwhile.
  asyncTimeline: [stage("QUEUED", range(2_000, 15_000)), stage("PROCESSING", range(16_000, 285_000), 0.02)],
  statusWeights: { ACTIVE: 12, SUSPENDED: 3, INVENTORY: 2, CREATED: 2, TERMINATED: 1 },
  nativeTokenLifetimeSeconds: 3600,
  vocabulary: {
    nativeTransitions: {
      INVENTORY: ["TEST", "ACTIVE", "TERMINATED"],
      TEST: ["ACTIVE", "TERMINATED"],
      ACTIVE: ["SUSPENDED", "TERMINATED"],
      // SUSPENDED is "safe custody": the SIM keeps its number and can come back.
      SUSPENDED: ["ACTIVE", "TERMINATED"],
      TERMINATED: [],
    },
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
  },
  api: airlinqApi,
  adapter: airlinqAdapter,
});
