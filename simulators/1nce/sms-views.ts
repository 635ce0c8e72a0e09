import type { LogEntry } from "../shared/device-log.js";
import { isoDate } from "../shared/http.js";
import type { Device } from "../shared/runtime.js";
import { labelOf, shortIccid, simIdOf } from "./model.js";
import { type SmsPhase, smsPhase, storedSms } from "./sms.js";

/** v2 enumerates these pairs; v1's example (4, DELIVERED) agrees. */
export const SMS_STATUS_IDS: Record<SmsPhase, number> = { PENDING: 2, DELIVERED: 4, FAILED: 5, EXPIRED: 6 };
const ADDRESS_TYPES: Record<number, string> = { 145: "International", 161: "National", 208: "Alphanumeric" };

/** The fields v1 `SMS-Data` and v2 `SimsSms` share, with the same types. */
function smsCommon(entry: LogEntry, device: Device, now: number) {
  const sms = storedSms(entry);
  const { phase, finalAt } = smsPhase(sms, now);
  const r = device.record;
  return {
    id: Number(entry.id),
    submit_date: isoDate(sms.submittedAt),
    // A delivered message's final date is its delivery.
    delivery_date: phase === "DELIVERED" ? isoDate(finalAt) : null,
    expiry_date: isoDate(sms.expiresAt ?? sms.giveUpAt),
    final_date: isoDate(finalAt),
    retry_date: null,
    last_delivery_attempt: isoDate(phase === "DELIVERED" ? finalAt : sms.submittedAt),
    source_address: sms.sourceAddress,
    iccid: shortIccid(r),
    msisdn: r.msisdn,
    imsi: r.imsi,
    dcs: sms.dcs,
    udh: sms.udh ?? "",
    payload: sms.payload,
    status: { id: SMS_STATUS_IDS[phase], description: phase },
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
