import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type CmoAdapter,
  type Outcome,
  ok,
  unsent,
} from "../shared/adapter.js";
import { viewDevices } from "../shared/device-view.js";
import { pagedWindow } from "../shared/list-window.js";
import { codeKinds, type ErrorTable, fields } from "../shared/native-errors.js";
import { done, nativeKit, unreadable } from "../shared/native-kit.js";
import { CODES } from "./errors.js";
import type { CtdUsage, DeviceDetails, SearchItem, SearchPage } from "./model.js";
import { detailsView, searchView } from "./views.js";

const BASE = "/rws/api/v1";
const PAGE_SIZE = 50;
/** Search Devices insists on `modifiedSince`; a date before any SIM existed lists them all. */
const EVERYTHING_SINCE = "2000-01-01T00:00:00Z";

/** The codes the adapter tells apart; any other is read by its HTTP status. */
const ERRORS: ErrorTable = {
  name: "Control Center",
  read: fields("errorCode", "errorMessage"),
  kindOf: codeKinds({
    [CODES.invalidCredentials]: "unauthorized",
    [CODES.missingParameter]: "bad-request",
    [CODES.invalidParameter]: "bad-request",
    [CODES.invalidStatusChange]: "invalid-transition",
    [CODES.invalidAccount]: "bad-request",
    [CODES.invalidIccid]: "not-found",
    [CODES.rateLimitExceeded]: "rate-limited",
  }),
};

const searchReader = { status: (item: SearchItem) => item.status, view: searchView };

/** Control Center → CMO: Basic auth, one call at a time per account, edits applied at once. */
export function controlCenterAdapter(context: AdapterContext): CmoAdapter {
  const kit = nativeKit(
    context,
    { auth: { kind: "basic" }, errors: ERRORS },
    { status: (d: DeviceDetails) => d.status, view: detailsView },
  );
  const { vocabulary } = context;

  const device = (iccid: string) => `${BASE}/devices/${encodeURIComponent(iccid)}`;

  const get = (account: AdapterAccount, nativeId: string) => kit.device(account, device(nativeId));

  const search = (account: AdapterAccount, pageNumber: number) =>
    kit.get<SearchPage>(account, "list", `${BASE}/devices`, {
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

  const edit = (
    account: AdapterAccount,
    operation: "changeStatus" | "transfer",
    nativeId: string,
    json: Record<string, string>,
  ) =>
    kit.call<undefined>(account, {
      operation,
      method: "PUT",
      path: device(nativeId),
      json,
      expect: [200],
      bodiless: true,
    });

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
        const views = viewDevices(context, page.exchange, devices, searchReader);
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
        return unsent("invalid-transition", `Control Center has no status for ${target}`);
      const edited = await edit(account, "changeStatus", view.nativeId, { status });
      return edited.ok ? done(edited.exchange, await get(account, view.nativeId)) : edited;
    },

    poll: async () => unsent("protocol", "Control Center edits complete at once; there is nothing to poll"),

    // A move between accounts of one customer is an edit of the device's accountId; afterwards only
    // the receiving account can read it.
    async transfer(account, view, target) {
      const edited = await edit(account, "transfer", view.nativeId, { accountId: target.id });
      return edited.ok ? done(edited.exchange, await get(target, view.nativeId)) : edited;
    },

    async getUsage(account, nativeId) {
      const usage = await kit.get<CtdUsage>(account, "read", `${device(nativeId)}/ctdUsages`);
      if (!usage.ok) return usage;
      if (typeof usage.value.ctdDataUsage !== "number")
        return unreadable("Control Center", usage.exchange, "usage");
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
