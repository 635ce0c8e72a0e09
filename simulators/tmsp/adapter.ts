import type { CmoStatus } from "../../src/config/schema.js";
import { type AdapterAccount, type AdapterFactory, type DeviceView, unsent } from "../shared/adapter.js";
import { pagedWindow } from "../shared/list-window.js";
import { clientCredentials } from "../shared/native-dialect.js";
import { type ErrorTable, fields } from "../shared/native-errors.js";
import { nativeKit, pending } from "../shared/native-kit.js";
import { partnerPath, type TmspRequest, type TmspSim, type TmspSimPage, TOKEN_PATH } from "./model.js";

const PAGE_SIZE = 100;

/** TMSP's errors say nothing a status does not, but for the 422 of a transition its rules refuse. */
const ERRORS: ErrorTable = {
  name: "TMSP",
  read: fields(undefined, "message"),
  statuses: { 422: "invalid-transition" },
};

/** The ticket names the partner the request belongs to: a transfer's SIM leaves it, the request does not. */
const ticketOf = (request: TmspRequest, partnerId: string) => `${partnerId}/${request.requestId}`;

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

/** TMSP → CMO: every change is a request the portal accepts with 202 and completes later. */
export const tmspAdapter: AdapterFactory = (context) => {
  const kit = nativeKit(
    context,
    { auth: clientCredentials(TOKEN_PATH), errors: ERRORS, headers: { accept: "application/hal+json" } },
    { status: (sim: TmspSim) => sim.simStatus, view: toView },
  );

  const sims = (account: AdapterAccount) => `${partnerPath(account.id)}/sims`;

  const submit = async (account: AdapterAccount, action: "status-change" | "transfer", json: unknown) => {
    const operation = action === "transfer" ? "transfer" : "changeStatus";
    const path = `${sims(account)}/${action}`;
    const outcome = await kit.call<TmspRequest>(account, {
      operation,
      method: "POST",
      path,
      json,
      expect: [202],
    });
    return outcome.ok ? pending(ticketOf(outcome.value, account.id), outcome.exchange) : outcome;
  };

  return {
    get: (account, nativeId) => kit.device(account, `${sims(account)}/${encodeURIComponent(nativeId)}`),

    list: (account, offset, limit) =>
      pagedWindow(offset, limit, PAGE_SIZE, 0, (page, size) =>
        kit.page<TmspSimPage>(
          account,
          sims(account),
          { page, size },
          (body) => body._embedded?.sims ?? [],
          (body) => body.page.totalElements,
        ),
      ),

    async changeStatus(account, device, target) {
      const targetStatus = context.vocabulary.target[target];
      if (targetStatus === undefined) return unsent("invalid-transition", `TMSP has no status for ${target}`);
      return submit(account, "status-change", {
        identifier: { type: "ICCID", value: device.nativeId },
        targetStatus,
      });
    },

    poll(account, ticket) {
      const [partnerId, requestId] = ticket.split("/");
      return kit.operation<TmspRequest>(
        account,
        `${partnerPath(partnerId ?? account.id)}/requests/${requestId}`,
        { status: (request) => request.state, done: "COMPLETED", failed: ["FAILED"] },
        (request) => ({ kind: "server-error", message: request.errorMessage ?? "TMSP request failed" }),
      );
    },

    transfer: (account, device, target) =>
      submit(account, "transfer", {
        identifier: { type: "ICCID", value: device.nativeId },
        targetPartnerId: target.id,
      }),
  };
};
