import type { LogEntry } from "../shared/device-log.js";
import { ccDate, DAY } from "./dates.js";
import {
  CODES,
  type ControlCenterError,
  ccError,
  malformedJson,
  missingParameter,
  notSimulated,
  unrecognised,
} from "./errors.js";

/** The device-log kind of SMS messages. */
export const SMS = "sms";

export const ENCODINGS = ["LITERAL", "BASE64"] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Longest message per `dataCoding`; 320 (two parts) when none is given. */
const MAX_LENGTH: Readonly<Record<number, number>> = { 0: 160, 1: 160, 3: 160, 4: 140, 8: 70 };
const MAX_LENGTH_UNCODED = 320;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * `tpvp`, read as GSM 03.40's relative validity period (one octet): 0–143 in 5-minute steps,
 * 144–167 in half hours past 12 h, 168–196 in days, 197–255 in weeks.
 */
export function validityMs(tpvp: number): number {
  if (tpvp <= 143) return (tpvp + 1) * 5 * MINUTE;
  if (tpvp <= 167) return 12 * HOUR + (tpvp - 143) * 30 * MINUTE;
  if (tpvp <= 196) return (tpvp - 166) * DAY;
  return (tpvp - 192) * 7 * DAY;
}

/** Invented default when the sender gives no `tpvp`: 24 hours, the SMSC default many operators use. */
const DEFAULT_TPVP = 167;

/** A message as its log entry holds it. Delivery is decided when it is sent; its status follows from the clock. */
export type SmsData = {
  msgType: "MT" | "MO";
  messageText: string;
  messageEncoding: Encoding;
  dataCoding: number | null;
  senderLogin: string;
  sentTo: string;
  sentFrom: string;
  /** When the device gets it; null if it cannot receive it before the validity period ends. */
  deliverAt: number | null;
  expiresAt: number;
};

export interface SendRequest {
  messageText: string;
  messageEncoding: Encoding;
  dataCoding: number | null;
  tpvp: number;
}

const SEND_FIELDS = new Set(["messageText", "messageEncoding", "dataCoding", "tpvp", "callbackParam"]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes a message carries on the air: UCS2 is UTF-16BE, Latin-1 and binary a byte a character. */
function charsetBytes(text: string, dataCoding: number | null): Buffer {
  if (dataCoding === 8) return Buffer.from(text, "utf16le").swap16();
  return Buffer.from(text, dataCoding === 3 || dataCoding === 4 ? "latin1" : "utf8");
}

function charsetText(bytes: Buffer, dataCoding: number | null): string {
  if (dataCoding === 8) return Buffer.from(bytes).swap16().toString("utf16le");
  return bytes.toString(dataCoding === 3 || dataCoding === 4 ? "latin1" : "utf8");
}

const invalid = (code: string, message: string) => ccError("bad-request", 400, code, message);

/** Length in the unit the limit counts: characters (UCS2 pairs of bytes) or bytes of a BASE64 payload. */
function messageLength(request: Omit<SendRequest, "tpvp">): number | ControlCenterError {
  if (request.messageEncoding === "LITERAL") return request.messageText.length;
  if (!BASE64.test(request.messageText))
    return invalid(CODES.invalidMessageEncoding, "Invalid messageEncoding: messageText is not BASE64.");
  const bytes = Buffer.from(request.messageText, "base64").length;
  if (request.dataCoding === 8 && bytes % 2 === 1)
    return invalid(CODES.invalidMessageEncoding, "Invalid messageEncoding: UCS2 text has an odd byte count.");
  return request.dataCoding === 8 ? bytes / 2 : bytes;
}

/** Reads a Send SMS body, or why Control Center refuses it (10000017–10000020). */
export function readSendRequest(body: unknown): SendRequest | ControlCenterError {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return malformedJson("The body must be a JSON object.");
  const values = body as Record<string, unknown>;
  const unknown = Object.keys(values).filter((k) => !SEND_FIELDS.has(k));
  if (unknown.length > 0) return unrecognised(unknown);
  // Callbacks would have the simulator call out to any URL a client names.
  if ("callbackParam" in values) return notSimulated(["callbackParam"]);
  const { messageText, messageEncoding = "LITERAL", dataCoding, tpvp = DEFAULT_TPVP } = values;
  if (typeof messageText !== "string" || messageText === "")
    return missingParameter("One or more required fields are missing: messageText.");
  if (!ENCODINGS.includes(messageEncoding as Encoding))
    return invalid(CODES.invalidMessageEncoding, "Invalid messageEncoding.");
  if (dataCoding !== undefined && !(typeof dataCoding === "number" && dataCoding in MAX_LENGTH))
    return invalid(CODES.invalidDataCoding, "Invalid dataCoding.");
  if (!(Number.isInteger(tpvp) && (tpvp as number) >= 0 && (tpvp as number) <= 255))
    return invalid(CODES.invalidTpvp, "Invalid tpvp. The validity period is invalid.");
  const request = {
    messageText,
    messageEncoding: messageEncoding as Encoding,
    dataCoding: (dataCoding as number | undefined) ?? null,
  };
  const length = messageLength(request);
  if (typeof length !== "number") return length;
  const max = request.dataCoding === null ? MAX_LENGTH_UNCODED : (MAX_LENGTH[request.dataCoding] as number);
  if (length > max)
    return invalid(CODES.messageTooLong, `Message length exceeds the maximum permissible length (${max}).`);
  return { ...request, tpvp: tpvp as number };
}

function smsStatus(data: SmsData, now: number): string {
  if (data.msgType === "MO") return "Received";
  if (data.deliverAt !== null && now >= data.deliverAt) return "Delivered";
  return now >= data.expiresAt ? "Failed" : "Pending";
}

/** Last change of a message: sent, then delivered or failed. Search SMS orders by it. */
export function modifiedAt(entry: LogEntry, now: number): number {
  const data = entry.data as SmsData;
  const status = smsStatus(data, now);
  if (status === "Delivered") return data.deliverAt as number;
  return status === "Failed" ? data.expiresAt : entry.at;
}

/** The text in the encoding the reader asks for, converted through the bytes its data coding sends. */
function textIn(data: SmsData, encoding: Encoding): string {
  if (encoding === data.messageEncoding) return data.messageText;
  return encoding === "BASE64"
    ? charsetBytes(data.messageText, data.dataCoding).toString("base64")
    : charsetText(Buffer.from(data.messageText, "base64"), data.dataCoding);
}

/** Get SMS Details. */
export function smsDetails(entry: LogEntry, iccid: string, encoding: Encoding, now: number) {
  const data = entry.data as SmsData;
  return {
    smsMsgId: Number(entry.id),
    status: smsStatus(data, now),
    messageText: textIn(data, encoding),
    senderLogin: data.senderLogin,
    iccid,
    sentTo: data.sentTo,
    sentFrom: data.sentFrom,
    msgType: data.msgType,
    dateSent: ccDate(entry.at),
    dateReceived: ccDate(entry.at),
    dateModified: ccDate(modifiedAt(entry, now)),
  };
}
