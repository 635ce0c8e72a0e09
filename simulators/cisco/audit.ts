import type { Context } from "hono";
import type { LogEntry } from "../shared/device-log.js";
import { intParam } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import { ccStamp, DAY } from "./dates.js";
import { badParameter, type ControlCenterError } from "./errors.js";
import { PAGING_PARAMS, pageOf, readPaging } from "./query.js";

/** The device-log kind of Control Center's audit trail. */
export const AUDIT = "audit";
const HISTORY_DAYS = { default: 30, max: 365 };
export const AUDIT_PARAMS: ReadonlySet<string> = new Set(["daysOfHistory", ...PAGING_PARAMS]);

export interface AuditChange {
  field: string;
  /** "" when the field is set for the first time, as Control Center shows it. */
  priorValue: string;
  value: string;
}

/** One edit as its log entry holds it: the changed fields, when they take effect, and who asked. */
export type AuditData = {
  changes: AuditChange[];
  effectiveAt: number;
  userName: string;
};

/** One record per changed field, newest edit first. */
function records(entries: LogEntry[]) {
  return entries.reverse().flatMap((entry) => {
    const { changes, effectiveAt, userName } = entry.data as AuditData;
    return changes.map((change) => ({
      field: change.field,
      priorValue: change.priorValue,
      value: change.value,
      effectiveDate: ccStamp(effectiveAt),
      // Clients read these too; no public material shows their values, so none are made up.
      status: null,
      userName,
      delegatedUser: null,
      ipAddress: null,
    }));
  });
}

/**
 * Get Device Audit History: the device's changes within `daysOfHistory` (30 by default, at most
 * 365) of now, most recent first. The trail belongs to the device, so an account that received it
 * sees the changes made before it arrived too.
 */
export async function auditTrails(
  c: Context,
  runtime: PlatformRuntime,
  device: Device,
): Promise<object | ControlCenterError> {
  const days = intParam(c, "daysOfHistory", HISTORY_DAYS.default);
  if (!(days >= 1 && days <= HISTORY_DAYS.max))
    return badParameter(`DaysOfHistory is invalid. Maximum of ${HISTORY_DAYS.max}.`);
  const paging = readPaging(c);
  if ("kind" in paging) return paging;
  const now = runtime.now();
  const entries = await runtime.logs.find(AUDIT, {
    nativeId: device.record.nativeId,
    since: now - days * DAY,
  });
  const page = pageOf(records(entries), paging);
  return {
    iccid: device.record.iccid as string,
    timestamp: ccStamp(now),
    pageNumber: paging.pageNumber,
    lastPage: page.lastPage,
    deviceAuditTrails: page.items,
  };
}
