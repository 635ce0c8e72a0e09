import type { Context } from "hono";
import { badRequest, readJson } from "../shared/http.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeEnv } from "../shared/types.js";
import {
  ARP_IDENTIFIERS,
  findSubscription,
  type IdentifierType,
  identifierType,
  SUBSCRIPTION_LIST_IDENTIFIERS,
} from "./identifiers.js";
import { isObject, unknownFields } from "./input.js";
import { organisation, organisationIdIn } from "./organisation.js";
import { type AerisError, isProblem, problem, subscriptionNotFound } from "./problem.js";

/**
 * What every SICA change request shares: who asks, for which organisation (`on_behalf_of`), about
 * which subscriptions (a `subscriptions` list, or the ARP request's single `subscription`).
 */

export interface ChangeRequest {
  caller: NativeAccount;
  /** The organisation the subscriptions belong to: the caller's, or the one it acts for. */
  acting: NativeAccount;
  devices: Device[];
  change: Record<string, unknown>;
}

/** Aeris documents no cap for a batch; the fake takes this many and answers more with a 413. */
const MAX_IDENTIFIERS = 1000;

type Named = { type: IdentifierType; identifiers: string[] };

function readList(value: unknown): Named | AerisError {
  if (!isObject(value)) return badRequest("subscriptions is mandatory and must be an object");
  const unknown = unknownFields(value, ["identifier_type", "identifiers"], "subscriptions");
  if (unknown) return unknown;
  const type = identifierType(
    value.identifier_type,
    SUBSCRIPTION_LIST_IDENTIFIERS,
    "subscriptions.identifier_type",
  );
  if (isProblem(type)) return type;
  const { identifiers } = value;
  if (
    !Array.isArray(identifiers) ||
    identifiers.length === 0 ||
    !identifiers.every((i) => typeof i === "string")
  )
    return badRequest("subscriptions.identifiers must be a non-empty list of strings");
  if (identifiers.length > MAX_IDENTIFIERS)
    return problem("bad-request", 413, `At most ${MAX_IDENTIFIERS} subscriptions per request`);
  return { type, identifiers: [...new Set(identifiers as string[])] };
}

function readSingle(value: unknown): Named | AerisError {
  if (!isObject(value)) return badRequest("subscription is mandatory and must be an object");
  const unknown = unknownFields(value, ["identifier_type", "identifier"], "subscription");
  if (unknown) return unknown;
  const type = identifierType(value.identifier_type, ARP_IDENTIFIERS, "subscription.identifier_type");
  if (isProblem(type)) return type;
  if (typeof value.identifier !== "string" || value.identifier === "")
    return badRequest("subscription.identifier must be a non-empty string");
  return { type, identifiers: [value.identifier] };
}

export async function readChangeRequest(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  shape: "list" | "single",
): Promise<ChangeRequest | AerisError> {
  const json = await readJson(c);
  if (!json.ok) return json.error;
  const body = json.value;
  if (!isObject(body)) return badRequest("The body must be a JSON object");
  const targets = shape === "list" ? "subscriptions" : "subscription";
  const unknown = unknownFields(body, [targets, "change", "on_behalf_of"], "");
  if (unknown) return unknown;
  const named = shape === "list" ? readList(body.subscriptions) : readSingle(body.subscription);
  if (isProblem(named)) return named;
  if (!isObject(body.change)) return badRequest("change is mandatory and must be an object");

  const caller = c.get("account");
  const behalf =
    body.on_behalf_of === undefined ? undefined : organisationIdIn(body.on_behalf_of, "on_behalf_of");
  if (isProblem(behalf)) return behalf;
  const acting = organisation(runtime, caller, behalf);
  if (isProblem(acting)) return acting;

  const devices = new Map<string, Device>();
  const missing: string[] = [];
  for (const identifier of named.identifiers) {
    const device = await findSubscription(runtime, acting.id, named.type, identifier);
    if (device) devices.set(device.record.nativeId, device);
    else missing.push(identifier);
  }
  if (missing.length > 0) return subscriptionNotFound(`Subscription not found: ${missing.join(", ")}`);
  return { caller, acting, devices: [...devices.values()], change: body.change };
}
