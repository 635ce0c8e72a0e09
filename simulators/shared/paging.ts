import type { Context } from "hono";
import { badRequest, intParam } from "./http.js";
import type { Device, PlatformRuntime } from "./runtime.js";
import type { NativeEnv, NativeError } from "./types.js";

/** The caller's devices a list request asked for, and how many the account holds. */
export interface DevicePage {
  devices: Device[];
  total: number;
  offset: number;
  limit: number;
}

async function slice(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  offset: number,
  limit: number,
): Promise<DevicePage> {
  const accountId = c.get("account").id;
  return {
    devices: await runtime.listDevices(accountId, offset, limit),
    total: await runtime.countDevices(accountId),
    offset,
    limit,
  };
}

/** A page-numbered list (`?pageNo=2&pageSize=50`), pages counted from `firstPage`. */
export async function numberedPage(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  spec: { page: string; size: string; firstPage: 0 | 1; defaultSize: number; maxSize: number },
): Promise<(DevicePage & { page: number; pages: number }) | NativeError> {
  const page = intParam(c, spec.page, spec.firstPage);
  const size = intParam(c, spec.size, spec.defaultSize);
  if (!(page >= spec.firstPage))
    return badRequest(`${spec.page} must be an integer of at least ${spec.firstPage}`);
  if (!(size >= 1 && size <= spec.maxSize))
    return badRequest(`${spec.size} must be between 1 and ${spec.maxSize}`);
  const window = await slice(c, runtime, (page - spec.firstPage) * size, size);
  return { ...window, page, pages: Math.ceil(window.total / size) };
}

/** An offset/limit list (`?offset=100&limit=50`). */
export async function offsetPage(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  spec: { defaultLimit: number; maxLimit: number },
): Promise<DevicePage | NativeError> {
  const offset = intParam(c, "offset", 0);
  const limit = intParam(c, "limit", spec.defaultLimit);
  if (!(offset >= 0)) return badRequest("offset must be a non-negative integer");
  if (!(limit >= 1 && limit <= spec.maxLimit))
    return badRequest(`limit must be between 1 and ${spec.maxLimit}`);
  return slice(c, runtime, offset, limit);
}
