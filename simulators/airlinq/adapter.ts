import { fields } from "../shared/native-errors.js";
import { ticketAdapter } from "../shared/ticket-adapter.js";
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
  platform: { name: "AIRLINQ", tokenPath: TOKEN_PATH, codes: CODES },
  error: fields("errorCode", "errorMessage"),
  sims: `${BASE}/sims`,
  facts: (sim) => ({
    msisdn: sim.msisdn,
    imei: sim.imei,
    nativeStatus: sim.simState,
    offering: sim.plan,
    accountId: sim.accountId,
    dateActivated: sim.activatedAt ?? undefined,
    dateUpdated: sim.stateChangedAt,
    connectivity: { networkProvider: "Reliance Jio", ratePlan: sim.plan },
  }),
  list: { style: "page", firstPage: 1, pageSize: 500, query: ["pageNo", "pageSize"] },
  listed: (page) => ({ sims: page.sims, total: page.totalRecords }),
  change: (device, targetState) => ({
    method: "POST",
    path: `${BASE}/sims/state-change`,
    json: { iccids: [device.nativeId], targetState, reason: "Status change requested through the CMO" },
  }),
  accepted: { status: 202, ticket: (accepted) => accepted.requestId },
  operations: `${BASE}/requests`,
  // A one-ICCID request cannot half succeed, but a bulk one sent by someone else can.
  progress: { status: (request) => request.status, done: "SUCCESS", failed: ["FAILED", "PARTIAL_SUCCESS"] },
  failure: (request) => {
    const result = request.results.find((r) => r.status === "FAILED");
    return { code: result?.errorCode, message: result?.errorMessage };
  },
});
