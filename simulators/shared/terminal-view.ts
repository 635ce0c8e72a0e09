import type { Characteristic } from "./adapter.js";

/**
 * The CMO's terminal sub-product characteristics (cmo-api-notes §5.4), named and ordered as the
 * CMO shows them; each satellite adapter only says where its platform keeps each value.
 */
export interface TerminalFacts {
  serialNumber: string;
  name: string;
  latitude: number;
  longitude: number;
  model: string;
  /** `synced` when the platform has nothing in flight for the terminal, `pending` otherwise. */
  state: "synced" | "pending";
  mobilityType: string;
  imoNumber: string;
  mmsi: string;
  antennaCode: string;
  lastUpdated: string;
  lastSync: string;
}

export function terminalCharacteristics(
  facts: TerminalFacts,
  extra: Record<string, string> = {},
): Characteristic[] {
  return [...Object.entries(facts), ...Object.entries(extra)].map(([name, value]) => ({
    name,
    value: String(value),
  }));
}
