import { perWindow, range, stage } from "../shared/definition.js";
import { ticketPlatform } from "../shared/ticket-platform.js";
import { turkcellAdapter } from "./adapter.js";
import { turkcellApi } from "./native.js";

export const turkcell = ticketPlatform({
  code: "TURKCELL",
  nativeName: "Turkcell M2M Line Management API",
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
  rateLimit: perWindow("second", 5),
  latency: range(150, 700),
  // 10 s–3 min in all; the stage names are the order's statuses.
  asyncTimeline: [stage("WAITING", range(1_000, 8_000)), stage("IN_PROCESS", range(8_000, 172_000), 0.02)],
  statusWeights: { ACTIVE: 12, SUSPENDED: 4, INVENTORY: 2, TERMINATED: 2 },
  nativeTokenLifetimeSeconds: 900,
  vocabulary: {
    nativeTransitions: {
      DEACTIVE: ["ACTIVE", "CANCELLED"],
      ACTIVE: ["SUSPENDED", "CANCELLED"],
      SUSPENDED: ["ACTIVE", "CANCELLED"],
      CANCELLED: [],
    },
    // DEACTIVE is a line issued but never opened; SUSPENDED folds one-way and two-way barring together.
    toCmo: { DEACTIVE: "INVENTORY", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", CANCELLED: "TERMINATED" },
    initial: { INVENTORY: "DEACTIVE", ACTIVE: "ACTIVE", SUSPENDED: "SUSPENDED", TERMINATED: "CANCELLED" },
  },
  api: turkcellApi,
  adapter: turkcellAdapter,
});
