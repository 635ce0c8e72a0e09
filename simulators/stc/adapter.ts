import { fields } from "../shared/native-errors.js";
import { ticketAdapter } from "../shared/ticket-adapter.js";
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
  platform: { name: "STC", tokenPath: TOKEN_PATH, codes: CODES },
  error: fields("resultCode", "resultMessage"),
  headers: { "accept-language": "en" },
  sims: `${BASE}/subscriptions`,
  facts: (s) => ({
    msisdn: s.msisdn,
    nativeStatus: s.status,
    offering: s.ratePlan,
    accountId: s.customerAccount,
    dateActivated: s.activationDate ? utc(s.activationDate) : undefined,
    dateUpdated: utc(s.lastUpdated),
    connectivity: { networkProvider: "stc", ratePlan: s.ratePlan },
  }),
  list: { style: "offset", maxLimit: 200, query: ["offset", "limit"] },
  listed: (page) => ({ sims: page.subscriptions, total: page.totalCount }),
  change: (device, status) => ({
    method: "PUT",
    path: `${BASE}/subscriptions/${encodeURIComponent(device.nativeId)}/status`,
    json: { status },
  }),
  accepted: { status: 202, ticket: (accepted) => accepted.transactionId },
  operations: `${BASE}/transactions`,
  progress: { status: (transaction) => transaction.status, done: "COMPLETED", failed: ["REJECTED"] },
  failure: (transaction) => ({ code: transaction.rejectionCode, message: transaction.rejectionReason }),
});
