import type { Context, Hono } from "hono";
import { readJson } from "../shared/http.js";
import { refuseNativeChange, refuseTransfer, startStatusChange } from "../shared/lifecycle.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { findSubscription, IDENTIFIER_TYPES, isIdentifierType, organisation } from "./lookup.js";
import { type AerisError, problem } from "./problem.js";
import { subscriptionRequest } from "./request-model.js";

/**
 * SICA subscription requests: bulk, asynchronous changes that answer 201 with a request id to
 * track. State changes are documented; organisation changes (our transfer) follow the same shape.
 */

export const SETTABLE_STATES = [
  "ACTIVE",
  "DEACTIVATED",
  "PAUSE",
  "TERMINATED",
  "ACTIVE_NO_BILLING",
  "DEACTIVATED_NO_BILLING",
] as const;

const MAX_IDENTIFIERS = 1000;
const BASE = "/iot/api/sica/subscriptions/requests";

interface ParsedRequest {
  caller: NativeAccount;
  acting: NativeAccount;
  devices: Device[];
  change: Record<string, unknown>;
}

const badRequest = (detail: string) => problem("bad-request", 400, detail);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Body checks both request kinds share: who, on whose behalf, and which subscriptions. */
async function readSubscriptionRequest(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
): Promise<ParsedRequest | AerisError> {
  const json = await readJson(c);
  if (!json.ok) return json.error;
  const body = json.value;
  if (!isObject(body) || !isObject(body.subscriptions) || !isObject(body.change))
    return badRequest("subscriptions and change are mandatory");
  const { identifier_type: type, identifiers } = body.subscriptions;
  if (!isIdentifierType(type))
    return badRequest(`subscriptions.identifier_type must be one of ${IDENTIFIER_TYPES.join(", ")}`);
  if (
    !Array.isArray(identifiers) ||
    identifiers.length === 0 ||
    !identifiers.every((i) => typeof i === "string")
  )
    return badRequest("subscriptions.identifiers must be a non-empty list of strings");
  if (identifiers.length > MAX_IDENTIFIERS)
    return problem("bad-request", 413, `At most ${MAX_IDENTIFIERS} subscriptions per request`);
  const behalf = body.on_behalf_of;
  if (behalf !== undefined && !(isObject(behalf) && typeof behalf.organization_id === "string"))
    return badRequest("on_behalf_of.organization_id must be a string");

  const caller = c.get("account");
  const acting = organisation(runtime, caller, behalf?.organization_id as string | undefined);
  if ("kind" in acting) return acting;
  const devices = new Map<string, Device>();
  const missing: string[] = [];
  for (const identifier of identifiers as string[]) {
    const device = findSubscription(runtime, acting.id, type, identifier);
    if (device) devices.set(device.record.nativeId, device);
    else missing.push(identifier);
  }
  if (missing.length > 0)
    return problem(
      "not-found",
      404,
      `Subscription not found: ${missing.join(", ")}`,
      "SUBSCRIPTION_NOT_FOUND",
    );
  return { caller, acting, devices: [...devices.values()], change: body.change };
}

function requestId(runtime: PlatformRuntime): string {
  const { sequence, stream } = runtime.nextId("subscription-request");
  return `REQ${stream.digits(6)}${String(sequence).padStart(6, "0")}`;
}

export function requestRoutes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  app.post(`${BASE}/state-changes`, guard("changeStatus", { write: true }), async (c) => {
    const parsed = await readSubscriptionRequest(c, runtime);
    if ("kind" in parsed) return fail(c, parsed);
    const state = parsed.change.state;
    if (typeof state !== "string" || !(SETTABLE_STATES as readonly string[]).includes(state))
      return fail(c, badRequest(`change.state must be one of ${SETTABLE_STATES.join(", ")}`));
    for (const device of parsed.devices) {
      const refusal = refuseNativeChange(runtime, device, state);
      if (refusal) return fail(c, { ...refusal, message: `${device.record.nativeId}: ${refusal.message}` });
    }
    const operation = startStatusChange(runtime, parsed.acting, parsed.devices, state, requestId(runtime), {
      createdBy: parsed.caller.username,
    });
    return c.json({ subscription_request_id: operation.id }, 201);
  });

  app.post(`${BASE}/organization-changes`, guard("transfer", { write: true }), async (c) => {
    const parsed = await readSubscriptionRequest(c, runtime);
    if ("kind" in parsed) return fail(c, parsed);
    const target = parsed.change.organization_id;
    if (typeof target !== "string") return fail(c, badRequest("change.organization_id must be a string"));
    for (const device of parsed.devices) {
      const refused = refuseTransfer(runtime, parsed.acting, device, target);
      if ("kind" in refused) return fail(c, refused);
    }
    const operation = runtime.startOperation({
      id: requestId(runtime),
      accountId: parsed.acting.id,
      kind: "transfer",
      targetAccountId: target,
      items: parsed.devices.map((d) => ({
        nativeId: d.record.nativeId,
        from: d.nativeStatus,
        to: d.nativeStatus,
      })),
      extra: { createdBy: parsed.caller.username },
    });
    return c.json({ subscription_request_id: operation.id }, 201);
  });

  app.get(`${BASE}/:requestId`, guard("poll"), (c) => {
    const id = c.req.param("requestId");
    const operation = runtime.getOperation(id);
    if (!operation || runtime.accounts.get(operation.accountId)?.tenant !== c.get("account").tenant)
      return fail(c, problem("not-found", 404, `Subscription request ${id} not found`, "REQUEST_NOT_FOUND"));
    return c.json(subscriptionRequest(runtime, operation));
  });
}
