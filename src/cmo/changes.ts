import type { ChangeAccepted, Outcome } from "../../simulators/shared/adapter.js";
import type { CmoStatus } from "../config/schema.js";
import { ProblemError } from "../http/problem.js";
import type { NativeExchange } from "../transport/types.js";
import type { Located } from "./directory.js";
import type { ProductRef } from "./ids.js";
import type { MonitorEntry } from "./monitor-model.js";
import type { PatchIntent } from "./patch.js";

/*
 * What one product's change becomes: the checks the CMO makes before asking the platform, and the
 * monitor entry that records the platform's answer.
 */

const NO_EXCHANGE: NativeExchange = { status: 0, headers: [], body: "" };

/** Checks the platform's CMO transition rules (its CMO policy). */
export function checkTransition(located: Located, target: CmoStatus): void {
  const from = located.device.status;
  const code = located.definition.code;
  if (from === target)
    throw new ProblemError(400, `${code}-${located.device.nativeId} is already ${target}`, "Invalid Action");
  const allowed = located.slot.policy().transitions[from] ?? [];
  if (!allowed.includes(target)) {
    const options =
      allowed.length > 0
        ? `from ${from} it allows ${allowed.join(", ")}`
        : `it allows no change from ${from}`;
    throw new ProblemError(400, `${code} does not allow ${from} → ${target}; ${options}`, "Invalid Action");
  }
}

/** The entry of a change the platform accepted: DONE at once, or IN_PROGRESS with the ticket to poll. */
export function acceptedEntry(
  located: Located,
  outcome: Outcome<ChangeAccepted> & { ok: true },
  action: MonitorEntry["action"],
): MonitorEntry {
  const pending = outcome.value.mode === "pending";
  return {
    platform: located.definition.code,
    productId: `${located.definition.code}-${located.device.nativeId}`,
    accountId: located.account.id,
    nativeId: located.device.nativeId,
    state: pending ? "IN_PROGRESS" : "DONE",
    message: "",
    native: outcome.exchange,
    action,
    ticket: outcome.value.mode === "pending" ? outcome.value.ticket : undefined,
  };
}

/** A batch entry whose custom properties the CMO changed itself: the product body as its answer. */
export function propertiesEntry(ref: ProductRef, body: unknown): MonitorEntry {
  return {
    platform: ref.platform,
    productId: ref.compositeId,
    state: "DONE",
    message: "",
    native: {
      status: 200,
      headers: [{ name: "Content-Type", value: "application/json" }],
      body: JSON.stringify(body),
    },
    action: { kind: "customProperty" },
  };
}

/** A batch entry that failed, with its problem about `product/{raw}`. */
export function failedEntry(
  raw: string,
  platform: MonitorEntry["platform"],
  productId: string,
  intent: PatchIntent,
  error: ProblemError,
  native = NO_EXCHANGE,
): MonitorEntry {
  return {
    platform,
    productId,
    state: "FAILED",
    message: error.detail,
    native,
    action: intent.kind === "status" ? { kind: "status", target: intent.target } : { kind: "customProperty" },
    problem: error.toProblem(`product/${raw}`),
  };
}
