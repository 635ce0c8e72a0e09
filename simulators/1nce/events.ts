import type { LogEntry } from "../shared/device-log.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";

/** The device-log kind holding 1NCE SIM events. */
export const EVENTS = "events";

/**
 * What happened, as data. Only changes made through this API are recorded: the network events a
 * real SIM also collects (PDP contexts, location updates) are not simulated.
 */
export type EventChange =
  | { change: "status"; from: string; to: string }
  | { change: "label"; from: string; to: string }
  | { change: "imei_lock"; to: boolean }
  | { change: "sms_submitted" | "sms_cancelled"; sms: string }
  | { change: "bulk"; status: string; label?: string; imei_lock?: boolean };

export type EventData = EventChange & { user: string };

export async function recordEvent(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  change: EventChange,
): Promise<void> {
  await runtime.logs.append(EVENTS, {
    accountId: account.id,
    nativeId: device.record.nativeId,
    at: runtime.now(),
    data: { ...change, user: account.username },
  });
}

/** A SIM's events, oldest first (the order they were recorded in). */
export function eventsOf(runtime: PlatformRuntime, device: Device): Promise<LogEntry[]> {
  return runtime.logs.find(EVENTS, { accountId: device.accountId, nativeId: device.record.nativeId });
}

/**
 * v2 `event_type` ids and names for these changes are ours (1NCE publishes only network ones, such
 * as 4 "Delete PDP Context"); the v1 text follows its documented "Status of SIM changed from
 * 'Issued' to 'Activated'".
 */
const EVENT_TYPES: Record<EventChange["change"], { id: number; description: string }> = {
  status: { id: 1001, description: "Update SIM status" },
  label: { id: 1002, description: "Update SIM label" },
  imei_lock: { id: 1003, description: "Update IMEI lock" },
  sms_submitted: { id: 1004, description: "Submit MT-SMS" },
  sms_cancelled: { id: 1005, description: "Cancel MT-SMS" },
  bulk: { id: 1006, description: "Apply queued SIM configuration" },
};

export interface DescribedEvent {
  type: { id: number; description: string };
  text: string;
  user: string | null;
}

export function describeEvent(entry: LogEntry): DescribedEvent {
  const data = entry.data as EventData;
  const user = typeof data.user === "string" ? data.user : null;
  const type = EVENT_TYPES[data.change] ?? { id: 1000, description: "SIM event" };
  return { type, text: eventText(data), user };
}

function eventText(data: EventData): string {
  switch (data.change) {
    case "status":
      return `Status of SIM changed from '${data.from}' to '${data.to}'`;
    case "label":
      return `Label of SIM changed from '${data.from}' to '${data.to}'`;
    case "imei_lock":
      return `IMEI lock of SIM ${data.to ? "enabled" : "disabled"}`;
    case "sms_submitted":
      return `MT-SMS ${data.sms} submitted`;
    case "sms_cancelled":
      return `MT-SMS ${data.sms} cancelled`;
    case "bulk": {
      const parts = [`status '${data.status}'`];
      if (data.label !== undefined) parts.push(`label '${data.label}'`);
      if (data.imei_lock !== undefined) parts.push(`IMEI lock ${data.imei_lock ? "enabled" : "disabled"}`);
      return `Queued SIM configuration applied: ${parts.join(", ")}`;
    }
    default:
      return "SIM event";
  }
}
