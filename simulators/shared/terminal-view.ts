import type { Characteristic } from "./adapter.js";

/** The CMO's terminal sub-product characteristics (cmo-api-notes §5.4), in its names and order. */
export const TERMINAL_CHARACTERISTICS = [
  "serialNumber",
  "name",
  "latitude",
  "longitude",
  "model",
  /** `synced` when the platform has nothing in flight for the terminal, `pending` otherwise. */
  "state",
  "mobilityType",
  "imoNumber",
  "mmsi",
  "antennaCode",
  "lastUpdated",
  "lastSync",
] as const;

export type TerminalFacts = Record<(typeof TERMINAL_CHARACTERISTICS)[number], string | number>;

/** Each satellite adapter only says where its platform keeps each value; extras follow the CMO's set. */
export function terminalCharacteristics(
  facts: TerminalFacts,
  extra: Record<string, string> = {},
): Characteristic[] {
  return [
    ...TERMINAL_CHARACTERISTICS.map((name) => ({ name, value: String(facts[name]) })),
    ...Object.entries(extra).map(([name, value]) => ({ name, value })),
  ];
}
