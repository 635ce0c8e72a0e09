import type { ConfigInput } from "../../src/config/schema.js";
import { QUIET } from "../helpers/server.js";

/** The two Control Center deployments the simulator hosts, as the cisco tests address them. */
export const CODES = ["TMUS", "JASPER"] as const;
export type Code = (typeof CODES)[number];

export const QUIET_CISCO: ConfigInput = {
  platforms: { TMUS: { profile: QUIET }, JASPER: { profile: QUIET } },
};
export const NUMBERING: Record<Code, { iccid: RegExp; imsi: RegExp; msisdn: RegExp; unknown: string }> = {
  TMUS: {
    iccid: /^8901260\d{13}$/,
    imsi: /^310260\d{9}$/,
    msisdn: /^1(206|425|360|509)[2-9]\d{6}$/,
    unknown: "89012600000000000000",
  },
  JASPER: {
    iccid: /^8997112\d{12}$/,
    imsi: /^42402\d{10}$/,
    msisdn: /^9715[06]\d{7}$/,
    unknown: "8997112000000000000",
  },
};
