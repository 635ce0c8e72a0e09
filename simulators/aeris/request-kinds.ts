import { badRequest } from "../shared/http.js";
import { refuseNativeChange, refuseTransfer, startStatusChange } from "../shared/lifecycle.js";
import type { Device, NativeOperation, PlatformRuntime } from "../shared/runtime.js";
import type { NativeError } from "../shared/types.js";
import { findPackage, isRegion, type SubscriptionPackage } from "./catalogue.js";
import { unknownFields } from "./input.js";
import { organisation, organisationIdIn } from "./organisation.js";
import { type AerisError, isProblem, problem } from "./problem.js";
import type { ChangeRequest } from "./request-body.js";
import { FIELD } from "./subscription.js";

/**
 * The five SICA change requests: the one field each `change` holds, what each refuses, and what it
 * does to the subscriptions once it completes. Every one is checked whole before anything starts:
 * one subscription that cannot change refuses the request.
 */

const SETTABLE_STATES = [
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

/** What every request records: who asked, and which kind it is (the status view's type). */
type Extra = { createdBy: string; request: RequestPath };

/** A change the request's field asks for, read and valid, not yet started. */
interface Plan {
  /** Why one subscription cannot take the change. */
  refuse(device: Device): NativeError | undefined;
  start(id: string, extra: Extra): Promise<NativeOperation>;
}

interface RequestKind {
  path: RequestPath;
  /** The rate-limit and fault group it counts in (all of Aeris' `requests` share one limit). */
  operation: "changeStatus" | "transfer";
  /** `arp-changes` names one subscription; the others take a list. */
  shape: "list" | "single";
  /** The one field of `change`. */
  field: string;
  plan(runtime: PlatformRuntime, value: unknown, request: ChangeRequest): Plan | AerisError;
}

/** `newId` hands out the request id once the request is accepted, so refusals use none. */
export async function startRequest(
  runtime: PlatformRuntime,
  kind: RequestKind,
  request: ChangeRequest,
  newId: () => Promise<string>,
): Promise<NativeOperation | AerisError> {
  const unknown = unknownFields(request.change, [kind.field], "change");
  if (unknown) return unknown;
  const plan = kind.plan(runtime, request.change[kind.field], request);
  if (isProblem(plan)) return plan;
  for (const device of request.devices) {
    const refused = plan.refuse(device);
    if (refused) return { ...refused, message: `${device.record.nativeId}: ${refused.message}` };
  }
  return plan.start(await newId(), { createdBy: request.caller.username, request: kind.path });
}

/**
 * Starts a request that keeps every subscription's state (a transfer when it moves them): it holds
 * the subscriptions (409 to other requests) and is tracked like any request, and `fields` land on
 * every subscription once it has succeeded (on the clock, at its end).
 */
async function startKeepingState(
  runtime: PlatformRuntime,
  request: ChangeRequest,
  start: { id: string; extra: Record<string, string>; moveTo?: string },
  fields: (endsAt: number) => Record<string, string>,
): Promise<NativeOperation> {
  const operation = await runtime.startOperation({
    id: start.id,
    accountId: request.acting.id,
    ...(start.moveTo === undefined
      ? { kind: "status" as const }
      : { kind: "transfer" as const, targetAccountId: start.moveTo }),
    items: request.devices.map((d) => ({
      nativeId: d.record.nativeId,
      from: d.nativeStatus,
      to: d.nativeStatus,
    })),
    extra: start.extra,
  });
  const { outcome, endsAt } = operation.plan;
  if (outcome !== "succeeded") return operation;
  const landing = fields(endsAt);
  for (const item of operation.items)
    await runtime.scheduleEdit({
      accountId: operation.accountId,
      nativeId: item.nativeId,
      at: endsAt,
      fields: landing,
    });
  return operation;
}

/** The package a request also sets, recorded for the status view's target property. */
const withPackage = (extra: Extra, pkg: string | undefined): Record<string, string> =>
  pkg === undefined ? extra : { ...extra, package: pkg };

function packageFields(pkg: SubscriptionPackage, at: number): Record<string, string> {
  return { [FIELD.package]: pkg.id, [FIELD.packageChangedAt]: new Date(at).toISOString() };
}

function readPackage(
  runtime: PlatformRuntime,
  value: unknown,
  where: string,
): SubscriptionPackage | AerisError {
  if (typeof value !== "string" || value === "") return badRequest(`${where} must be a non-empty string`);
  return findPackage(runtime, value) ?? badRequest(`${where}: subscription package ${value} does not exist`);
}

function refuseAttributeChange(device: Device): NativeError | undefined {
  if (device.pendingOperation !== undefined)
    return problem("conflict", 409, `request ${device.pendingOperation} is in progress`);
  if (device.nativeStatus === "TERMINATED")
    return problem("invalid-transition", 400, "a TERMINATED subscription cannot change");
  return undefined;
}

/** A change of attributes, read from the field by `read`; a terminated subscription takes none. */
function attributeKind(
  path: RequestPath,
  shape: RequestKind["shape"],
  field: string,
  read: (
    runtime: PlatformRuntime,
    value: unknown,
  ) => { fields: (endsAt: number) => Record<string, string>; package?: string } | AerisError,
): RequestKind {
  return {
    path,
    operation: "changeStatus",
    shape,
    field,
    plan(runtime, value, request) {
      const change = read(runtime, value);
      if (isProblem(change)) return change;
      return {
        refuse: refuseAttributeChange,
        start: (id, extra) =>
          startKeepingState(
            runtime,
            request,
            { id, extra: withPackage(extra, change.package) },
            change.fields,
          ),
      };
    },
  };
}

const ARP_CODE = /^[A-Za-z0-9]{1,10}$/;

export const REQUEST_KINDS: readonly RequestKind[] = [
  {
    path: "state-changes",
    operation: "changeStatus",
    shape: "list",
    field: "state",
    plan(runtime, target, request) {
      // Upper case only, as documented: unlike identifier types, states are not case insensitive.
      if (typeof target !== "string" || !(SETTABLE_STATES as readonly string[]).includes(target))
        return badRequest(`change.state must be one of ${SETTABLE_STATES.join(", ")}`);
      return {
        refuse: (device) => refuseNativeChange(runtime, device, target),
        start: (id, extra) => startStatusChange(runtime, request.acting, request.devices, target, id, extra),
      };
    },
  },
  {
    path: "owner-changes",
    operation: "transfer",
    shape: "list",
    field: "owner",
    plan(runtime, owner, request) {
      const targetId = organisationIdIn(owner, "change.owner", ["subscription_package_id"]);
      if (isProblem(targetId)) return targetId;
      const target = organisation(runtime, request.acting, targetId);
      if (isProblem(target)) return target;
      const packageId = (owner as Record<string, unknown>).subscription_package_id;
      const pkg =
        packageId === undefined
          ? undefined
          : readPackage(runtime, packageId, "change.owner.subscription_package_id");
      if (isProblem(pkg)) return pkg;
      return {
        refuse(device) {
          const refused = refuseTransfer(runtime, request.acting, device, target.id);
          return isProblem(refused) ? refused : undefined;
        },
        start: (id, extra) =>
          startKeepingState(
            runtime,
            request,
            { id, extra: withPackage(extra, pkg?.id), moveTo: target.id },
            (at) => ({
              [FIELD.oldCompanyId]: request.acting.id,
              ...(pkg ? packageFields(pkg, at) : {}),
            }),
          ),
      };
    },
  },
  attributeKind("package-changes", "list", "subscription_package_id", (runtime, value) => {
    const pkg = readPackage(runtime, value, "change.subscription_package_id");
    return isProblem(pkg) ? pkg : { fields: (at) => packageFields(pkg, at), package: pkg.id };
  }),
  attributeKind("region-changes", "list", "region", (runtime, name) => {
    if (typeof name !== "string" || name === "")
      return badRequest("change.region must be a non-empty string");
    if (!isRegion(runtime, name)) return badRequest(`change.region: region ${name} does not exist`);
    return { fields: () => ({ [FIELD.region]: name }) };
  }),
  attributeKind("arp-changes", "single", "arp_tadig_code", (_runtime, code) => {
    // Case sensitive, as documented: stored exactly as given.
    if (typeof code !== "string" || !ARP_CODE.test(code))
      return badRequest("change.arp_tadig_code must be 1 to 10 letters or digits");
    return {
      fields: (at) => ({ [FIELD.arpTadigCode]: code, [FIELD.arpAssignedAt]: new Date(at).toISOString() }),
    };
  }),
];
