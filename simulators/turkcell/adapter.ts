import { parseBody } from "../shared/adapter.js";
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
  name: "TURKCELL",
  tokenPath: TOKEN_PATH,
  codes: CODES,
  answer: (exchange, { codes }) => {
    const envelope = parseBody(exchange) as Partial<Envelope<unknown>> | undefined;
    const header = envelope?.header;
    if (exchange.status === 200 && header?.resultCode === "0") return { payload: envelope?.body };
    if (exchange.status === 200 && !header) {
      const message = "TURKCELL answered 200 without its envelope header";
      return { kind: "protocol", status: exchange.status, message, exchange };
    }
    return codes.failure(
      exchange,
      header?.resultCode,
      header?.resultDescription ?? `TURKCELL answered ${exchange.status}`,
    );
  },
  read: (iccid) => ({ method: "GET", path: `${BASE}/lines/${encodeURIComponent(iccid)}` }),
  facts: (line) => ({
    iccid: line.iccid,
    imsi: line.imsi,
    msisdn: COUNTRY_CODE + line.msisdn,
    nativeStatus: line.lineStatus,
    offering: line.tariff,
    dateActivated: line.activationDate ? utc(line.activationDate) : undefined,
    connectivity: { networkProvider: "Turkcell", tariff: line.tariff },
  }),
  list: {
    style: "page",
    firstPage: 0,
    pageSize: 100,
    request: (pageIndex, pageSize) => ({
      method: "GET",
      path: `${BASE}/lines`,
      query: { pageIndex, pageSize },
    }),
    items: (page) => page.lines,
    total: (page) => page.totalCount,
  },
  change: (device, targetStatus) => ({
    method: "POST",
    path: `${BASE}/lines/${encodeURIComponent(device.nativeId)}/status`,
    json: { targetStatus },
  }),
  ticket: (accepted) => accepted.orderId,
  poll: (id) => ({ method: "GET", path: `${BASE}/orders/${encodeURIComponent(id)}` }),
  progress: {
    status: (order) => order.orderStatus,
    done: "COMPLETED",
    failed: ["ERROR"],
    error: (order) => ({ code: order.errorCode, message: order.errorDescription }),
  },
});
