import type { Device, NativeAccount, NativeOperation, PlatformRuntime } from "./runtime.js";
import type { NativeError } from "./types.js";

/**
 * Device lifecycle rules every native API applies the same way; each family only phrases the
 * resulting errors in its own envelope.
 */

/** Why the platform's own API refuses `device` → `to`, or undefined when it accepts it. */
export function refuseNativeChange(
  runtime: PlatformRuntime,
  device: Device,
  to: string,
): NativeError | undefined {
  const vocabulary = runtime.definition.vocabulary;
  if (!(to in vocabulary.toCmo)) {
    return {
      kind: "bad-request",
      status: 400,
      message: `Unknown status ${to}; expected one of ${Object.keys(vocabulary.nativeTransitions).join(", ")}`,
    };
  }
  if (device.pendingOperation !== undefined) {
    return {
      kind: "conflict",
      status: 409,
      message: `Device ${device.record.nativeId} has operation ${device.pendingOperation} in progress`,
    };
  }
  if (to === device.nativeStatus) return undefined;
  const allowed = vocabulary.nativeTransitions[device.nativeStatus] ?? [];
  if (!allowed.includes(to)) {
    return {
      kind: "invalid-transition",
      status: 400,
      message: `Status change from ${device.nativeStatus} to ${to} is not allowed`,
    };
  }
  return undefined;
}

/** Why a move of `device` to `targetAccountId` is refused, or the target account. */
export function refuseTransfer(
  runtime: PlatformRuntime,
  from: NativeAccount,
  device: Device,
  targetAccountId: string,
): NativeError | NativeAccount {
  const target = runtime.accounts.get(targetAccountId);
  if (!target) return { kind: "not-found", status: 404, message: `Account ${targetAccountId} not found` };
  if (target.tenant !== from.tenant)
    return {
      kind: "forbidden",
      status: 403,
      message: `Account ${targetAccountId} belongs to another customer`,
    };
  if (target.id === from.id)
    return {
      kind: "bad-request",
      status: 400,
      message: `Device ${device.record.nativeId} already belongs to account ${targetAccountId}`,
    };
  if (device.pendingOperation !== undefined) {
    return {
      kind: "conflict",
      status: 409,
      message: `Device ${device.record.nativeId} has operation ${device.pendingOperation} in progress`,
    };
  }
  return target;
}

type Change = Pick<NativeOperation, "kind" | "items" | "targetAccountId">;

/** Starts an asynchronous change under a family-formatted id; `extra` is what the family shows of it. */
function start(
  runtime: PlatformRuntime,
  account: NativeAccount,
  change: Change,
  id: string,
  extra: Record<string, string> | undefined,
): Promise<NativeOperation> {
  return runtime.startOperation({ id, accountId: account.id, ...change, ...(extra ? { extra } : {}) });
}

export function startStatusChange(
  runtime: PlatformRuntime,
  account: NativeAccount,
  devices: Device[],
  to: string,
  id: string,
  extra?: Record<string, string>,
): Promise<NativeOperation> {
  const items = devices.map((d) => ({ nativeId: d.record.nativeId, from: d.nativeStatus, to }));
  return start(runtime, account, { kind: "status", items }, id, extra);
}

/** A move of `device` to the `target` account; its status stays as it is. */
export function startTransfer(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  target: NativeAccount,
  id: string,
  extra?: Record<string, string>,
): Promise<NativeOperation> {
  const items = [{ nativeId: device.record.nativeId, from: device.nativeStatus, to: device.nativeStatus }];
  return start(runtime, account, { kind: "transfer", targetAccountId: target.id, items }, id, extra);
}

/** Stage name → the family's name for it once finished, for rendering operation resources. */
export async function operationPhase(
  runtime: PlatformRuntime,
  operation: NativeOperation,
  names: { succeeded: string; failed: string },
): Promise<string> {
  const state = await runtime.operationState(operation);
  if (!state.done) return state.stage ?? names.succeeded;
  return state.outcome === "succeeded" ? names.succeeded : names.failed;
}
