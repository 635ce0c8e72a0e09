import { refuseNativeChange, refuseTransfer, startStatusChange } from "../shared/lifecycle.js";
import type { Device, NativeOperation, PlatformRuntime } from "../shared/runtime.js";
import { findPackage, isRegion, type SubscriptionPackage } from "./catalogue.js";
import { unknownFields } from "./input.js";
import { organisation, organisationIdIn } from "./organisation.js";
import { type AerisError, badRequest, isProblem, problem } from "./problem.js";
import type { ChangeRequest } from "./request-body.js";
import { FIELD } from "./subscription.js";

/**
 * The five SICA change requests: what each `change` holds, what each refuses, and what it does to
 * the subscriptions once it completes. Every one is checked whole before anything starts: one
 * subscription that cannot change refuses the request.
 */

export const SETTABLE_STATES = [
  "ACTIVE",
  "DEACTIVATED",
  "PAUSE",
  "TERMINATED",
  "ACTIVE_NO_BILLING",
  "DEACTIVATED_NO_BILLING",
] as const;

export type RequestPath =
  | "state-changes"
  | "owner-changes"
  | "package-changes"
  | "region-changes"
  | "arp-changes";

export interface RequestKind {
  path: RequestPath;
  /** The rate-limit and fault group it counts in (all of Aeris' `requests` share one limit). */
  operation: "changeStatus" | "transfer";
  /** `arp-changes` names one subscription; the others take a list. */
  shape: "list" | "single";
  /** `newId` hands out the request id once the request is accepted, so refusals use none. */
  start(runtime: PlatformRuntime, request: ChangeRequest, newId: () => string): NativeOperation | AerisError;
}

const ARP_CODE = /^[A-Za-z0-9]{1,10}$/;

function prefixed(device: Device, error: AerisError): AerisError {
  return { ...error, message: `${device.record.nativeId}: ${error.message}` };
}

/** Package, region and ARP changes leave the state alone; a terminated subscription takes none of them. */
function refuseAttributeChange(devices: Device[]): AerisError | undefined {
  for (const device of devices) {
    if (device.pendingOperation !== undefined)
      return problem(
        "conflict",
        409,
        `${device.record.nativeId}: request ${device.pendingOperation} is in progress`,
      );
    if (device.nativeStatus === "TERMINATED")
      return problem(
        "invalid-transition",
        400,
        `${device.record.nativeId}: a TERMINATED subscription cannot change`,
      );
  }
  return undefined;
}

/** Once a request has succeeded, its fields land on every subscription (on the clock, at its end). */
function applyOnSuccess(
  runtime: PlatformRuntime,
  operation: NativeOperation,
  fields: Record<string, string>,
): void {
  if (operation.plan.outcome !== "succeeded") return;
  for (const item of operation.items)
    runtime.scheduleEdit({
      accountId: operation.accountId,
      nativeId: item.nativeId,
      at: operation.plan.endsAt,
      fields,
    });
}

function packageFields(pkg: SubscriptionPackage, at: number): Record<string, string> {
  return { [FIELD.package]: pkg.id, [FIELD.packageChangedAt]: new Date(at).toISOString() };
}

/**
 * A change of attributes runs as a status operation that keeps the status: it holds the
 * subscriptions (409 to other requests) and is tracked like any request, and its edit lands once
 * it has succeeded.
 */
function startAttributeChange(
  runtime: PlatformRuntime,
  request: ChangeRequest,
  newId: () => string,
  path: RequestPath,
  target: string,
  fields: (endsAt: number) => Record<string, string>,
): NativeOperation | AerisError {
  const refused = refuseAttributeChange(request.devices);
  if (refused) return refused;
  const operation = runtime.startOperation({
    id: newId(),
    accountId: request.acting.id,
    kind: "status",
    items: request.devices.map((d) => ({
      nativeId: d.record.nativeId,
      from: d.nativeStatus,
      to: d.nativeStatus,
    })),
    extra: { createdBy: request.caller.username, request: path, target },
  });
  applyOnSuccess(runtime, operation, fields(operation.plan.endsAt));
  return operation;
}

function readPackage(
  runtime: PlatformRuntime,
  value: unknown,
  where: string,
): SubscriptionPackage | AerisError {
  if (typeof value !== "string" || value === "") return badRequest(`${where} must be a non-empty string`);
  return findPackage(runtime, value) ?? badRequest(`${where}: subscription package ${value} does not exist`);
}

const state: RequestKind = {
  path: "state-changes",
  operation: "changeStatus",
  shape: "list",
  start(runtime, request, newId) {
    const unknown = unknownFields(request.change, ["state"], "change");
    if (unknown) return unknown;
    const target = request.change.state;
    // Upper case only, as documented: unlike identifier types, states are not case insensitive.
    if (typeof target !== "string" || !(SETTABLE_STATES as readonly string[]).includes(target))
      return badRequest(`change.state must be one of ${SETTABLE_STATES.join(", ")}`);
    for (const device of request.devices) {
      const refusal = refuseNativeChange(runtime, device, target);
      if (refusal) return prefixed(device, refusal);
    }
    return startStatusChange(runtime, request.acting, request.devices, target, newId(), {
      createdBy: request.caller.username,
      request: "state-changes",
    });
  },
};

const owner: RequestKind = {
  path: "owner-changes",
  operation: "transfer",
  shape: "list",
  start(runtime, request, newId) {
    const unknown = unknownFields(request.change, ["owner"], "change");
    if (unknown) return unknown;
    const targetId = organisationIdIn(request.change.owner, "change.owner", ["subscription_package_id"]);
    if (isProblem(targetId)) return targetId;
    const target = organisation(runtime, request.acting, targetId);
    if (isProblem(target)) return target;
    const packageId = (request.change.owner as Record<string, unknown>).subscription_package_id;
    const pkg =
      packageId === undefined
        ? undefined
        : readPackage(runtime, packageId, "change.owner.subscription_package_id");
    if (isProblem(pkg)) return pkg;
    for (const device of request.devices) {
      const refused = refuseTransfer(runtime, request.acting, device, target.id);
      if (isProblem(refused)) return prefixed(device, refused);
    }
    const operation = runtime.startOperation({
      id: newId(),
      accountId: request.acting.id,
      kind: "transfer",
      targetAccountId: target.id,
      items: request.devices.map((d) => ({
        nativeId: d.record.nativeId,
        from: d.nativeStatus,
        to: d.nativeStatus,
      })),
      extra: {
        createdBy: request.caller.username,
        request: "owner-changes",
        ...(pkg ? { target: pkg.id } : {}),
      },
    });
    applyOnSuccess(runtime, operation, {
      [FIELD.oldCompanyId]: request.acting.id,
      ...(pkg ? packageFields(pkg, operation.plan.endsAt) : {}),
    });
    return operation;
  },
};

const packageChange: RequestKind = {
  path: "package-changes",
  operation: "changeStatus",
  shape: "list",
  start(runtime, request, newId) {
    const unknown = unknownFields(request.change, ["subscription_package_id"], "change");
    if (unknown) return unknown;
    const pkg = readPackage(
      runtime,
      request.change.subscription_package_id,
      "change.subscription_package_id",
    );
    if (isProblem(pkg)) return pkg;
    return startAttributeChange(runtime, request, newId, "package-changes", pkg.id, (at) =>
      packageFields(pkg, at),
    );
  },
};

const region: RequestKind = {
  path: "region-changes",
  operation: "changeStatus",
  shape: "list",
  start(runtime, request, newId) {
    const unknown = unknownFields(request.change, ["region"], "change");
    if (unknown) return unknown;
    const name = request.change.region;
    if (typeof name !== "string" || name === "")
      return badRequest("change.region must be a non-empty string");
    if (!isRegion(runtime, name)) return badRequest(`change.region: region ${name} does not exist`);
    return startAttributeChange(runtime, request, newId, "region-changes", name, () => ({
      [FIELD.region]: name,
    }));
  },
};

const arp: RequestKind = {
  path: "arp-changes",
  operation: "changeStatus",
  shape: "single",
  start(runtime, request, newId) {
    const unknown = unknownFields(request.change, ["arp_tadig_code"], "change");
    if (unknown) return unknown;
    const code = request.change.arp_tadig_code;
    // Case sensitive, as documented: stored exactly as given.
    if (typeof code !== "string" || !ARP_CODE.test(code))
      return badRequest("change.arp_tadig_code must be 1 to 10 letters or digits");
    return startAttributeChange(runtime, request, newId, "arp-changes", code, (at) => ({
      [FIELD.arpTadigCode]: code,
      [FIELD.arpAssignedAt]: new Date(at).toISOString(),
    }));
  },
};

export const REQUEST_KINDS: readonly RequestKind[] = [state, owner, packageChange, region, arp];
