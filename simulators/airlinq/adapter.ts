import { byHttpStatus, ticketAdapter } from "../shared/ticket-adapter.js";
import { CODES } from "./errors.js";
import { type AirlinqRequest, type AirlinqSim, BASE, TOKEN_PATH } from "./model.js";

interface AirlinqPage {
  totalRecords: number;
  sims: AirlinqSim[];
}

/** AIRLINQ → CMO: one-ICCID state-change requests, whose request id is the CMO's ticket. */
export const airlinqAdapter = ticketAdapter<{
  sim: AirlinqSim;
  page: AirlinqPage;
  accepted: { requestId: string };
  operation: AirlinqRequest;
}>({
  name: "AIRLINQ",
  tokenPath: TOKEN_PATH,
  codes: CODES,
  answer: byHttpStatus({ code: "errorCode", message: "errorMessage" }),
  read: (iccid) => ({ method: "GET", path: `${BASE}/sims/${encodeURIComponent(iccid)}` }),
  facts: (sim) => ({
    iccid: sim.iccid,
    imsi: sim.imsi,
    msisdn: sim.msisdn,
    imei: sim.imei,
    nativeStatus: sim.simState,
    offering: sim.plan,
    accountId: sim.accountId,
    dateActivated: sim.activatedAt ?? undefined,
    dateUpdated: sim.stateChangedAt,
    connectivity: { networkProvider: "Reliance Jio", ratePlan: sim.plan },
  }),
  list: {
    style: "page",
    firstPage: 1,
    pageSize: 500,
    request: (pageNo, pageSize) => ({ method: "GET", path: `${BASE}/sims`, query: { pageNo, pageSize } }),
    items: (page) => page.sims,
    total: (page) => page.totalRecords,
  },
  change: (device, targetState) => ({
    method: "POST",
    path: `${BASE}/sims/state-change`,
    json: { iccids: [device.nativeId], targetState, reason: "Status change requested through the CMO" },
  }),
  ticket: (accepted) => accepted.requestId,
  poll: (requestId) => ({ method: "GET", path: `${BASE}/requests/${encodeURIComponent(requestId)}` }),
  progress: {
    status: (request) => request.status,
    done: "SUCCESS",
    // A one-ICCID request cannot half succeed, but a bulk one sent by someone else can.
    failed: ["FAILED", "PARTIAL_SUCCESS"],
    error: (request) => {
      const result = request.results.find((r) => r.status === "FAILED");
      return { code: result?.errorCode, message: result?.errorMessage };
    },
  },
});
