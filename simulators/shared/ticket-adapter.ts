import type { CmoStatus } from "../../src/config/schema.js";
import { type AdapterFactory, type Characteristic, type DeviceView, unsent } from "./adapter.js";
import type { ErrorCodes } from "./error-codes.js";
import { offsetWindow, pagedWindow } from "./list-window.js";
import { type CallSpec, clientCredentials, type NativeDialect } from "./native-dialect.js";
import type { ErrorTable } from "./native-errors.js";
import { nativeKit, pending } from "./native-kit.js";

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
  /** Every one of these platforms names a SIM's ICCID and IMSI so. */
  sim: { iccid: string; imsi: string };
  page: unknown;
  accepted: unknown;
  operation: unknown;
}

export interface TicketDialect<P extends Payloads> {
  /** The platform's name, its token endpoint and the error codes it shares with its fake. */
  platform: { name: string; tokenPath: string; codes: ErrorCodes };
  /** Where an error answer keeps its code and wording. */
  error: ErrorTable["read"];
  /** Headers on every call (STC's Accept-Language). */
  headers?: Record<string, string>;
  unwrap?: NativeDialect["unwrap"];
  /** The SIM collection: `GET {sims}` lists it, `GET {sims}/{iccid}` reads one. */
  sims: string;
  /** The rest of a SIM's facts: each platform says where it keeps them. */
  facts(sim: P["sim"]): Omit<SimFacts, "iccid" | "imsi">;
  /** How the list pages, and the names of its two query parameters (page or offset, then size). */
  list: ({ style: "page"; firstPage: 0 | 1; pageSize: number } | { style: "offset"; maxLimit: number }) & {
    query: readonly [string, string];
  };
  /** The SIMs of a list answer, and the list's size. */
  listed(page: P["page"]): { sims: Array<P["sim"]>; total: number };
  change(device: DeviceView, nativeStatus: string): CallSpec;
  /** The status a change is accepted with, and the operation's id in that answer. */
  accepted: { status: number; ticket(accepted: P["accepted"]): string };
  /** The operation collection: `GET {operations}/{ticket}` polls one. */
  operations: string;
  /** How a polled operation tells where it stands; any status not named here is still in progress. */
  progress: { status(operation: P["operation"]): string; done: string; failed: readonly string[] };
  /** The code and wording of a failed operation's error, when it gives them. */
  failure(operation: P["operation"]): {
    code?: string | null | undefined;
    message?: string | null | undefined;
  };
}

const named = (values: Record<string, string | undefined>): Characteristic[] =>
  Object.entries(values).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }]));

const below = (collection: string, id: string) => `${collection}/${encodeURIComponent(id)}`;

export function ticketAdapter<P extends Payloads>(dialect: TicketDialect<P>): AdapterFactory {
  const { platform, list, progress } = dialect;
  const { name, codes } = platform;
  const errors: ErrorTable = { name, read: dialect.error, kindOf: (code) => codes.kindOf(code) };
  const [at, size] = list.query;
  return (context) => {
    const kit = nativeKit(
      context,
      {
        auth: clientCredentials(platform.tokenPath),
        errors,
        headers: dialect.headers,
        unwrap: dialect.unwrap,
      },
      { status: (facts: SimFacts) => facts.nativeStatus, view: toView },
    );

    const factsOf = (sim: P["sim"]): SimFacts => ({
      iccid: sim.iccid,
      imsi: sim.imsi,
      ...dialect.facts(sim),
    });

    return {
      get: (account, nativeId) =>
        kit.device<P["sim"]>(account, below(dialect.sims, nativeId), undefined, factsOf),

      list(account, offset, limit) {
        const fetch = (position: number, count: number) =>
          kit.page<P["page"]>(
            account,
            dialect.sims,
            { [at]: position, [size]: count },
            (page) => dialect.listed(page).sims.map(factsOf),
            (page) => dialect.listed(page).total,
          );
        return list.style === "page"
          ? pagedWindow(offset, limit, list.pageSize, list.firstPage, fetch)
          : offsetWindow(offset, limit, list.maxLimit, fetch);
      },

      async changeStatus(account, device, target) {
        const to = context.vocabulary.target[target];
        if (to === undefined)
          return unsent("invalid-transition", `${name} has no status a SIM could be set to for ${target}`);
        const { status, ticket } = dialect.accepted;
        const change = {
          ...dialect.change(device, to),
          operation: "changeStatus" as const,
          expect: [status],
        };
        const accepted = await kit.call<P["accepted"]>(account, change);
        return accepted.ok ? pending(ticket(accepted.value), accepted.exchange) : accepted;
      },

      poll: (account, ticket) =>
        kit.operation<P["operation"]>(
          account,
          below(dialect.operations, ticket),
          progress,
          (operation, status) => {
            const error = dialect.failure(operation);
            return {
              kind: codes.kindOf(error.code) ?? "server-error",
              message: error.message ?? `${name} operation ${ticket} ended ${status}`,
            };
          },
        ),

      transfer: async () => unsent("invalid-transition", `${name} does not move SIMs between accounts`),
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
