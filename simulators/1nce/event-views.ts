import type { LogEntry } from "../shared/device-log.js";
import type { Device, NativeAccount } from "../shared/runtime.js";
import { onceDate } from "./dates.js";
import { describeEvent } from "./events.js";
import { imsiIdOf, ipAddressOf, labelOf, shortIccid, simIdOf } from "./model.js";

/** v1 `SIM_Event`: flat strings; the network fields (country, operator, mcc, mnc) stay out, as allowed. */
export function eventV1(entry: LogEntry, device: Device) {
  const r = device.record;
  return {
    timestamp: onceDate(entry.at),
    event_type: describeEvent(entry).text,
    iccid: shortIccid(r),
    imei: r.imei,
    imsi: r.imsi,
    alert: false,
    event_severity: "Info",
  };
}

const numericOr = (id: string): number | string => (/^\d{1,9}$/.test(id) ? Number(id) : id);

/**
 * v2 `Event`: objects with ids. Changes made through the API come from source "API" (ours; 1NCE's
 * example shows 0 "Network"); `detail` is left out, as none of its four kinds describes such a change.
 */
export function eventV2(entry: LogEntry, device: Device, account: NativeAccount) {
  const r = device.record;
  const { type, text, user } = describeEvent(entry);
  return {
    id: Number(entry.id),
    event_type: type,
    timestamp: new Date(entry.at).toISOString(),
    alert: false,
    user,
    description: text,
    event_source: { id: 1, description: "API" },
    event_severity: { id: 0, description: "INFO" },
    organisation: { id: numericOr(account.id), name: account.name },
    endpoint: { id: simIdOf(r), name: labelOf(device), ip_address: ipAddressOf(r), imei: r.imei },
    sim: { id: simIdOf(r), iccid: shortIccid(r), msisdn: r.msisdn },
    imsi: { id: imsiIdOf(r), imsi: r.imsi },
  };
}
