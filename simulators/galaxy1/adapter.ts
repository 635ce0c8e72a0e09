import type { CmoStatus } from "../../src/config/schema.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type CmoAdapter,
  type DeviceView,
  ok,
  unsent,
} from "../shared/adapter.js";
import { CursorIndex, cursorWindow } from "../shared/cursor-window.js";
import { clientCredentials } from "../shared/native-dialect.js";
import { type ErrorTable, fields } from "../shared/native-errors.js";
import { nativeKit, pending, settled } from "../shared/native-kit.js";
import { terminalView } from "../shared/terminal-view.js";
import { type Galaxy1Terminal, MOBILITY_OF_SERVICE } from "./model.js";
import { BASE, TOKEN_PATH } from "./native.js";
import { kindOfProblem } from "./problems.js";

const PAGE_MAX = 100;

/** GALAXY1's problems name their kind in `type`, from the table the fake renders them with. */
const ERRORS: ErrorTable = {
  name: "GALAXY1",
  read: fields("type", "detail"),
  kindOf: (type) => (typeof type === "string" ? kindOfProblem(type) : undefined),
};

interface Page {
  terminals: Galaxy1Terminal[];
  next: string | null;
  totalCount: number;
}

/**
 * GALAXY1 → CMO. A change's ticket names the terminal and its target; polling reads the terminal
 * until it leaves its transitional status. Lists walk cursors, remembering where each one starts
 * (the shared cursor window) so a later window need not walk from the beginning again.
 */
export function galaxy1Adapter(context: AdapterContext): CmoAdapter {
  const transitional = new Set(Object.values(context.vocabulary.transitional ?? {}));
  const cursors = new CursorIndex();

  const toView = (t: Galaxy1Terminal, status: CmoStatus): DeviceView =>
    terminalView(t, status, {
      offering: t.plan,
      startDate: t.activatedAt ?? t.createdAt ?? undefined,
      usage: t.usage.from
        ? { bytes: Math.round(t.usage.kilobytes * 1024), since: t.usage.from, until: t.usage.to ?? "" }
        : undefined,
      name: t.label,
      latitude: t.position.lat,
      longitude: t.position.lon,
      model: t.model,
      state: transitional.has(t.status) ? "pending" : "synced",
      mobilityType: MOBILITY_OF_SERVICE[t.serviceType] ?? t.serviceType,
      imoNumber: t.vessel?.imo ?? "",
      mmsi: t.vessel?.mmsi ?? "",
      lastSync: t.lastRegistration ?? "",
      extra: { imei: t.imei, serviceType: t.serviceType },
    });

  const kit = nativeKit(
    context,
    { auth: clientCredentials(TOKEN_PATH), errors: ERRORS },
    { status: (t: Galaxy1Terminal) => t.status, view: toView },
  );
  const terminalPath = (nativeId: string) => `${BASE}/terminals/${encodeURIComponent(nativeId)}`;
  const read = (account: AdapterAccount, nativeId: string) =>
    kit.get<Galaxy1Terminal>(account, "read", terminalPath(nativeId));

  const listPage = async (account: AdapterAccount, cursor: string | undefined, size: number) => {
    const page = await kit.get<Page>(account, "list", `${BASE}/terminals`, { limit: size, cursor });
    if (!page.ok) return page;
    const { terminals, next, totalCount } = page.value;
    return ok({ items: terminals, next: next ?? undefined, total: totalCount }, page.exchange);
  };

  return {
    async get(account, nativeId) {
      const terminal = await read(account, nativeId);
      return terminal.ok ? kit.view(terminal.exchange, terminal.value) : terminal;
    },

    async list(account, offset, limit) {
      const window = await cursorWindow(cursors, account.id, offset, limit, PAGE_MAX, (cursor, size) =>
        listPage(account, cursor, size),
      );
      if (!window.ok) return window;
      const views = kit.views(window.exchange, window.value.items);
      return views.ok ? ok({ items: views.value, total: window.value.total }, window.exchange) : views;
    },

    async changeStatus(account, device, target) {
      const status = context.vocabulary.target[target];
      if (status === undefined) return unsent("invalid-transition", `GALAXY1 has no status for ${target}`);
      const answer = await kit.call<Galaxy1Terminal>(account, {
        operation: "changeStatus",
        method: "PATCH",
        path: terminalPath(device.nativeId),
        json: { status },
        headers: { "content-type": "application/merge-patch+json" },
        expect: [200, 202],
      });
      if (!answer.ok) return answer;
      if (answer.exchange.status === 202) return pending(`${device.nativeId}@${status}`, answer.exchange);
      const changed = kit.view(answer.exchange, answer.value);
      return changed.ok ? ok({ mode: "done", device: changed.value }, answer.exchange) : changed;
    },

    async poll(account, ticket) {
      const at = ticket.lastIndexOf("@");
      if (at < 1) return unsent("protocol", `Not a GALAXY1 ticket: ${ticket}`);
      const nativeId = ticket.slice(0, at);
      const target = ticket.slice(at + 1);
      const terminal = await read(account, nativeId);
      if (!terminal.ok) return terminal;
      const { status } = terminal.value;
      const state = transitional.has(status) ? "IN_PROGRESS" : status === target ? "DONE" : "FAILED";
      return settled(terminal.exchange, state, () => ({
        kind: "server-error",
        message: `Terminal ${nativeId} fell back to ${status} instead of reaching ${target}`,
      }));
    },

    transfer: async () => unsent("invalid-transition", "GALAXY1 does not move terminals between accounts"),
  };
}
