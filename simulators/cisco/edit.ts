import { refuseNativeChange, refuseTransfer } from "../shared/lifecycle.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeError } from "../shared/types.js";
import { currentValue, OVERAGE_UNTIL } from "./attributes.js";
import { AUDIT, type AuditChange, type AuditData } from "./audit.js";
import { cycleEnd } from "./cycle.js";
import type { EditRequest } from "./edit-request.js";
import { badParameter, CODES, ccError, invalidAccount } from "./errors.js";

/** Why Control Center refuses the status an edit asks for, in its own words. */
function refuseStatus(runtime: PlatformRuntime, device: Device, status: string): NativeError | undefined {
  const refusal = refuseNativeChange(runtime, device, status);
  if (refusal?.kind === "invalid-transition")
    return ccError("invalid-transition", 400, CODES.invalidStatusChange, "Invalid status change");
  if (refusal?.kind === "bad-request") return badParameter(`Status ${status} is invalid.`);
  return refusal;
}

/** Why Control Center refuses to move the device to `accountId`. */
function refuseMove(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  accountId: string,
): NativeError | undefined {
  const target = refuseTransfer(runtime, account, device, accountId);
  // Another customer's account is as unknown to the caller as one that does not exist.
  if ("kind" in target) return target.kind === "conflict" ? target : invalidAccount();
  return undefined;
}

/** Why Control Center refuses the status or account move an edit asks for, judged on the device as it is now. */
function refuseLifecycle(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  edit: EditRequest,
): NativeError | undefined {
  const { status, accountId } = edit;
  const refusal = status === undefined ? undefined : refuseStatus(runtime, device, status);
  if (refusal || accountId === undefined || accountId === device.accountId) return refusal;
  return refuseMove(runtime, account, device, accountId);
}

/** The fields to store, a temporary overage override with the end of the cycle it lapses at. */
function storedFields(edit: EditRequest, effectiveAt: number): Record<string, string> {
  const override = edit.fields.overageLimitOverride;
  if (override === undefined) return edit.fields;
  return {
    ...edit.fields,
    [OVERAGE_UNTIL]: override === "TEMPORARY_OVERRIDE" ? String(cycleEnd(effectiveAt)) : "",
  };
}

/** Each requested value that differs from the device's, with what it was: the audit trail's records. */
function changesOf(device: Device, edit: EditRequest, now: number): AuditChange[] {
  const requested: Array<[string, string | undefined]> = [
    ["status", edit.status],
    ...Object.entries(edit.fields),
    ["accountId", edit.accountId],
  ];
  return requested.flatMap(([field, value]) => {
    const priorValue = currentValue(device, field, now);
    return value === undefined || value === priorValue ? [] : [{ field, priorValue, value }];
  });
}

/**
 * Applies a checked edit, or schedules it for its `effectiveDate`: everything is judged first, so a
 * refused edit changes nothing. An edit that changes nothing is accepted and leaves no trace.
 * Returns whether the edit waits for later (Control Center answers 202 then).
 */
export async function applyEdit(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  edit: EditRequest,
): Promise<{ scheduled: boolean } | NativeError> {
  const refusal = refuseLifecycle(runtime, account, device, edit);
  if (refusal) return refusal;
  const now = runtime.now();
  const changes = changesOf(device, edit, now);
  if (changes.length === 0) return { scheduled: false };
  const nativeId = device.record.nativeId;
  const changed = (field: string) => changes.some((change) => change.field === field);
  const effectiveAt = edit.effectiveAt ?? now;
  const fields = storedFields(edit, effectiveAt);
  const status = changed("status") ? edit.status : undefined;
  const moveTo = changed("accountId") ? edit.accountId : undefined;
  const data: AuditData = { changes, effectiveAt, userName: account.username };

  if (edit.effectiveAt !== undefined) {
    // The runtime applies it on the clock and then logs the audit entry, so the trail shows it from then on.
    await runtime.scheduleEdit({
      accountId: account.id,
      nativeId,
      at: edit.effectiveAt,
      status,
      moveTo,
      fields: Object.keys(fields).length > 0 ? fields : undefined,
      log: { kind: AUDIT, data },
    });
    return { scheduled: true };
  }
  if (Object.keys(fields).length > 0) await runtime.setFields(nativeId, fields);
  if (status !== undefined) await runtime.setStatus(nativeId, status);
  if (moveTo !== undefined) await runtime.moveDevice(nativeId, moveTo);
  await runtime.logs.append(AUDIT, { accountId: account.id, nativeId, at: now, data });
  return { scheduled: false };
}
