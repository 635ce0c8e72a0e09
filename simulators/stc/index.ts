import { perWindow, range, stage } from "../shared/definition.js";
import { ticketPlatform } from "../shared/ticket-platform.js";
import { stcAdapter } from "./adapter.js";
import { stcApi } from "./native.js";

export const stc = ticketPlatform({
  code: "STC",
  nativeName: "stc ConnectME",
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
  rateLimit: perWindow("second", 10, "token-bucket"),
  latency: range(200, 800),
  // 30 s–10 min in all: the order is captured, then the operator's BSS provisions it.
  asyncTimeline: [
    stage("RECEIVED", range(3_000, 25_000)),
    stage("PROVISIONING", range(25_000, 575_000), 0.03),
  ],
  statusWeights: { ACTIVE: 13, SUSPENDED: 3, INVENTORY: 3, TERMINATED: 1 },
  nativeTokenLifetimeSeconds: 1800,
  vocabulary: {
    // BARRED is the operator's own bar (fraud, unpaid bills): the customer sees a suspension it cannot lift.
    toCmo: {
      PRE_ACTIVE: "INVENTORY",
      ACTIVE: "ACTIVE",
      SUSPENDED: "SUSPENDED",
      BARRED: "SUSPENDED",
      TERMINATED: "TERMINATED",
    },
    nativeTransitions: {
      PRE_ACTIVE: ["ACTIVE", "TERMINATED"],
      ACTIVE: ["SUSPENDED", "TERMINATED"],
      SUSPENDED: ["ACTIVE", "TERMINATED"],
      BARRED: ["TERMINATED"],
      TERMINATED: [],
    },
    initial: { INVENTORY: "PRE_ACTIVE", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "TERMINATED" },
  },
  api: stcApi,
  adapter: stcAdapter,
});
