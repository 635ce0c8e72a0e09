import type { LogEntry } from "../shared/device-log.js";
import type { Device } from "../shared/runtime.js";
import { isoOrNull } from "./dates.js";
import { labelOf, shortIccid, simIdOf } from "./model.js";
import { type SmsPhase, smsPhase, storedSms } from "./sms.js";

/** v2 enumerates these pairs; v1's example (4, DELIVERED) agrees. */
const STATUS_IDS: Record<SmsPhase, number> = { PENDING: 2, DELIVERED: 4, FAILED: 5, EXPIRED: 6 };
const ADDRESS_TYPES: Record<number, string> = { 145: "International", 161: "National", 208: "Alphanumeric" };

export const smsStatusId = (entry: LogEntry, now: number): number =>
  STATUS_IDS[smsPhase(storedSms(entry), now).phase];

/** The fields v1 `SMS-Data` and v2 `SimsSms` share, with the same types. */
function smsCommon(entry: LogEntry, device: Device, now: number) {
  const sms = storedSms(entry);
  const { phase, finalAt } = smsPhase(sms, now);
  const r = device.record;
  return {
    id: Number(entry.id),
    submit_date: isoOrNull(sms.submittedAt),
    delivery_date: phase === "DELIVERED" ? isoOrNull(sms.deliverAt) : null,
    expiry_date: isoOrNull(sms.expiresAt ?? sms.giveUpAt),
    final_date: isoOrNull(finalAt),
    retry_date: null,
    last_delivery_attempt: isoOrNull(phase === "DELIVERED" ? sms.deliverAt : sms.submittedAt),
    source_address: sms.sourceAddress,
    iccid: shortIccid(r),
    msisdn: r.msisdn,
    imsi: r.imsi,
    dcs: sms.dcs,
    udh: sms.udh ?? "",
    payload: sms.payload,
    status: { id: STATUS_IDS[phase], description: phase },
    sms_type: { id: 1, description: "MT" },
  };
}

/** v1 `SMS-Data`: `retry_count` and `msc` are strings. */
export function smsV1(entry: LogEntry, device: Device, now: number) {
  const sms = storedSms(entry);
  return {
    ...smsCommon(entry, device, now),
    retry_count: "0",
    msc: sms.msc,
    source_address_type: sms.sourceAddressType === null ? null : { id: sms.sourceAddressType },
  };
}

/** v2 `SimsSms`: numbers where v1 had strings, plus the MAP error, the PID and the endpoint. */
export function smsV2(entry: LogEntry, device: Device, now: number) {
  const sms = storedSms(entry);
  const common = smsCommon(entry, device, now);
  return {
    ...common,
    retry_count: 0,
    // MAP's name for an unreachable device; ours, as 1NCE lists none.
    gsm_map_error: common.status.description === "FAILED" ? "absentSubscriberSM" : null,
    pid: 0,
    endpoint: { id: simIdOf(device.record), name: labelOf(device) },
    sim_id: simIdOf(device.record),
    msc: Number(sms.msc),
    source_address_type:
      sms.sourceAddressType === null
        ? null
        : { id: sms.sourceAddressType, description: ADDRESS_TYPES[sms.sourceAddressType] ?? "Unknown" },
  };
}
