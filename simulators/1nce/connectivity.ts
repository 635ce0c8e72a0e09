import type { Device, PlatformRuntime } from "../shared/runtime.js";

/**
 * Where a SIM is on the network, for the status and connectivity reads. 1NCE reports what the
 * network saw; the simulator has no network, so each SIM gets a seeded, stable picture (its
 * visited network, radio, cell, session), drawn from its ICCID alone and placed relative to now.
 */

export interface VisitedNetwork {
  operatorId: number;
  operator: string;
  mcc: string;
  mnc: string;
  countryId: number;
  country: string;
  isoCode: string;
  countryCode: string;
  latitude: string;
  longitude: string;
  /** Where 1NCE breaks the session out (v2's `region`). */
  region: string;
}

/** Real operators and their MCC/MNC; the ids are ours except Germany's 74 (1NCE's example). */
const NETWORKS: readonly VisitedNetwork[] = [
  {
    operatorId: 2,
    operator: "Telekom Deutschland",
    mcc: "262",
    mnc: "01",
    countryId: 74,
    country: "Germany",
    isoCode: "de",
    countryCode: "49",
    latitude: "51.165691",
    longitude: "10.451526",
    region: "eu-central-1",
  },
  {
    operatorId: 5,
    operator: "Vodafone UK",
    mcc: "234",
    mnc: "15",
    countryId: 222,
    country: "United Kingdom",
    isoCode: "gb",
    countryCode: "44",
    latitude: "55.378051",
    longitude: "-3.435973",
    region: "eu-central-1",
  },
  {
    operatorId: 7,
    operator: "Orange France",
    mcc: "208",
    mnc: "01",
    countryId: 73,
    country: "France",
    isoCode: "fr",
    countryCode: "33",
    latitude: "46.227638",
    longitude: "2.213749",
    region: "eu-central-1",
  },
  {
    operatorId: 9,
    operator: "KPN",
    mcc: "204",
    mnc: "08",
    countryId: 150,
    country: "Netherlands",
    isoCode: "nl",
    countryCode: "31",
    latitude: "52.132633",
    longitude: "5.291266",
    region: "eu-central-1",
  },
  {
    operatorId: 11,
    operator: "T-Mobile USA",
    mcc: "310",
    mnc: "260",
    countryId: 226,
    country: "United States",
    isoCode: "us",
    countryCode: "1",
    latitude: "37.09024",
    longitude: "-95.712891",
    region: "us-east-1",
  },
];

export interface Radio {
  description: "2G" | "3G" | "4G" | "5G" | "NB-IoT";
  /** 1NCE's example pairs "2" with NB-IoT; the other ids are ours. */
  id: string;
  /** GTP v1 (Gn/Gp) on 2G/3G, v2 (S5/S8) from 4G on, which decides the v2 ULI object too. */
  gtpVersion: "1" | "2";
}

const RADIOS: Record<Radio["description"], Radio> = {
  "2G": { description: "2G", id: "3", gtpVersion: "1" },
  "3G": { description: "3G", id: "4", gtpVersion: "1" },
  "4G": { description: "4G", id: "1", gtpVersion: "2" },
  "NB-IoT": { description: "NB-IoT", id: "2", gtpVersion: "2" },
  "5G": { description: "5G", id: "5", gtpVersion: "2" },
};

export type Presence = "ONLINE" | "ATTACHED" | "OFFLINE";

export interface Cell {
  lac: number;
  ci: number;
  sac: number;
  rac: number;
  tac: number;
  eci: number;
  menbi: number;
}

export interface DataSession {
  id: string;
  createdAt: number;
  teidData: string;
  teidControl: string;
  rxTeidData: string;
  rxTeidControl: string;
  sgsnIp: string;
  ggsnIp: string;
  ipcanSessionId: string;
  imeisv: string;
}

export interface Connectivity {
  /** A Disabled SIM is blocked (v2 `BLOCKED`, v1 `OFFLINE`), whatever its device does. */
  blocked: boolean;
  presence: Presence;
  network: VisitedNetwork;
  radio: Radio;
  lastUpdated: number;
  cell: Cell;
  vlrNumber: string;
  mscNumber: string;
  sgsnNumber: string;
  sgsnIp: string;
  /** An open data session (PDP context), only while ONLINE and not blocked. */
  session: DataSession | undefined;
}

const MINUTE = 60_000;

export function connectivityOf(runtime: PlatformRuntime, device: Device): Connectivity {
  const s = runtime.options.random.stream(runtime.code, "connectivity", device.record.nativeId);
  const presence = s.weighted<Presence>({ ONLINE: 5, ATTACHED: 3, OFFLINE: 2 });
  const network = s.pick(NETWORKS);
  const radio =
    RADIOS[s.weighted<Radio["description"]>({ "4G": 45, "NB-IoT": 25, "2G": 15, "3G": 10, "5G": 5 })];
  // ATTACHED lasts until the visited network reports the device gone (1–2 days); OFFLINE is older.
  const ago = presence === "OFFLINE" ? s.uniform(2 * 1440, 30 * 1440) : s.uniform(1, 180);
  const now = runtime.now();
  const cell: Cell = {
    lac: s.int(1, 65_533),
    ci: s.int(1, 65_535),
    sac: s.int(1, 65_535),
    rac: s.int(1, 255),
    tac: s.int(1, 65_533),
    eci: s.int(1, 268_435_455),
    menbi: s.int(1, 1_048_575),
  };
  const gsn = `${s.int(11, 220)}.${s.int(0, 255)}.${s.int(0, 255)}.${s.int(1, 254)}`;
  const sessionMinutes = s.uniform(1, 600);
  const session: DataSession = {
    id: String(s.int(10_000, 9_999_999)),
    createdAt: now - Math.round(sessionMinutes * MINUTE),
    teidData: String(s.int(1, 2 ** 31 - 1)),
    teidControl: String(s.int(1, 2 ** 31 - 1)),
    rxTeidData: String(s.int(1, 2 ** 31 - 1)),
    rxTeidControl: String(s.int(1, 2 ** 31 - 1)),
    sgsnIp: gsn,
    ggsnIp: `100.${s.int(64, 127)}.${s.int(0, 255)}.${s.int(1, 254)}`,
    ipcanSessionId: String(s.int(1, 99_999)),
    imeisv: device.record.imei.slice(0, 14) + s.digits(2),
  };
  const blocked = device.nativeStatus === "Disabled";
  return {
    blocked,
    presence,
    network,
    radio,
    lastUpdated: now - Math.round(ago * MINUTE),
    cell,
    vlrNumber: network.countryCode + s.digits(10),
    mscNumber: network.countryCode + s.digits(10),
    sgsnNumber: network.countryCode + s.digits(10),
    sgsnIp: gsn,
    session: !blocked && presence === "ONLINE" ? session : undefined,
  };
}

/** Whether an MT-SMS can reach the device now: an OFFLINE device "is not reachable for SMS". */
export const reachable = (c: Connectivity): boolean => !c.blocked && c.presence !== "OFFLINE";

/** 3GPP names of the node serving the SIM (MME from 4G on, SGSN before). */
export function servingNode(c: Connectivity): { name: string; realm: string } {
  const { mcc, mnc } = c.network;
  const realm = `epc.mnc${mnc.padStart(3, "0")}.mcc${mcc}.3gppnetwork.org`;
  return c.radio.gtpVersion === "2"
    ? { name: `mmec${(c.cell.rac % 100).toString().padStart(2, "0")}.mmegi8001.mme.${realm}`, realm }
    : { name: `sgsn${(c.cell.rac % 10) + 1}.${realm}`, realm };
}
