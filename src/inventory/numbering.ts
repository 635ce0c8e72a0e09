/**
 * How a carrier numbers its SIMs or terminals. Each platform states its own plan (in its
 * simulators/ folder); the generator turns a plan plus a seed into identifiers.
 */
export interface CellularNumbering {
  kind: "cellular";
  /** `89` + country code + issuer identifier, as on the carrier's real ICCIDs. */
  iccidIssuerPrefix: string;
  /** Total ICCID length including the Luhn digit (19 or 20). */
  iccidLength: 19 | 20;
  mcc: string;
  mnc: string;
  /** E.164 country code and the national prefixes the carrier's M2M numbers start with. */
  msisdnCountryCode: string;
  msisdnPrefixes: string[];
  /** Subscriber digits after the national prefix. */
  msisdnSubscriberDigits: number;
  ratePlans: string[];
  communicationPlans: string[];
  offerings: string[];
}

export interface SatelliteNumbering {
  kind: "satellite";
  /** Letters before the terminal's serial number, if the carrier uses any. */
  serialPrefix: string;
  serialDigits: number;
  models: string[];
  servicePlans: string[];
  offerings: string[];
}

export type NumberingPlan = CellularNumbering | SatelliteNumbering;

/** Type allocation codes of common IoT modules (Quectel, Telit, Sierra Wireless, u-blox), for IMEIs. */
export const MODULE_TACS = [
  "86425104",
  "35373209",
  "35916906",
  "35283106",
  "86715703",
  "35255910",
  "86058505",
  "35909207",
];
