import { failed, ok } from "../shared/adapter.js";
import { ticketAdapter } from "../shared/ticket-adapter.js";
import { CODES } from "./errors.js";
import {
  BASE,
  COUNTRY_CODE,
  type Envelope,
  TOKEN_PATH,
  type TurkcellLine,
  type TurkcellOrder,
} from "./model.js";

/** Turkcell writes Istanbul time without a zone (UTC+3 all year); the CMO shows UTC. */
const utc = (istanbulTime: string) => new Date(`${istanbulTime.replace(" ", "T")}+03:00`).toISOString();

/**
 * TURKCELL → CMO: one order per change, its id the CMO's ticket. The header decides, not the HTTP
 * status: a 200 whose resultCode is not "0" is a failure, classified by that code.
 */
export const turkcellAdapter = ticketAdapter<{
  sim: TurkcellLine;
  page: { lines: TurkcellLine[]; totalCount: number };
  accepted: { orderId: string };
  operation: TurkcellOrder;
}>({
  platform: { name: "TURKCELL", tokenPath: TOKEN_PATH, codes: CODES },
  error: (envelope: Partial<Envelope<unknown>> | undefined) => ({
    code: envelope?.header?.resultCode,
    message: envelope?.header?.resultDescription,
  }),
  unwrap: (body, exchange, classified) => {
    const envelope = body as Partial<Envelope<unknown>> | undefined;
    const header = envelope?.header;
    if (header?.resultCode === "0") return ok(envelope?.body, exchange);
    if (header) return failed(classified());
    const message = "TURKCELL answered 200 without its envelope header";
    return failed({ kind: "protocol", status: exchange.status, message, exchange });
  },
  sims: `${BASE}/lines`,
  facts: (line) => ({
    msisdn: COUNTRY_CODE + line.msisdn,
    nativeStatus: line.lineStatus,
    offering: line.tariff,
    dateActivated: line.activationDate ? utc(line.activationDate) : undefined,
    connectivity: { networkProvider: "Turkcell", tariff: line.tariff },
  }),
  list: { style: "page", firstPage: 0, pageSize: 100, query: ["pageIndex", "pageSize"] },
  listed: (page) => ({ sims: page.lines, total: page.totalCount }),
  change: (device, targetStatus) => ({
    method: "POST",
    path: `${BASE}/lines/${encodeURIComponent(device.nativeId)}/status`,
    json: { targetStatus },
  }),
  accepted: { status: 200, ticket: (accepted) => accepted.orderId },
  operations: `${BASE}/orders`,
  progress: { status: (order) => order.orderStatus, done: "COMPLETED", failed: ["ERROR"] },
  failure: (order) => ({ code: order.errorCode, message: order.errorDescription }),
});
