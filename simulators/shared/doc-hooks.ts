import type { Operation } from "../../src/config/schema.js";
import type { NativeError } from "./types.js";

/**
 * What the generated API documents (src/openapi) learn from a native app without calling its
 * routes: which operation guards each route, and how the app renders its errors.
 */

export interface GuardInfo {
  operation: Operation;
  write: boolean;
  public: boolean;
}

const GUARDS = new WeakMap<object, GuardInfo>();

/** Tags a guard middleware; a family's own middleware that picks between guards tags itself too. */
export function markGuard<H extends object>(info: GuardInfo, middleware: H): H {
  GUARDS.set(middleware, info);
  return middleware;
}

export function guardOf(handler: unknown): GuardInfo | undefined {
  return typeof handler === "function" ? GUARDS.get(handler) : undefined;
}

/**
 * A request env that asks a native app to render one error the way it renders it for real (its
 * own middleware included), or the answer its authentication gives a request without credentials.
 * Such requests are not journaled or counted; only code in this process can send them.
 */
export interface DocProbe {
  error: NativeError | "missing-credentials";
}

export function probeOf(env: unknown): DocProbe | undefined {
  return (env as { docProbe?: DocProbe } | undefined)?.docProbe;
}
