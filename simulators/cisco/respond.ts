import type { Context } from "hono";
import type { NativeApiKit, NativeError } from "../shared/types.js";

/**
 * Answers a route's result as Control Center does: an error in its own envelope, anything else as
 * the JSON body. Results are told apart by `kind`, which only errors carry.
 */
export function responder(fail: NativeApiKit["fail"]) {
  return (c: Context, result: object | NativeError): Response =>
    "kind" in result ? fail(c, result as NativeError) : c.json(result);
}
