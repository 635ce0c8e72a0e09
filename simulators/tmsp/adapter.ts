import type { CmoStatus, Operation } from "../../src/config/schema.js";
import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type CallSpec,
  type CmoAdapter,
  type DeviceView,
  failed,
  failureFromStatus,
  isFailure,
  NativeClient,
  type Outcome,
  ok,
  pagedWindow,
  parseBody,
  viewDevice,
  viewDevices,
} from "../shared/adapter.js";
import { clientCredentialsFetcher } from "../shared/auth.js";
import { partnerPath, type TmspRequest, type TmspSim, type TmspSimPage, TOKEN_PATH } from "./model.js";

const PAGE_SIZE = 100;

function failure(exchange: NativeExchange) {
  const body = parseBody(exchange) as { message?: string } | undefined;
  const message = body?.message ?? `TMSP answered ${exchange.status}`;
  return failureFromStatus(exchange, message, exchange.status === 422 ? "invalid-transition" : undefined);
}

/** The ticket names the partner the request belongs to: a transfer's SIM leaves it, the request does not. */
const ticketOf = (request: TmspRequest, partnerId: string) => `${partnerId}/${request.requestId}`;

/** TMSP → CMO: every change is a request the portal accepts with 202 and completes later. */
export function tmspAdapter(context: AdapterContext): CmoAdapter {
  const client = new NativeClient(context, {
    kind: "bearer",
    fetchToken: clientCredentialsFetcher(TOKEN_PATH, "form"),
  });

  /** One HAL call: the parsed body on `expected`, the classified failure otherwise. */
  async function call<T>(
    account: AdapterAccount,
    operation: Operation,
    spec: CallSpec,
    expected = 200,
  ): Promise<Outcome<T>> {
    const result = await client.call(account, operation, {
      ...spec,
      headers: { accept: "application/hal+json", ...spec.headers },
    });
    if (isFailure(result)) return failed(result);
    if (result.status !== expected) return failed(failure(result));
    const body = parseBody(result) as T | undefined;
    return body === undefined
      ? failed({
          kind: "protocol",
          status: result.status,
          message: "TMSP sent an unreadable body",
          exchange: result,
        })
      : ok(body, result);
  }

  const toView = (sim: TmspSim, status: CmoStatus): DeviceView => ({
    nativeId: sim.iccid,
    status,
    nativeStatus: sim.simStatus,
    accountId: sim.partnerId,
    offering: sim.tariff,
    startDate: sim.activationDate ?? sim.creationDate ?? undefined,
    iccid: sim.iccid,
    imsi: sim.imsi ?? undefined,
    msisdn: sim.msisdn ?? undefined,
    characteristics: [
      { name: "ICCID", value: sim.iccid },
      { name: "IMSI", value: sim.imsi ?? "" },
      { name: "MSISDN", value: sim.msisdn ?? "" },
      { name: "euiccid", value: sim.eid ?? "" },
      { name: "imei", value: sim.imei },
      { name: "dateAdded", value: sim.creationDate ?? "" },
      { name: "dateActivated", value: sim.activationDate ?? "" },
      { name: "dateUpdated", value: sim.lastStatusChange ?? "" },
      { name: "customerReference", value: sim.customerReference },
    ],
    connectivity: [
      { name: "tariff", value: sim.tariff },
      { name: "apn", value: sim.apn },
    ],
    usage: {
      bytes: sim.dataUsage.volumeBytes,
      since: sim.dataUsage.periodStart ?? "",
      until: sim.dataUsage.periodEnd ?? "",
    },
  });

  const submit = async (account: AdapterAccount, action: "status-change" | "transfer", json: unknown) => {
    const outcome = await call<TmspRequest>(
      account,
      action === "transfer" ? "transfer" : "changeStatus",
      { method: "POST", path: `${partnerPath(account.id)}/sims/${action}`, json },
      202,
    );
    return outcome.ok
      ? ok({ mode: "pending" as const, ticket: ticketOf(outcome.value, account.id) }, outcome.exchange)
      : outcome;
  };

  return {
    async get(account, nativeId) {
      const outcome = await call<TmspSim>(account, "read", {
        method: "GET",
        path: `${partnerPath(account.id)}/sims/${encodeURIComponent(nativeId)}`,
      });
      return outcome.ok
        ? viewDevice(context, outcome.exchange, outcome.value, (s) => s.simStatus, toView)
        : outcome;
    },

    list: (account, offset, limit) =>
      pagedWindow(offset, limit, PAGE_SIZE, 0, async (page, size) => {
        const outcome = await call<TmspSimPage>(account, "list", {
          method: "GET",
          path: `${partnerPath(account.id)}/sims`,
          query: { page, size },
        });
        if (!outcome.ok) return outcome;
        const views = viewDevices(
          context,
          outcome.exchange,
          outcome.value._embedded?.sims ?? [],
          (s) => s.simStatus,
          toView,
        );
        return views.ok
          ? ok({ items: views.value, total: outcome.value.page.totalElements }, outcome.exchange)
          : views;
      }),

    async changeStatus(account, device, target) {
      const targetStatus = context.vocabulary.target[target];
      if (targetStatus === undefined)
        return failed({ kind: "invalid-transition", status: 0, message: `TMSP has no status for ${target}` });
      return submit(account, "status-change", {
        identifier: { type: "ICCID", value: device.nativeId },
        targetStatus,
      });
    },

    async poll(account, ticket) {
      const [partnerId, requestId] = ticket.split("/");
      const outcome = await call<TmspRequest>(account, "poll", {
        method: "GET",
        path: `${partnerPath(partnerId ?? account.id)}/requests/${requestId}`,
      });
      if (!outcome.ok) return outcome;
      const request = outcome.value;
      if (request.state === "COMPLETED") return ok({ state: "DONE" }, outcome.exchange);
      if (request.state !== "FAILED") return ok({ state: "IN_PROGRESS" }, outcome.exchange);
      return ok(
        {
          state: "FAILED",
          failure: failureFromStatus(
            outcome.exchange,
            request.errorMessage ?? "TMSP request failed",
            "server-error",
          ),
        },
        outcome.exchange,
      );
    },

    transfer: (account, device, target) =>
      submit(account, "transfer", {
        identifier: { type: "ICCID", value: device.nativeId },
        targetPartnerId: target.id,
      }),
  };
}
