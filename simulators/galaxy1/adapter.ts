import type { CmoStatus } from "../../src/config/schema.js";
import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type CmoAdapter,
  type DeviceView,
  failed,
  failureFromStatus,
  NativeClient,
  type Outcome,
  ok,
  parseBody,
  viewDevice,
  viewDevices,
} from "../shared/adapter.js";
import { clientCredentialsFetcher } from "../shared/auth.js";
import { CursorIndex, type CursorPage, cursorWindow } from "../shared/cursor-window.js";
import { callForJson } from "../shared/json-call.js";
import { terminalCharacteristics } from "../shared/terminal-view.js";
import { type Galaxy1Terminal, MOBILITY_OF_SERVICE } from "./model.js";
import { BASE, TOKEN_PATH } from "./native.js";
import { kindOfProblem } from "./problems.js";

const PAGE_MAX = 100;

function failure(exchange: NativeExchange) {
  const problem = parseBody(exchange) as { type?: string; detail?: string } | undefined;
  return failureFromStatus(
    exchange,
    problem?.detail ?? `GALAXY1 answered ${exchange.status}`,
    kindOfProblem(problem?.type),
  );
}

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
  const client = new NativeClient(context, {
    kind: "bearer",
    fetchToken: clientCredentialsFetcher(TOKEN_PATH),
  });
  const transitional = new Set(Object.values(context.vocabulary.transitional ?? {}));
  const cursors = new CursorIndex();

  const toView = (t: Galaxy1Terminal, status: CmoStatus): DeviceView => ({
    nativeId: t.terminalId,
    status,
    nativeStatus: t.status,
    offering: t.plan,
    startDate: t.activatedAt ?? t.createdAt ?? undefined,
    characteristics: terminalCharacteristics(
      {
        serialNumber: t.terminalId,
        name: t.label,
        latitude: t.position.lat,
        longitude: t.position.lon,
        model: t.model,
        state: transitional.has(t.status) ? "pending" : "synced",
        mobilityType: MOBILITY_OF_SERVICE[t.serviceType] ?? t.serviceType,
        imoNumber: t.vessel?.imo ?? "",
        mmsi: t.vessel?.mmsi ?? "",
        antennaCode: t.antennaCode,
        lastUpdated: t.updatedAt ?? "",
        lastSync: t.lastRegistration ?? "",
      },
      { imei: t.imei, serviceType: t.serviceType },
    ),
    usage: t.usage.from
      ? { bytes: Math.round(t.usage.kilobytes * 1024), since: t.usage.from, until: t.usage.to ?? "" }
      : undefined,
  });

  const read = (account: AdapterAccount, nativeId: string) =>
    callForJson<Galaxy1Terminal>(
      client,
      account,
      "read",
      { method: "GET", path: `${BASE}/terminals/${encodeURIComponent(nativeId)}` },
      [200],
      failure,
    );

  const listPage = async (
    account: AdapterAccount,
    cursor: string | undefined,
    size: number,
  ): Promise<Outcome<CursorPage<Galaxy1Terminal>>> => {
    const page = await callForJson<Page>(
      client,
      account,
      "list",
      { method: "GET", path: `${BASE}/terminals`, query: { limit: size, cursor } },
      [200],
      failure,
    );
    if (!page.ok) return page;
    const { terminals, next, totalCount } = page.value;
    return ok({ items: terminals, next: next ?? undefined, total: totalCount }, page.exchange);
  };

  return {
    async get(account, nativeId) {
      const terminal = await read(account, nativeId);
      return terminal.ok
        ? viewDevice(context, terminal.exchange, terminal.value, (t) => t.status, toView)
        : terminal;
    },

    async list(account, offset, limit) {
      const window = await cursorWindow(cursors, account.id, offset, limit, PAGE_MAX, (cursor, size) =>
        listPage(account, cursor, size),
      );
      if (!window.ok) return window;
      const views = viewDevices(context, window.exchange, window.value.items, (t) => t.status, toView);
      return views.ok ? ok({ items: views.value, total: window.value.total }, window.exchange) : views;
    },

    async changeStatus(account, device, target) {
      const status = context.vocabulary.target[target];
      if (status === undefined) {
        return failed({
          kind: "invalid-transition",
          status: 0,
          message: `GALAXY1 has no status for ${target}`,
        });
      }
      const answer = await callForJson<Galaxy1Terminal>(
        client,
        account,
        "changeStatus",
        {
          method: "PATCH",
          path: `${BASE}/terminals/${encodeURIComponent(device.nativeId)}`,
          json: { status },
          headers: { "content-type": "application/merge-patch+json" },
        },
        [200, 202],
        failure,
      );
      if (!answer.ok) return answer;
      if (answer.exchange.status === 202)
        return ok({ mode: "pending", ticket: `${device.nativeId}@${status}` }, answer.exchange);
      const changed = viewDevice(context, answer.exchange, answer.value, (t) => t.status, toView);
      return changed.ok ? ok({ mode: "done", device: changed.value }, answer.exchange) : changed;
    },

    async poll(account, ticket) {
      const at = ticket.lastIndexOf("@");
      if (at < 1) return failed({ kind: "protocol", status: 0, message: `Not a GALAXY1 ticket: ${ticket}` });
      const nativeId = ticket.slice(0, at);
      const target = ticket.slice(at + 1);
      const terminal = await read(account, nativeId);
      if (!terminal.ok) return terminal;
      const { status } = terminal.value;
      if (transitional.has(status)) return ok({ state: "IN_PROGRESS" }, terminal.exchange);
      if (status === target) return ok({ state: "DONE" }, terminal.exchange);
      return ok(
        {
          state: "FAILED",
          failure: {
            kind: "server-error",
            status: terminal.exchange.status,
            message: `Terminal ${nativeId} fell back to ${status} instead of reaching ${target}`,
            exchange: terminal.exchange,
          },
        },
        terminal.exchange,
      );
    },

    async transfer() {
      return failed({
        kind: "invalid-transition",
        status: 0,
        message: "GALAXY1 does not move terminals between accounts",
      });
    },
  };
}
