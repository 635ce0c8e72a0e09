import { badRequest } from "../shared/http.js";
import { refuseNativeChange } from "../shared/lifecycle.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeError } from "../shared/types.js";
import { recordEvent } from "./events.js";
import { IMEI_LOCK, imeiLockOf, LABEL, labelOf, shortIccid } from "./model.js";

/** What a SIM update (`Values_for_a_SIM_update`, `SimsSimUpdateReq`) asks to change. */
export interface SimEdit {
  iccid?: string;
  status?: string;
  label?: string;
  imeiLock?: boolean;
}

const UPDATE_FIELDS = new Set(["iccid", "status", "label", "imei_lock"]);
const STATUSES = ["Enabled", "Disabled"];
/** Ours: 1NCE publishes no label length; the Portal's labels are short. */
const LABEL_MAX = 255;

/**
 * Reads an update body. v1 marks `status` required (`statusRequired`), v2 nothing; a field 1NCE does
 * not document is refused, so a misspelt `imeiLock` cannot pass as done. `where` prefixes messages
 * about one item of a bulk request.
 */
export function readSimEdit(body: unknown, statusRequired: boolean, where = ""): SimEdit | NativeError {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return badRequest(`${where}a SIM update must be a JSON object`);
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !UPDATE_FIELDS.has(key));
  if (unknown !== undefined)
    return badRequest(`${where}unknown field ${unknown}; a SIM update takes iccid, status, label, imei_lock`);
  const { iccid, status, label, imei_lock } = fields;
  if (iccid !== undefined && (typeof iccid !== "string" || !/^\d{19,20}$/.test(iccid)))
    return badRequest(`${where}iccid must be a string of 19 or 20 digits`);
  if (status === undefined && statusRequired) return badRequest(`${where}status is required`);
  if (status !== undefined && (typeof status !== "string" || !STATUSES.includes(status)))
    return {
      kind: "invalid-transition",
      status: 400,
      message: `${where}status must be one of ${STATUSES.join(", ")}`,
    };
  if (label !== undefined && (typeof label !== "string" || label.length > LABEL_MAX))
    return badRequest(`${where}label must be a string of at most ${LABEL_MAX} characters`);
  if (imei_lock !== undefined && typeof imei_lock !== "boolean")
    return badRequest(`${where}imei_lock must be true or false`);
  return {
    ...(iccid !== undefined ? { iccid: iccid as string } : {}),
    ...(status !== undefined ? { status: status as string } : {}),
    ...(label !== undefined ? { label: label as string } : {}),
    ...(imei_lock !== undefined ? { imeiLock: imei_lock as boolean } : {}),
  };
}

/** The body's `iccid`, when given, must name the SIM of the path (with or without its Luhn digit). */
export function refuseOtherIccid(edit: SimEdit, device: Device): NativeError | undefined {
  if (edit.iccid === undefined) return undefined;
  const r = device.record;
  return edit.iccid === shortIccid(r) || edit.iccid === r.iccid
    ? undefined
    : badRequest(`iccid ${edit.iccid} in the body is not the SIM ${shortIccid(r)} of the path`);
}

/**
 * Applies an update at once, as 1NCE's single-SIM PUT does, recording one event per field that
 * really changed. Fields left out keep their value (official 1NCE code sends only what it changes).
 */
export async function applySimEdit(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  edit: SimEdit,
): Promise<NativeError | undefined> {
  if (edit.status !== undefined) {
    const refusal = refuseNativeChange(runtime, device, edit.status);
    if (refusal) return refusal;
  }
  const nativeId = device.record.nativeId;
  if (edit.status !== undefined && edit.status !== device.nativeStatus) {
    await runtime.setStatus(nativeId, edit.status);
    await recordEvent(runtime, account, device, {
      change: "status",
      from: device.nativeStatus,
      to: edit.status,
    });
  }
  const label = labelOf(device);
  if (edit.label !== undefined && edit.label !== label) {
    await runtime.setFields(nativeId, { [LABEL]: edit.label });
    await recordEvent(runtime, account, device, { change: "label", from: label, to: edit.label });
  }
  if (edit.imeiLock !== undefined && edit.imeiLock !== imeiLockOf(device)) {
    await runtime.setFields(nativeId, { [IMEI_LOCK]: String(edit.imeiLock) });
    await recordEvent(runtime, account, device, { change: "imei_lock", to: edit.imeiLock });
  }
  return undefined;
}

/** The fields an update sets, as device fields (for edits applied later). */
export function editedFields(edit: SimEdit): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  if (edit.label !== undefined) fields[LABEL] = edit.label;
  if (edit.imeiLock !== undefined) fields[IMEI_LOCK] = String(edit.imeiLock);
  return Object.keys(fields).length > 0 ? fields : undefined;
}
