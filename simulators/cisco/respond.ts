import type { Context } from "hono";
import type { NativeApiKit, NativeError } from "../shared/types.js";

/**
 * A route's result as Control Center answers it: an error in its own envelope, anything else as the
 * JSON body. Results are told apart by `kind`, which only errors carry.
 */
export function respond(c: Context, fail: NativeApiKit["fail"], result: object | NativeError): Response {
  return "kind" in result ? fail(c, result as NativeError) : c.json(result);
}
