import { operationPhase } from "../shared/lifecycle.js";
import type { Device, NativeOperation, PlatformRuntime } from "../shared/runtime.js";
import { utcText } from "../shared/utc-text.js";

/** Path of the Customer REST Services behind the Telekom API gateway (documented). */
export const BASE = "/iot/connectivity/management/v1";

/** The gateway's identity provider is Keycloak-based; the realm path is its standard one. */
export const TOKEN_PATH = "/auth/realms/default/protocol/openid-connect/token";

/** Every successful answer, byte for byte as the CMO's monitor shows it for TMSP. */
export const HAL_JSON = "application/hal+json;charset=UTF-8";

export const partnerPath = (partnerId: string) => `${BASE}/partners/${partnerId}`;

/**
 * Links are absolute paths below the gateway's root: the fake cannot know the prefix it is mounted
 * under, and a client resolves them against the base URL it was configured with.
 */
const link = (href: string) => ({ href });

function time(ms: number | undefined): string | null {
  return ms === undefined ? null : utcText(ms, "T", "Z");
}

/** A SIM as the portal shows it to its partner. */
export function nativeSim(device: Device, now: number) {
  const r = device.record;
  const iccid = r.iccid as string;
  const sims = `${partnerPath(device.accountId)}/sims`;
  return {
    iccid,
    imsi: r.imsi ?? null,
    msisdn: r.msisdn ?? null,
    eid: r.eid ?? null,
    imei: r.imei,
    partnerId: device.accountId,
    simStatus: device.nativeStatus,
    tariff: r.ratePlan,
    apn: r.communicationPlan,
    customerReference: r.label,
    creationDate: time(r.addedAt),
    activationDate: time(device.activatedAt),
    lastStatusChange: time(device.updatedAt),
    dataUsage: { volumeBytes: r.usageBytes, periodStart: time(r.usageSince), periodEnd: time(now) },
    _links: {
      self: link(`${sims}/${iccid}`),
      "status-change": link(`${sims}/status-change`),
      transfer: link(`${sims}/transfer`),
      ...(device.pendingOperation === undefined
        ? {}
        : {
            "pending-request": link(`${partnerPath(device.accountId)}/requests/${device.pendingOperation}`),
          }),
    },
  };
}

export type TmspSim = ReturnType<typeof nativeSim>;

/** A Spring Data page of SIMs: `_embedded` is left out when the page is empty, as Spring HATEOAS does. */
export function simPage(
  sims: TmspSim[],
  partnerId: string,
  query: { page: number; size: number; total: number; simStatus?: string | undefined },
) {
  const { page, size, total } = query;
  const totalPages = Math.ceil(total / size);
  const filter = query.simStatus === undefined ? "" : `&simStatus=${query.simStatus}`;
  const at = (n: number) => link(`${partnerPath(partnerId)}/sims?page=${n}&size=${size}${filter}`);
  return {
    ...(sims.length > 0 ? { _embedded: { sims } } : {}),
    _links: {
      first: at(0),
      ...(page > 0 ? { prev: at(page - 1) } : {}),
      self: at(page),
      ...(page + 1 < totalPages ? { next: at(page + 1) } : {}),
      last: at(Math.max(0, totalPages - 1)),
    },
    page: { size, totalElements: total, totalPages, number: page },
  };
}

export type TmspSimPage = ReturnType<typeof simPage>;

const FAILURE_MESSAGES: Record<NativeOperation["kind"], string> = {
  status: "Network provisioning failed: the HLR did not confirm the change; the SIM keeps its status",
  transfer: "Transfer rejected by the billing system; the SIM stays with its partner",
};

/** An asynchronous request (status change or transfer) as the partner polls it. */
export async function nativeRequest(runtime: PlatformRuntime, operation: NativeOperation) {
  const state = await operationPhase(runtime, operation, { succeeded: "COMPLETED", failed: "FAILED" });
  const { plan } = operation;
  // The current state began when the stage before it ended.
  const running = plan.stages.findIndex((s) => runtime.now() < s.endsAt);
  const since = running < 0 ? plan.endsAt : running > 0 ? plan.stages[running - 1]?.endsAt : plan.startedAt;
  const item = operation.items[0];
  const iccid = item?.nativeId ?? "";
  const requests = `${partnerPath(operation.accountId)}/requests`;
  return {
    requestId: operation.id,
    requestType: operation.kind === "status" ? "STATUS_CHANGE" : "TRANSFER",
    state,
    identifier: { type: operation.extra?.identifierType, value: operation.extra?.identifierValue },
    iccid,
    ...(operation.kind === "status"
      ? { targetStatus: item?.to }
      : { targetPartnerId: operation.targetAccountId }),
    createdAt: time(operation.createdAt),
    lastUpdate: time(since),
    errorMessage: state === "FAILED" ? FAILURE_MESSAGES[operation.kind] : null,
    _links: {
      self: link(`${requests}/${operation.id}`),
      ...(operation.kind === "status"
        ? { sim: link(`${partnerPath(operation.accountId)}/sims/${iccid}`) }
        : {}),
    },
  };
}

export type TmspRequest = Awaited<ReturnType<typeof nativeRequest>>;
