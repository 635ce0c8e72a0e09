import { refuseNativeChange, refuseTransfer } from "../shared/lifecycle.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeError } from "../shared/types.js";
import { badParameter, CODES, ccError } from "./errors.js";

/** Fields of Edit Device Details this simulator applies; the other documented ones are refused. */
const APPLIED = new Set(["status", "accountId", "effectiveDate"]);
const MAX_EFFECTIVE_DAYS = 180;
const DAY = 86_400_000;

export interface DeviceEdit {
  status?: string;
  accountId?: string;
}

/** Reads an Edit Device Details body into the edit it asks for, or why it is refused. */
export function readEdit(body: unknown, now: number): DeviceEdit | NativeError {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return badParameter("Request body must be a JSON object.");
  const fields = body as Record<string, unknown>;
  const refused = Object.keys(fields).find((k) => !APPLIED.has(k));
  if (refused !== undefined)
    return badParameter(`Field ${refused} cannot be edited here; this simulator edits status and accountId.`);
  const { status, accountId, effectiveDate } = fields;
  if (status === undefined && accountId === undefined)
    return ccError("bad-request", 400, CODES.missingParameter, "At least one parameter is required.");
  if (status !== undefined && typeof status !== "string") return badParameter("Status is invalid.");
  if (accountId !== undefined && typeof accountId !== "string" && typeof accountId !== "number")
    return badParameter("AccountId is invalid.");
  if (effectiveDate !== undefined) {
    const at = typeof effectiveDate === "string" ? Date.parse(effectiveDate) : Number.NaN;
    if (Number.isNaN(at)) return badParameter("EffectiveDate is invalid.");
    if (at > now + MAX_EFFECTIVE_DAYS * DAY)
      return badParameter(`EffectiveDate cannot be more than ${MAX_EFFECTIVE_DAYS} days ahead.`);
    // Control Center answers 202 and applies a future-dated edit later; the simulator keeps no such queue.
    if (at > now) return badParameter("Future-dated changes are not simulated; omit effectiveDate.");
  }
  return {
    ...(status !== undefined ? { status } : {}),
    ...(accountId !== undefined ? { accountId: String(accountId) } : {}),
  };
}

/** Checks the whole edit first, then applies it at once: Control Center edits are synchronous. */
export function applyEdit(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  edit: DeviceEdit,
): NativeError | undefined {
  if (edit.status !== undefined) {
    const refusal = refuseNativeChange(runtime, device, edit.status);
    if (refusal?.kind === "invalid-transition")
      return ccError("invalid-transition", 400, CODES.invalidStatusChange, "Invalid status change");
    if (refusal?.kind === "bad-request") return badParameter(`Status ${edit.status} is invalid.`);
    if (refusal) return refusal;
  }
  const moving = edit.accountId !== undefined && edit.accountId !== device.accountId;
  if (moving) {
    const target = refuseTransfer(runtime, account, device, edit.accountId as string);
    // Another customer's account is as unknown to the caller as one that does not exist.
    if ("kind" in target)
      return target.kind === "conflict"
        ? target
        : ccError("bad-request", 400, CODES.invalidAccount, "Invalid accountId.");
  }
  const nativeId = device.record.nativeId;
  if (edit.status !== undefined && edit.status !== device.nativeStatus)
    runtime.setStatus(nativeId, edit.status);
  if (moving) runtime.moveDevice(nativeId, edit.accountId as string);
  return undefined;
}
