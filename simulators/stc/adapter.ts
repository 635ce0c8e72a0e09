import { byHttpStatus, ticketAdapter } from "../shared/ticket-adapter.js";
import { CODES } from "./errors.js";
import { BASE, type StcSubscription, type StcTransaction, TOKEN_PATH } from "./model.js";

/** ConnectME writes Riyadh time; the CMO shows UTC. */
const utc = (riyadhTime: string) => new Date(riyadhTime).toISOString();

/** STC → CMO: one transaction per change, its id the CMO's ticket; errors asked for in English. */
export const stcAdapter = ticketAdapter<{
  sim: StcSubscription;
  page: { subscriptions: StcSubscription[]; totalCount: number };
  accepted: { transactionId: string };
  operation: StcTransaction;
}>({
  name: "STC",
  tokenPath: TOKEN_PATH,
  codes: CODES,
  headers: { "accept-language": "en" },
  answer: byHttpStatus({ code: "resultCode", message: "resultMessage" }),
  read: (iccid) => ({ method: "GET", path: `${BASE}/subscriptions/${encodeURIComponent(iccid)}` }),
  facts: (s) => ({
    iccid: s.iccid,
    imsi: s.imsi,
    msisdn: s.msisdn,
    nativeStatus: s.status,
    offering: s.ratePlan,
    accountId: s.customerAccount,
    dateActivated: s.activationDate ? utc(s.activationDate) : undefined,
    dateUpdated: utc(s.lastUpdated),
    connectivity: { networkProvider: "stc", ratePlan: s.ratePlan },
  }),
  list: {
    style: "offset",
    maxLimit: 200,
    request: (offset, limit) => ({ method: "GET", path: `${BASE}/subscriptions`, query: { offset, limit } }),
    items: (page) => page.subscriptions,
    total: (page) => page.totalCount,
  },
  change: (device, status) => ({
    method: "PUT",
    path: `${BASE}/subscriptions/${encodeURIComponent(device.nativeId)}/status`,
    json: { status },
  }),
  ticket: (accepted) => accepted.transactionId,
  poll: (id) => ({ method: "GET", path: `${BASE}/transactions/${encodeURIComponent(id)}` }),
  progress: {
    status: (transaction) => transaction.status,
    done: "COMPLETED",
    failed: ["REJECTED"],
    error: (transaction) => ({ code: transaction.rejectionCode, message: transaction.rejectionReason }),
  },
});
