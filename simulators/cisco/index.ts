import { allTransitions, controlCenter } from "./platform.js";

// Control Center has no offering of its own: the CMO shows the rate plan as the product offering.
const TMUS_RATE_PLANS = [
  "T-Mobile IoT 1MB Pooled",
  "T-Mobile IoT 25MB Pooled",
  "T-Mobile IoT 1GB Pooled",
  "T-Mobile LTE-M 5MB",
];
const ETISALAT_RATE_PLANS = [
  "1GB Shared Fixed Pool Roaming",
  "100MB Shared Pool Local",
  "5GB Shared Pool Roaming",
  "IoT 10MB Monthly",
];

/** T-Mobile US on Control Center: 20-digit 8901260 ICCIDs, 310-260 IMSIs, NANP numbers. */
export const tmus = controlCenter({
  code: "TMUS",
  nativeName: "Cisco IoT Control Center (T-Mobile US)",
  numbering: {
    kind: "cellular",
    iccidIssuerPrefix: "8901260",
    iccidLength: 20,
    mcc: "310",
    mnc: "260",
    msisdnCountryCode: "1",
    // Area code plus the exchange's first digit, so every exchange starts 2-9 as NANP requires.
    msisdnPrefixes: ["2064", "2067", "4253", "4258", "3602", "5095"],
    msisdnSubscriberDigits: 6,
    ratePlans: TMUS_RATE_PLANS,
    communicationPlans: ["TMO IoT Dynamic IP", "TMO IoT Static IP", "TMO LTE-M NB-IoT"],
    offerings: TMUS_RATE_PLANS,
  },
  statusWeights: { ACTIVE: 12, SUSPENDED: 3, CREATED: 3, PENDING_TERMINATE: 1, TERMINATED: 1 },
  customers: ["Northwind Logistics", "Contoso Utilities", "Fabrikam Fleet"],
  zones: ["USA", "Canada and Mexico", "World"],
  transitions: {
    CREATED: ["ACTIVE"],
    ACTIVE: ["SUSPENDED", "PENDING_TERMINATE"],
    SUSPENDED: ["ACTIVE"],
  },
});

/** Etisalat (UAE) on Control Center: 19-digit 8997112 ICCIDs, 424-02 IMSIs, +971 50/56 numbers. */
export const jasper = controlCenter({
  code: "JASPER",
  nativeName: "Cisco IoT Control Center (Etisalat)",
  numbering: {
    kind: "cellular",
    // The prefix of the JASPER SIM in the CMO's published product example (8997112212741433747).
    iccidIssuerPrefix: "8997112",
    iccidLength: 19,
    mcc: "424",
    mnc: "02",
    msisdnCountryCode: "971",
    msisdnPrefixes: ["50", "56"],
    msisdnSubscriberDigits: 7,
    ratePlans: ETISALAT_RATE_PLANS,
    communicationPlans: ["Etisalat IoT LTE", "Etisalat IoT Static IP APN"],
    offerings: ETISALAT_RATE_PLANS,
  },
  statusWeights: { ACTIVE: 10, SUSPENDED: 3, INVENTORY: 3, CREATED: 2, PENDING_TERMINATE: 1, TERMINATED: 1 },
  customers: ["Emirates Smart Metering", "Gulf Fleet Services"],
  zones: ["UAE", "GCC", "Rest of World"],
  transitions: allTransitions(),
});
