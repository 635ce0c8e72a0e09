import type { NativeExchange } from "../../src/transport/types.js";
import type { AdapterFailure, AdapterFailureKind } from "./adapter.js";
import { parseBody, retryAfterMs } from "./exchange.js";
import type { NativeErrorKind } from "./vocabulary.js";

/**
 * How one family's error answers read, as a table the adapter classifies with: where the code and
 * the wording sit in the body, which failure each code means, and the HTTP statuses that decide
 * when no code does. A family states this once; every call of its adapter uses it.
 */
export interface ErrorTable {
  /** The platform's name, for the wording of an error answer that brings none. */
  name: string;
  /** The code and wording of an error answer (`body` as parsed; undefined when unreadable). */
  read(body: unknown): { code?: unknown; message?: unknown };
  /** The failure a code stands for (the fake renders from the same table: `ErrorCodes`). */
  kindOf?(code: unknown): NativeErrorKind | undefined;
  /** Statuses that mean one failure on this platform whatever the body says (TMSP's 422). */
  statuses?: Readonly<Partial<Record<number, AdapterFailureKind>>>;
  /** How long a 429 asks to wait when Retry-After does not say (Aeris's minute window). */
  rateLimitWaitMs?(exchange: NativeExchange): number;
}

/** What an HTTP status means when neither the code nor the family's own statuses say more. */
const KIND_OF_STATUS: Readonly<Record<number, AdapterFailureKind>> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  415: "unsupported-media-type",
  429: "rate-limited",
  503: "unavailable",
  504: "gateway-timeout",
};

const kindOfStatus = (status: number): AdapterFailureKind =>
  KIND_OF_STATUS[status] ?? (status >= 500 ? "server-error" : "bad-request");

/** The adapter failure an error answer stands for: the code decides, the HTTP status only when the code does not. */
export function classify(table: ErrorTable, exchange: NativeExchange): AdapterFailure {
  const { code, message } = table.read(parseBody(exchange));
  const { status } = exchange;
  const kind = table.kindOf?.(code) ?? table.statuses?.[status] ?? kindOfStatus(status);
  return {
    kind,
    status,
    message: typeof message === "string" ? message : `${table.name} answered ${status}`,
    exchange,
    retryAfterMs:
      kind === "rate-limited" && table.rateLimitWaitMs
        ? table.rateLimitWaitMs(exchange)
        : retryAfterMs(exchange),
  };
}

/** `read` for an error body that keeps its code and its wording in two top-level fields. */
export const fields =
  (code: string | undefined, message: string) => (body: Record<string, unknown> | undefined) => ({
    code: code === undefined ? undefined : body?.[code],
    message: body?.[message],
  });

/** `kindOf` for a family whose codes the adapter names itself. */
export const codeKinds =
  (kinds: Readonly<Record<string, NativeErrorKind>>) =>
  (code: unknown): NativeErrorKind | undefined =>
    typeof code === "string" && Object.hasOwn(kinds, code) ? kinds[code] : undefined;
