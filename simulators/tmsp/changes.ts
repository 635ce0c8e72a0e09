import type { Context, Hono, MiddlewareHandler } from "hono";
import type { RandomStream } from "../../src/engine/random.js";
import { badRequest, readJson } from "../shared/http.js";
import { refuseNativeChange, refuseTransfer, startStatusChange, startTransfer } from "../shared/lifecycle.js";
import type { Device, NativeOperation, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { hal } from "./answers.js";
import { BASE, nativeRequest, partnerPath } from "./model.js";

/**
 * Status changes and transfers: both are requests the portal accepts with 202 and a Location to
 * poll, PENDING → IN_PROGRESS → COMPLETED | FAILED, on the profile's async timeline.
 */

/** Identifier types the portal documents for selecting a SIM in a POST. */
const IDENTIFIER_TYPES = ["ICCID", "EID", "IMSI", "IMEI", "MSISDN"];

/** Java's `UUID.randomUUID()` shape, drawn from the request's own stream. */
function uuid(stream: RandomStream): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(stream.next() * 16).toString(16)).join("");
  const variant = "89ab"[Math.floor(stream.next() * 4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

type Selected = { device: Device; identifier: { identifierType: string; identifierValue: string } };

async function selectSim(
  runtime: PlatformRuntime,
  accountId: string,
  body: unknown,
): Promise<Selected | NativeError> {
  const identifier = (body as { identifier?: { type?: unknown; value?: unknown } } | null)?.identifier;
  const type = identifier?.type;
  const value = identifier?.value;
  if (typeof type !== "string" || !IDENTIFIER_TYPES.includes(type) || typeof value !== "string" || !value)
    return badRequest(`identifier must be {"type": one of ${IDENTIFIER_TYPES.join(", ")}, "value": "…"}`);
  // Which identifier a request accepts depends on the request; these two name the device or profile.
  if (type === "EID" || type === "IMEI")
    return badRequest(`Identifier type ${type} is not available for this request`);
  const device =
    type === "ICCID"
      ? await runtime.findDevice(accountId, value)
      : await runtime.findDeviceBy(accountId, type === "IMSI" ? "imsi" : "msisdn", value);
  if (!device)
    return {
      kind: "not-found",
      status: 404,
      message: `No SIM with ${type} ${value} for partner ${accountId}`,
    };
  return { device, identifier: { identifierType: type, identifierValue: value } };
}

export function changeRoutes(
  app: Hono<NativeEnv>,
  { runtime, guard, fail }: NativeApiKit,
  ownPartner: MiddlewareHandler<NativeEnv>,
): void {
  const partner = `${BASE}/partners/:partnerId`;
  const targets = [...new Set(Object.values(runtime.definition.vocabulary.nativeTransitions).flat())];
  const requestId = async () => uuid((await runtime.nextId("request")).stream);

  const accepted = async (c: Context, operation: NativeOperation) =>
    hal(c, await nativeRequest(runtime, operation), 202, {
      Location: `${partnerPath(operation.accountId)}/requests/${operation.id}`,
    });

  /** The JSON body and the SIM it names, or the answer refusing them. */
  const read = async (
    c: Context<NativeEnv>,
  ): Promise<{ body: Record<string, unknown>; selected: Selected } | Response> => {
    const json = await readJson(c);
    if (!json.ok) return fail(c, json.error);
    const body = (json.value ?? {}) as Record<string, unknown>;
    const selected = await selectSim(runtime, c.get("account").id, body);
    return "kind" in selected ? fail(c, selected) : { body, selected };
  };

  app.post(`${partner}/sims/status-change`, guard("changeStatus", { write: true }), ownPartner, async (c) => {
    const input = await read(c);
    if (input instanceof Response) return input;
    const { targetStatus } = input.body;
    if (typeof targetStatus !== "string" || !targets.includes(targetStatus))
      return fail(c, badRequest(`targetStatus must be one of ${targets.join(", ")}`));
    const { device, identifier } = input.selected;
    const refusal = refuseNativeChange(runtime, device, targetStatus);
    // The portal refuses a lifecycle rule with 422, keeping 409 for a SIM with a request in flight.
    if (refusal)
      return fail(c, refusal.kind === "invalid-transition" ? { ...refusal, status: 422 } : refusal);
    const account = c.get("account");
    return accepted(
      c,
      await startStatusChange(runtime, account, [device], targetStatus, await requestId(), identifier),
    );
  });

  app.post(`${partner}/sims/transfer`, guard("transfer", { write: true }), ownPartner, async (c) => {
    const input = await read(c);
    if (input instanceof Response) return input;
    const { targetPartnerId } = input.body;
    if (typeof targetPartnerId !== "string" || !targetPartnerId)
      return fail(c, badRequest("targetPartnerId is required"));
    const account = c.get("account");
    const { device, identifier } = input.selected;
    const target = refuseTransfer(runtime, account, device, targetPartnerId);
    if ("kind" in target) return fail(c, target);
    return accepted(c, await startTransfer(runtime, account, device, target, await requestId(), identifier));
  });

  app.get(`${partner}/requests/:requestId`, guard("poll"), ownPartner, async (c) => {
    const id = c.req.param("requestId");
    const operation = await runtime.getOperation(id);
    return operation && operation.accountId === c.get("account").id
      ? hal(c, await nativeRequest(runtime, operation))
      : fail(c, { kind: "not-found", status: 404, message: `Request ${id} not found` });
  });
}
