import { createHash } from "node:crypto";
import type { PlatformRuntime } from "../shared/runtime.js";

/**
 * List cursors: opaque to the caller, yet the same position of the same client's list always gets
 * the same cursor (same seed, same run or not), and a cursor made up or taken from another client
 * is refused rather than read.
 */
function seal(runtime: PlatformRuntime, accountId: string, position: number): string {
  return createHash("sha256")
    .update(`${runtime.options.seed}\u0000${runtime.code}\u0000${accountId}\u0000${position}`)
    .digest("base64url")
    .slice(0, 12);
}

export function cursorFor(runtime: PlatformRuntime, accountId: string, position: number): string {
  return Buffer.from(`${position}.${seal(runtime, accountId, position)}`).toString("base64url");
}

/** The list position a cursor stands for, or undefined when the cursor is not one we issued. */
export function positionOf(runtime: PlatformRuntime, accountId: string, cursor: string): number | undefined {
  const match = /^(\d{1,10})\./.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return undefined;
  const position = Number(match[1]);
  return cursorFor(runtime, accountId, position) === cursor ? position : undefined;
}
