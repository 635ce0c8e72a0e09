import { badRequest } from "../shared/http.js";
import type { NativeError } from "../shared/types.js";
import { isError } from "./errors.js";
import type { SmsRequest } from "./sms.js";

const SMS_FIELDS = new Set(["source_address", "payload", "udh", "dcs", "source_address_type", "expiry_date"]);
const ADDRESS_TYPES = [145, 161, 208];
const DCS_VALUES = [0, 4, 8];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
/** One SMS carries 140 bytes of user data, UDH included (GSM 03.40). */
const USER_DATA_BYTES = 140;

/**
 * Reads an `SMSMessage`. The spec marks nothing required; a message without `payload` is refused
 * here, as there is nothing to send. Payload lengths follow GSM: 160 GSM characters (dcs 0), 140
 * bytes given as hex (dcs 4) or 70 UCS-2 characters (dcs 8), less what a UDH takes.
 */
export function readSmsRequest(body: unknown, now: number): SmsRequest | NativeError {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return badRequest("An SMS must be a JSON object");
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !SMS_FIELDS.has(key));
  if (unknown !== undefined)
    return badRequest(`Unknown field ${unknown}; an SMS takes ${[...SMS_FIELDS].join(", ")}`);
  const { source_address, payload, udh, dcs = 0, source_address_type, expiry_date } = fields;
  if (
    source_address !== undefined &&
    (typeof source_address !== "string" || !/^.{1,20}$/.test(source_address))
  )
    return badRequest("source_address must be a string of 1 to 20 characters");
  const type = readAddressType(source_address_type);
  if (isError(type)) return type;
  if (typeof payload !== "string" || payload === "") return badRequest("payload is required");
  if (udh !== undefined && (typeof udh !== "string" || !/^([0-9a-fA-F]{2})*$/.test(udh)))
    return badRequest("udh must be a hex string of whole bytes");
  if (typeof dcs !== "number" || !DCS_VALUES.includes(dcs))
    return badRequest(`dcs must be one of ${DCS_VALUES.join(", ")}`);
  const room = USER_DATA_BYTES - (typeof udh === "string" ? udh.length / 2 : 0);
  const tooLong = payloadProblem(payload, dcs, room);
  if (tooLong) return badRequest(tooLong);
  let expiresAt: number | null = null;
  if (expiry_date !== undefined) {
    expiresAt =
      typeof expiry_date === "string" && RFC3339.test(expiry_date) ? Date.parse(expiry_date) : Number.NaN;
    if (Number.isNaN(expiresAt)) return badRequest("expiry_date must be an RFC 3339 date-time");
    if (expiresAt <= now) return badRequest("expiry_date must lie in the future");
  }
  return {
    sourceAddress: (source_address as string | undefined) ?? null,
    sourceAddressType:
      type ?? (typeof source_address === "string" ? (/^\+?\d+$/.test(source_address) ? 145 : 208) : null),
    payload,
    udh: (udh as string | undefined) ?? null,
    dcs,
    expiresAt,
  };
}

function readAddressType(value: unknown): number | null | NativeError {
  if (value === undefined) return null;
  const id = (value as { id?: unknown } | null)?.id;
  const keys = typeof value === "object" && value !== null ? Object.keys(value) : [];
  return typeof id === "number" && ADDRESS_TYPES.includes(id) && keys.length === 1
    ? id
    : badRequest(`source_address_type must be {"id": ${ADDRESS_TYPES.join(" | ")}}`);
}

function payloadProblem(payload: string, dcs: number, room: number): string | undefined {
  if (dcs === 4) {
    if (!/^([0-9a-fA-F]{2})*$/.test(payload)) return "With dcs 4 the payload is hex-encoded binary";
    return payload.length / 2 > room ? `A dcs 4 payload holds at most ${room} bytes` : undefined;
  }
  // UCS-2 counts 16-bit units (a JS string's length); GSM 7-bit counts characters.
  const [max, length] =
    dcs === 8 ? [Math.floor(room / 2), payload.length] : [Math.floor((room * 8) / 7), [...payload].length];
  return length > max ? `A dcs ${dcs} payload holds at most ${max} characters` : undefined;
}
