import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type AdapterFailure,
  type AdapterFailureKind,
  type CmoAdapter,
  type DeviceView,
  failed,
  failureFromStatus,
  isFailure,
  NativeClient,
  type Outcome,
  ok,
  pagedWindow,
  parseBody,
  viewDevice,
  viewDevices,
} from "../shared/adapter.js";
import { callForJson } from "../shared/json-call.js";
import { CODES } from "./errors.js";
import type { CtdUsage, DeviceDetails, SearchPage } from "./model.js";
import { detailsView, searchView } from "./views.js";

const BASE = "/rws/api/v1";
const PAGE_SIZE = 50;
/** Search Devices insists on `modifiedSince`; a date before any SIM existed lists them all. */
const EVERYTHING_SINCE = "2000-01-01T00:00:00Z";

const KIND_BY_CODE: Record<string, AdapterFailureKind> = {
  [CODES.invalidCredentials]: "unauthorized",
  [CODES.missingParameter]: "bad-request",
  [CODES.invalidParameter]: "bad-request",
  [CODES.invalidStatusChange]: "invalid-transition",
  [CODES.invalidAccount]: "bad-request",
  [CODES.invalidIccid]: "not-found",
  [CODES.rateLimitExceeded]: "rate-limited",
};

function failure(exchange: NativeExchange): AdapterFailure {
  const body = parseBody(exchange) as { errorMessage?: string; errorCode?: string } | undefined;
  return failureFromStatus(
    exchange,
    body?.errorMessage ?? `Control Center answered ${exchange.status}`,
    body?.errorCode === undefined ? undefined : KIND_BY_CODE[body.errorCode],
  );
}

const unreadable = (exchange: NativeExchange, what: string): AdapterFailure => ({
  kind: "protocol",
  status: exchange.status,
  message: `Control Center sent an unreadable ${what}`,
  exchange,
});

/** Control Center → CMO: Basic auth, one call at a time per account, edits applied at once. */
export function controlCenterAdapter(context: AdapterContext): CmoAdapter {
  const client = new NativeClient(context, { kind: "basic" });
  const { vocabulary } = context;

  const getJson = <T>(
    account: AdapterAccount,
    operation: "read" | "list",
    path: string,
    query?: Record<string, string | number>,
  ) =>
    callForJson<T>(
      client,
      account,
      operation,
      { method: "GET", path: `${BASE}${path}`, query },
      [200],
      failure,
    );

  const device = (iccid: string) => `/devices/${encodeURIComponent(iccid)}`;

  async function get(account: AdapterAccount, nativeId: string): Promise<Outcome<DeviceView>> {
    const found = await getJson<DeviceDetails>(account, "read", device(nativeId));
    if (!found.ok) return found;
    return viewDevice(context, found.exchange, found.value, (d) => d.status, detailsView);
  }

  const search = (account: AdapterAccount, pageNumber: number) =>
    getJson<SearchPage>(account, "list", "/devices", {
      modifiedSince: EVERYTHING_SINCE,
      pageSize: PAGE_SIZE,
      pageNumber,
    });

  /**
   * Search Devices tells only whether a page is the last, so the total is found by probing pages:
   * doubling past `full` (a full page, not the last) until past the end, then halving back.
   */
  async function countDevices(
    account: AdapterAccount,
    full: number,
    pastEnd?: number,
  ): Promise<Outcome<number>> {
    let lo = full;
    let hi = pastEnd;
    let last: NativeExchange = { status: 200, headers: [], body: "" };
    for (;;) {
      if (hi !== undefined && hi - lo <= 1) return ok(lo * PAGE_SIZE, last);
      const pageNumber = hi === undefined ? Math.max(1, lo * 2) : Math.floor((lo + hi) / 2);
      const page = await search(account, pageNumber);
      if (!page.ok) return page;
      last = page.exchange;
      const n = page.value.devices.length;
      if (n === 0) hi = pageNumber;
      else if (page.value.lastPage) return ok((pageNumber - 1) * PAGE_SIZE + n, last);
      else lo = pageNumber;
    }
  }

  async function edit(
    account: AdapterAccount,
    operation: "changeStatus" | "transfer",
    nativeId: string,
    json: Record<string, string>,
  ) {
    const result = await client.call(account, operation, {
      method: "PUT",
      path: `${BASE}${device(nativeId)}`,
      json,
    });
    if (isFailure(result)) return failed<NativeExchange>(result);
    return result.status === 200 ? ok(result, result) : failed<NativeExchange>(failure(result));
  }

  return {
    get,

    async list(account, offset, limit) {
      let full = 0;
      let pastEnd: number | undefined;
      let total: number | undefined;
      const window = await pagedWindow(offset, limit, PAGE_SIZE, 1, async (pageNumber) => {
        const page = await search(account, pageNumber);
        if (!page.ok) return page;
        const { devices, lastPage } = page.value;
        const views = viewDevices(context, page.exchange, devices, (d) => d.status, searchView);
        if (!views.ok) return views;
        const items = views.value;
        if (devices.length === 0) pastEnd = pageNumber;
        else if (lastPage) total = (pageNumber - 1) * PAGE_SIZE + devices.length;
        else full = pageNumber;
        return ok({ items, total: total ?? Number.MAX_SAFE_INTEGER }, page.exchange);
      });
      if (!window.ok) return window;
      const counted =
        total === undefined ? await countDevices(account, full, pastEnd) : ok(total, window.exchange);
      return counted.ok ? ok({ items: window.value.items, total: counted.value }, window.exchange) : counted;
    },

    async changeStatus(account, view, target) {
      const status = vocabulary.target[target];
      if (status === undefined)
        return failed({
          kind: "invalid-transition",
          status: 0,
          message: `Control Center has no status for ${target}`,
        });
      const done = await edit(account, "changeStatus", view.nativeId, { status });
      if (!done.ok) return done;
      const updated = await get(account, view.nativeId);
      return ok({ mode: "done", device: updated.ok ? updated.value : undefined }, done.exchange);
    },

    async poll() {
      return failed({
        kind: "protocol",
        status: 0,
        message: "Control Center edits complete at once; there is nothing to poll",
      });
    },

    // A move between accounts of one customer is an edit of the device's accountId; afterwards only
    // the receiving account can read it.
    async transfer(account, view, target) {
      const done = await edit(account, "transfer", view.nativeId, { accountId: target.id });
      if (!done.ok) return done;
      const moved = await get(target, view.nativeId);
      return ok({ mode: "done", device: moved.ok ? moved.value : undefined }, done.exchange);
    },

    async getUsage(account, nativeId) {
      const usage = await getJson<CtdUsage>(account, "read", `${device(nativeId)}/ctdUsages`);
      if (!usage.ok) return usage;
      if (typeof usage.value.ctdDataUsage !== "number") return failed(unreadable(usage.exchange, "usage"));
      // Cycle to date: Control Center bills by calendar month unless the operator says otherwise.
      const now = new Date(context.clock.now());
      const since = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
      return ok(
        { bytes: usage.value.ctdDataUsage, since: new Date(since).toISOString(), until: now.toISOString() },
        usage.exchange,
      );
    },
  };
}
