import type { CmoStatus } from "../../src/config/schema.js";
import type { Characteristic, DeviceView } from "./adapter.js";

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
function terminalCharacteristics(facts: TerminalFacts, extra: Record<string, string> = {}): Characteristic[] {
  return [
    ...TERMINAL_CHARACTERISTICS.map((name) => ({ name, value: String(facts[name]) })),
    ...Object.entries(extra).map(([name, value]) => ({ name, value })),
  ];
}

/** What every terminal record names alike. */
interface TerminalRecord {
  terminalId: string;
  status: string;
  antennaCode: string;
  updatedAt?: string | null | undefined;
}

/** What a family reads of its own terminal record, where platforms name it differently. */
export type TerminalReading = Omit<TerminalFacts, "serialNumber" | "antennaCode" | "lastUpdated"> &
  Pick<DeviceView, "offering" | "startDate" | "usage"> & {
    /** Characteristics of this platform beyond the CMO's set. */
    extra: Record<string, string>;
  };

/** A terminal as the CMO shows a device: its serial number is its id, its facts its characteristics. */
export function terminalView(t: TerminalRecord, status: CmoStatus, reading: TerminalReading): DeviceView {
  const facts = {
    ...reading,
    serialNumber: t.terminalId,
    antennaCode: t.antennaCode,
    lastUpdated: t.updatedAt ?? "",
  };
  return {
    nativeId: t.terminalId,
    status,
    nativeStatus: t.status,
    offering: reading.offering,
    startDate: reading.startDate,
    characteristics: terminalCharacteristics(facts, reading.extra),
    usage: reading.usage,
  };
}
