import type { Operation } from "../../src/config/schema.js";
import type { NativeExchange } from "../../src/transport/types.js";
import type {
  AdapterAccount,
  AdapterContext,
  AdapterFailureKind,
  ChangeAccepted,
  DeviceView,
  Outcome,
  PollResult,
} from "./adapter.js";
import { failed, ok } from "./adapter.js";
import { type DeviceReader, viewDevice, viewDevices } from "./device-view.js";
import type { Window } from "./list-window.js";
import { type JsonCall, NativeClient } from "./native-client.js";
import type { CallSpec, NativeDialect } from "./native-dialect.js";

/**
 * What every adapter does with its platform: one JSON call, a device read, a page of devices, each
 * answer through the family's one reader. An adapter built on this states only its requests.
 */
export function nativeKit<R>(context: AdapterContext, dialect: NativeDialect, reader: DeviceReader<R>) {
  const client = new NativeClient(context, dialect);
  const call = <T>(account: AdapterAccount, spec: JsonCall) => client.json<T>(account, spec);
  /** A GET answered with 200, as every read, list and poll is. */
  const get = <T>(account: AdapterAccount, operation: Operation, path: string, query?: CallSpec["query"]) =>
    call<T>(account, { operation, method: "GET", path, query, expect: [200] });
  const view = (exchange: NativeExchange, record: R) => viewDevice(context, exchange, record, reader);

  return {
    call,
    get,
    view,
    views: (exchange: NativeExchange, records: readonly R[]) =>
      viewDevices(context, exchange, records, reader),

    /** Reads one device; `pick` finds its record in the answer. */
    async device<T = R>(
      account: AdapterAccount,
      path: string,
      query?: CallSpec["query"],
      pick: (answer: T) => R = (answer) => answer as unknown as R,
    ): Promise<Outcome<DeviceView>> {
      const answer = await get<T>(account, "read", path, query);
      return answer.ok ? view(answer.exchange, pick(answer.value)) : answer;
    },

    /** Reads a page of devices; `items` finds their records in it, `total` the list's size. */
    async page<P>(
      account: AdapterAccount,
      path: string,
      query: CallSpec["query"],
      items: (page: P) => readonly R[],
      total: (page: P, exchange: NativeExchange) => number,
    ): Promise<Window<DeviceView>> {
      const page = await get<P>(account, "list", path, query);
      if (!page.ok) return page;
      const views = viewDevices(context, page.exchange, items(page.value), reader);
      return views.ok
        ? ok({ items: views.value, total: total(page.value, page.exchange) }, page.exchange)
        : views;
    },

    /**
     * Polls a native operation whose `status` is `done`, one of `failed`, or anything else while in
     * progress; `why` words a failure.
     */
    async operation<O>(
      account: AdapterAccount,
      path: string,
      progress: { status(operation: O): string; done: string; failed: readonly string[] },
      why: (operation: O, status: string) => { kind: AdapterFailureKind; message: string },
    ): Promise<Outcome<PollResult>> {
      const read = await get<O>(account, "poll", path);
      if (!read.ok) return read;
      const status = progress.status(read.value);
      const state =
        status === progress.done ? "DONE" : progress.failed.includes(status) ? "FAILED" : "IN_PROGRESS";
      return settled(read.exchange, state, () => why(read.value, status));
    },
  };
}

/** A change the platform accepted and completes later; the CMO polls with `ticket`. */
export const pending = (ticket: string, exchange: NativeExchange): Outcome<ChangeAccepted> =>
  ok({ mode: "pending", ticket }, exchange);

/** A change applied at once, and the device as read afterwards (absent when that read failed). */
export const done = (exchange: NativeExchange, device: Outcome<DeviceView>): Outcome<ChangeAccepted> =>
  ok({ mode: "done", device: device.ok ? device.value : undefined }, exchange);

/** Where a polled native operation stands; `why` words a failure. */
export function settled(
  exchange: NativeExchange,
  state: PollResult["state"],
  why: () => { kind: AdapterFailureKind; message: string },
): Outcome<PollResult> {
  if (state !== "FAILED") return ok({ state }, exchange);
  const { kind, message } = why();
  return ok({ state, failure: { kind, status: exchange.status, message, exchange } }, exchange);
}

/** An answer the adapter cannot read, though its status said success. */
export const unreadable = <T>(name: string, exchange: NativeExchange, what: string): Outcome<T> =>
  failed({
    kind: "protocol",
    status: exchange.status,
    message: `${name} sent an unreadable ${what}`,
    exchange,
  });
