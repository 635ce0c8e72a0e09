import type { Context } from "hono";
import { badRequest, readJson } from "./http.js";
import { refuseNativeChange, startStatusChange } from "./lifecycle.js";
import type { Device, NativeAccount, NativeOperation, PlatformRuntime } from "./runtime.js";
import type { NativeEnv, NativeError } from "./types.js";

/**
 * Native-side steps of the platforms whose status changes are operations to poll (a request, a
 * transaction, an order): each family names the resource and renders it in its own shape.
 */

/**
 * The caller's operation named by route parameter `param`, or the platform's not-found error for
 * it: someone else's operation is as unknown as one that never existed.
 */
export async function ownOperation(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  param: string,
  missing: (id: string) => NativeError,
): Promise<{ operation: NativeOperation } | { error: NativeError }> {
  const id = c.req.param(param) ?? "";
  const operation = await runtime.getOperation(id);
  return operation?.accountId === c.get("account").id ? { operation } : { error: missing(id) };
}

/** The target status a one-SIM change body names in `field`; the lifecycle checks come later. */
export async function readTarget(c: Context, field: string): Promise<string | NativeError> {
  const json = await readJson(c);
  if (!json.ok) return json.error;
  const value = (json.value as Record<string, unknown> | null)?.[field];
  return typeof value === "string" && value !== "" ? value : badRequest(`${field} is required`);
}

/** Starts the change of one device after the platform's own checks, or says why it refuses. */
export async function beginStatusChange(
  runtime: PlatformRuntime,
  account: NativeAccount,
  device: Device,
  to: string,
  id: () => string | Promise<string>,
): Promise<{ operation: NativeOperation } | { error: NativeError }> {
  const error = refuseNativeChange(runtime, device, to);
  if (error) return { error };
  return { operation: await startStatusChange(runtime, account, [device], to, await id()) };
}

/** When an operation was accepted, last moved to another stage, and finished (if it has). */
export async function operationTimes(
  runtime: PlatformRuntime,
  operation: NativeOperation,
): Promise<{ createdAt: number; updatedAt: number; completedAt: number | undefined }> {
  const now = runtime.now();
  const passed = operation.plan.stages.filter((stage) => stage.endsAt <= now).at(-1)?.endsAt;
  return {
    createdAt: operation.createdAt,
    updatedAt: passed ?? operation.createdAt,
    completedAt: (await runtime.operationState(operation)).done ? operation.plan.endsAt : undefined,
  };
}
