import { perWindow, profileDefaults, range } from "../shared/definition.js";
import type { PlatformDefinition } from "../shared/types.js";
import { onceAdapter } from "./adapter.js";
import { onceApi } from "./native.js";

export const once: PlatformDefinition = {
  code: "1NCE",
  family: "1nce",
  nativeName: "1NCE Management API",
  connectivity: "CELLULAR",
  cmoMode: "sync",
  numbering: {
    kind: "cellular",
    iccidIssuerPrefix: "898822806",
    iccidLength: 20,
    mcc: "901",
    mnc: "40",
    msisdnCountryCode: "882",
    msisdnPrefixes: ["285"],
    msisdnSubscriberDigits: 9,
    ratePlans: ["1NCE Lifetime Flat", "1NCE Lifetime Flat Plus"],
    communicationPlans: ["1NCE Global"],
    offerings: ["1NCE IoT Lifetime Flat 500MB/10y"],
  },
  statusWeights: { ACTIVE: 3, SUSPENDED: 1 },
  vocabulary: {
    toCmo: { Enabled: "ACTIVE", Disabled: "SUSPENDED" },
    initial: { ACTIVE: "Enabled", SUSPENDED: "Disabled" },
    target: { ACTIVE: "Enabled", SUSPENDED: "Disabled" },
    nativeTransitions: { Enabled: ["Disabled"], Disabled: ["Enabled"] },
  },
  defaults: profileDefaults({
    latency: range(300, 900),
    rateLimits: [perWindow("second", 10)],
    asyncTimeline: null,
    transitions: { ACTIVE: ["SUSPENDED"], SUSPENDED: ["ACTIVE"] },
    nativeTokenLifetimeSeconds: 3600,
  }),
  api: onceApi,
  adapter: onceAdapter,
};
