import type { CmoStatus, Operation } from "../../src/config/schema.js";
import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type AdapterFactory,
  type AdapterFailure,
  type CallSpec,
  type Characteristic,
  type DeviceView,
  failed,
  isFailure,
  NativeClient,
  type Outcome,
  offsetWindow,
  ok,
  pagedWindow,
  parseBody,
  viewDevice,
  viewDevices,
} from "./adapter.js";
import { clientCredentialsFetcher } from "./auth.js";
import type { ErrorCodes } from "./error-codes.js";

/**
 * The CMO adapter of a cellular platform that takes client-credential tokens and answers a status
 * change with the id of an operation to poll (AIRLINQ's request, STC's transaction, TURKCELL's
 * order). Each platform states only its dialect: paths, field names, what an error looks like.
 */

/** A native SIM in the CMO's terms: each platform says where it keeps each value. */
export interface SimFacts {
  iccid: string;
  imsi: string;
  /** E.164 digits, whatever form the platform writes it in. */
  msisdn: string;
  nativeStatus: string;
  offering: string;
  accountId?: string | undefined;
  imei?: string | undefined;
  /** ISO 8601 instants. */
  dateActivated?: string | undefined;
  dateUpdated?: string | undefined;
  /** dataConnectivity characteristics. */
  connectivity: Record<string, string>;
}

/** The payload types of one platform's answers. */
export interface Payloads {
  sim: unknown;
  page: unknown;
  accepted: unknown;
  operation: unknown;
}

export interface TicketDialect<P extends Payloads> {
  /** Platform name, for messages. */
  name: string;
  tokenPath: string;
  /** Headers on every call (STC's Accept-Language). */
  headers?: Record<string, string>;
  codes: ErrorCodes;
  /** The payload of an answer the platform meant as a success, or the failure it reports. */
  answer(
    exchange: NativeExchange,
    platform: { name: string; codes: ErrorCodes },
  ): { payload: unknown } | AdapterFailure;
  read(nativeId: string): CallSpec;
  facts(sim: P["sim"]): SimFacts;
  list: (
    | { style: "page"; firstPage: 0 | 1; pageSize: number; request(page: number, size: number): CallSpec }
    | { style: "offset"; maxLimit: number; request(offset: number, limit: number): CallSpec }
  ) & {
    items(page: P["page"]): Array<P["sim"]>;
    total(page: P["page"]): number;
  };
  change(device: DeviceView, nativeStatus: string): CallSpec;
  ticket(accepted: P["accepted"]): string;
  poll(ticket: string): CallSpec;
  /** How a polled operation tells where it stands; any status not named here is still in progress. */
  progress: {
    status(operation: P["operation"]): string;
    done: string;
    failed: readonly string[];
    /** The code and wording of a failed operation's error, when it gives them. */
    error(operation: P["operation"]): {
      code?: string | null | undefined;
      message?: string | null | undefined;
    };
  };
}

/** `answer` for platforms whose HTTP status tells success from failure and whose error body names a code. */
export function byHttpStatus(fields: { code: string; message: string }): TicketDialect<Payloads>["answer"] {
  return (exchange, { name, codes }) => {
    const body = parseBody(exchange) as Record<string, unknown> | undefined;
    if (exchange.status >= 200 && exchange.status < 300) return { payload: body };
    const message = body?.[fields.message];
    return codes.failure(
      exchange,
      body?.[fields.code],
      typeof message === "string" ? message : `${name} answered ${exchange.status}`,
    );
  };
}

const named = (values: Record<string, string | undefined>): Characteristic[] =>
  Object.entries(values).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }]));

export function ticketAdapter<P extends Payloads>(dialect: TicketDialect<P>): AdapterFactory {
  return (context: AdapterContext) => {
    const client = new NativeClient(context, {
      kind: "bearer",
      fetchToken: clientCredentialsFetcher(dialect.tokenPath),
    });

    async function call<T>(
      account: AdapterAccount,
      operation: Operation,
      spec: CallSpec,
    ): Promise<Outcome<T>> {
      const result = await client.call(account, operation, {
        ...spec,
        headers: { ...dialect.headers, ...spec.headers },
      });
      if (isFailure(result)) return failed(result);
      const answer = dialect.answer(result, dialect);
      if (isFailure(answer)) return failed(answer);
      return answer.payload === undefined || answer.payload === null
        ? failed({
            kind: "protocol",
            status: result.status,
            message: `${dialect.name} answered ${result.status} without a readable body`,
            exchange: result,
          })
        : ok(answer.payload as T, result);
    }

    /** The CMO's view of native SIMs, or a protocol failure for a status the vocabulary lacks. */
    const views = (sims: Array<P["sim"]>, exchange: NativeExchange): Outcome<DeviceView[]> =>
      viewDevices(
        context,
        exchange,
        sims.map((sim) => dialect.facts(sim)),
        (f) => f.nativeStatus,
        toView,
      );

    return {
      async get(account, nativeId) {
        const read = await call<P["sim"]>(account, "read", dialect.read(nativeId));
        if (!read.ok) return read;
        return viewDevice(context, read.exchange, dialect.facts(read.value), (f) => f.nativeStatus, toView);
      },

      list(account, offset, limit) {
        const { list } = dialect;
        const fetch = async (position: number, size: number) => {
          const page = await call<P["page"]>(account, "list", list.request(position, size));
          if (!page.ok) return page;
          const items = views(list.items(page.value), page.exchange);
          return items.ok ? ok({ items: items.value, total: list.total(page.value) }, page.exchange) : items;
        };
        return list.style === "page"
          ? pagedWindow(offset, limit, list.pageSize, list.firstPage, fetch)
          : offsetWindow(offset, limit, list.maxLimit, fetch);
      },

      async changeStatus(account, device, target) {
        const to = context.vocabulary.target[target];
        if (to === undefined) {
          const message = `${dialect.name} has no status a SIM could be set to for ${target}`;
          return failed({ kind: "invalid-transition", status: 0, message });
        }
        const accepted = await call<P["accepted"]>(account, "changeStatus", dialect.change(device, to));
        return accepted.ok
          ? ok({ mode: "pending", ticket: dialect.ticket(accepted.value) }, accepted.exchange)
          : accepted;
      },

      async poll(account, ticket) {
        const read = await call<P["operation"]>(account, "poll", dialect.poll(ticket));
        if (!read.ok) return read;
        const { progress } = dialect;
        const status = progress.status(read.value);
        if (status === progress.done) return ok({ state: "DONE" }, read.exchange);
        if (!progress.failed.includes(status)) return ok({ state: "IN_PROGRESS" }, read.exchange);
        const error = progress.error(read.value);
        const failure: AdapterFailure = {
          kind: dialect.codes.kindOf(error.code) ?? "server-error",
          status: read.exchange.status,
          message: error.message ?? `${dialect.name} operation ${ticket} ended ${status}`,
          exchange: read.exchange,
        };
        return ok({ state: "FAILED", failure }, read.exchange);
      },

      async transfer() {
        const message = `${dialect.name} does not move SIMs between accounts`;
        return failed({ kind: "invalid-transition", status: 0, message });
      },
    };
  };
}

function toView(f: SimFacts, status: CmoStatus): DeviceView {
  return {
    nativeId: f.iccid,
    status,
    nativeStatus: f.nativeStatus,
    accountId: f.accountId,
    offering: f.offering,
    startDate: f.dateActivated,
    iccid: f.iccid,
    imsi: f.imsi,
    msisdn: f.msisdn,
    characteristics: named({
      ICCID: f.iccid,
      IMSI: f.imsi,
      MSISDN: f.msisdn,
      imei: f.imei,
      dateActivated: f.dateActivated ?? "",
      dateUpdated: f.dateUpdated,
    }),
    connectivity: named(f.connectivity),
  };
}
