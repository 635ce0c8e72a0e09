import { operationPhase } from "../shared/lifecycle.js";
import type { NativeOperation, PlatformRuntime } from "../shared/runtime.js";

/**
 * A subscription request as `GET /iot/api/sica/subscriptions/requests/{id}` shows it. Field names
 * and state names are Aeris'; the organisation-change request type, its property names and the
 * failure codes are ours.
 */

const KINDS = {
  status: {
    type: "CHANGE_SUBSCRIPTIONSTATE",
    target: "TARGET_SUBSCRIPTION_STATE",
    operation: "SUBSCRIPTION_STATE_CHANGE",
  },
  transfer: {
    type: "CHANGE_SUBSCRIPTIONORGANIZATION",
    target: "TARGET_ORGANIZATION",
    operation: "SUBSCRIPTION_ORGANIZATION_CHANGE",
  },
} as const;

/** Resource state → its counter in `subscriptionRequestResourceCounters`. */
const COUNTERS: Record<string, string> = {
  PENDING: "pending",
  IN_PROGRESS: "inProgress",
  CANCELED: "canceled",
  REJECTED: "rejected",
  COMPLETED: "completed",
  FAILED: "failed",
};

const FAILURE_INFO: Record<string, { errorCode: string; errorMessage: string }> = {
  FAILED: {
    errorCode: "PROVISIONING_FAILED",
    errorMessage: "The network did not confirm the change; the subscription keeps its previous state",
  },
  REJECTED: { errorCode: "REQUEST_REJECTED", errorMessage: "The request was rejected before processing" },
};

function instant(ms: number) {
  return { epochSecond: Math.floor(ms / 1000), nano: (ms % 1000) * 1_000_000 };
}

/**
 * Request state and resource state. A request that fails while still PENDING was REJECTED as a
 * whole; one that fails later completed with its resources FAILED.
 */
function states(runtime: PlatformRuntime, operation: NativeOperation): { request: string; resource: string } {
  const phase = operationPhase(runtime, operation, {
    succeeded: "COMPLETED",
    failed: "COMPLETED_WITH_FAILURES",
  });
  if (phase !== "COMPLETED_WITH_FAILURES") return { request: phase, resource: phase };
  return operation.plan.stages.at(-1)?.state === "PENDING"
    ? { request: "REJECTED", resource: "REJECTED" }
    : { request: phase, resource: "FAILED" };
}

export function subscriptionRequest(runtime: PlatformRuntime, operation: NativeOperation) {
  const kind = KINDS[operation.kind];
  const { request, resource } = states(runtime, operation);
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
  const failure = FAILURE_INFO[resource];
  return {
    subscriptionRequestId: operation.id,
    subscriptionRequestType: kind.type,
    subscriptionRequestState: request,
    createdBy: operation.extra?.createdBy ?? "",
    companyId: operation.accountId,
    timeCreated: instant(operation.createdAt),
    lastUpdated: instant(lastUpdated),
    size: operation.items.length,
    subscriptionRequestResourceCounters: counters,
    subscriptionRequestResources: operation.items.map((item) => ({
      resourceId: item.nativeId,
      resourceState: resource,
      resourceProperties: [
        { type: "ICCID", value: item.nativeId, operation: kind.operation },
        {
          type: kind.target,
          value: operation.kind === "transfer" ? (operation.targetAccountId ?? "") : item.to,
          operation: kind.operation,
        },
      ],
      resourceFailureInfos: failure ? [failure] : [],
    })),
  };
}

export type SubscriptionRequest = ReturnType<typeof subscriptionRequest>;
