import { operationPhase } from "../shared/lifecycle.js";
import type { NativeOperation, OperationItem, PlatformRuntime } from "../shared/runtime.js";
import type { RequestPath } from "./request-kinds.js";

/**
 * A subscription request as `GET /iot/api/sica/subscriptions/requests/{id}` shows it, in the DCP
 * `SubscriptionRequest` schema: its type, state, counters and resources. The failure texts, and
 * which state a failing request ends in, are ours.
 */

/**
 * Each request's type, and the `operation` of its resource properties: the vendor's enum has one
 * for state and package changes only, so the others leave it out.
 */
const TYPES: Record<RequestPath, { type: string; operation?: string }> = {
  "state-changes": { type: "CHANGE_SUBSCRIPTIONSTATE", operation: "SUBSCRIPTION_STATE_CHANGE" },
  "package-changes": { type: "CHANGE_SUBSCRIPTIONPACKAGE", operation: "SUBSCRIPTION_PACKAGE_CHANGE" },
  "owner-changes": { type: "CHANGE_SUBSCRIPTIONOWNER" },
  "region-changes": { type: "CHANGE_SUBSCRIPTIONREGION" },
  "arp-changes": { type: "CHANGE_ALTROAMINGPROVIDER" },
};

/** Resource state → its counter in `subscriptionRequestResourceCounters`. */
const COUNTERS: Record<string, string> = {
  PENDING: "pending",
  IN_PROGRESS: "inProgress",
  CANCELED: "canceled",
  REJECTED: "rejected",
  COMPLETED: "completed",
  FAILED: "failed",
};

/** A DCP `FailureInfo`: an untyped `errorObject` and the error's origin. */
function failureInfo(errorCode: string, errorMessage: string) {
  return { errorObject: { errorCode, errorMessage }, getErrorType: "DCP_ERROR" };
}

const FAILED = failureInfo(
  "PROVISIONING_FAILED",
  "The network did not confirm the change; the subscription keeps its previous state",
);
const REJECTED = failureInfo("REQUEST_REJECTED", "The request was rejected before processing");

function instant(ms: number) {
  return { epochSecond: Math.floor(ms / 1000), nano: (ms % 1000) * 1_000_000 };
}

/** Requests saved before their kind was recorded are state changes or owner changes. */
function requestPath(operation: NativeOperation): RequestPath {
  const named = operation.extra?.request;
  if (named !== undefined && named in TYPES) return named as RequestPath;
  return operation.kind === "transfer" ? "owner-changes" : "state-changes";
}

/**
 * Request state and resource state. A request that fails while still PENDING was REJECTED as a
 * whole; one that fails later completed with its resources FAILED. There is no request-level
 * FAILED in the vendor's enum.
 */
async function states(
  runtime: PlatformRuntime,
  operation: NativeOperation,
): Promise<{ request: string; resource: string }> {
  const phase = await operationPhase(runtime, operation, {
    succeeded: "COMPLETED",
    failed: "COMPLETED_WITH_FAILURES",
  });
  if (phase !== "COMPLETED_WITH_FAILURES") return { request: phase, resource: phase };
  return operation.plan.stages.at(-1)?.state === "PENDING"
    ? { request: "REJECTED", resource: "REJECTED" }
    : { request: phase, resource: "FAILED" };
}

function property(type: string, value: string, operation: string | undefined) {
  return operation === undefined ? { type, value } : { type, value, operation };
}

/**
 * The property naming what a resource changes to, where the vendor's property types have one: a
 * target state, or a target package (a package change, or an owner change that also sets one).
 */
function targetProperty(path: RequestPath, operation: NativeOperation, item: OperationItem) {
  if (path === "state-changes")
    return [property("TARGET_SUBSCRIPTION_STATE", item.to, "SUBSCRIPTION_STATE_CHANGE")];
  const pkg = operation.extra?.package;
  return pkg === undefined
    ? []
    : [property("TARGET_SUBSCRIPTION_PACKAGE", pkg, "SUBSCRIPTION_PACKAGE_CHANGE")];
}

export async function subscriptionRequest(
  runtime: PlatformRuntime,
  operation: NativeOperation,
  paging: { page: number; perPage: number | undefined },
) {
  const path = requestPath(operation);
  const kind = TYPES[path];
  const { request, resource } = await states(runtime, operation);
  const now = runtime.now();
  const lastUpdated = Math.max(
    operation.createdAt,
    ...operation.plan.stages.map((s) => s.endsAt).filter((at) => at <= now),
  );
  const counters: Record<string, number> = {
    inProgress: 0,
    pending: 0,
    canceled: 0,
    rejected: 0,
    completed: 0,
    failed: 0,
  };
  counters[COUNTERS[resource] ?? "inProgress"] = operation.items.length;
  const failure = resource === "FAILED" ? FAILED : resource === "REJECTED" ? REJECTED : undefined;
  const { perPage, page } = paging;
  const items =
    perPage === undefined ? operation.items : operation.items.slice(page * perPage, (page + 1) * perPage);
  return {
    subscriptionRequestId: operation.id,
    subscriptionRequestType: kind.type,
    subscriptionRequestState: request,
    createdBy: operation.extra?.createdBy ?? "",
    companyId: operation.accountId,
    companyName: runtime.accounts.get(operation.accountId)?.name ?? "",
    timeCreated: instant(operation.createdAt),
    lastUpdated: instant(lastUpdated),
    size: operation.items.length,
    subscriptionRequestResourceCounters: counters,
    subscriptionRequestFailureInfos: request === "REJECTED" ? [REJECTED] : [],
    subscriptionRequestResources: items.map((item) => ({
      resourceId: item.nativeId,
      resourceState: resource,
      resourceProperties: [
        property("ICCID", item.nativeId, kind.operation),
        ...targetProperty(path, operation, item),
      ],
      resourceFailureInfos: failure ? [failure] : [],
    })),
  };
}

export type SubscriptionRequest = Awaited<ReturnType<typeof subscriptionRequest>>;
