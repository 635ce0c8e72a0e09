import type { CmoStatus, Operation } from "../../src/config/schema.js";
import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type CallSpec,
  type CmoAdapter,
  type DeviceView,
  failed,
  failureFromStatus,
  NativeClient,
  offsetWindow,
  ok,
  parseBody,
  viewDevice,
  viewDevices,
} from "../shared/adapter.js";
import { clientCredentialsFetcher } from "../shared/auth.js";
import { callForJson } from "../shared/json-call.js";
import { terminalCharacteristics } from "../shared/terminal-view.js";
import { kindOfCode } from "./errors.js";
import { actionFor, type IntelsatOrder, type IntelsatTerminal } from "./model.js";
import { BASE } from "./native.js";

const PAGE_MAX = 100;

function failure(exchange: NativeExchange) {
  const body = parseBody(exchange) as { code?: string; message?: string } | undefined;
  return failureFromStatus(
    exchange,
    body?.message ?? `INTELSAT answered ${exchange.status}`,
    kindOfCode(body?.code),
  );
}

/** INTELSAT → CMO: reads as they come, changes as orders whose id is the CMO's ticket. */
export function intelsatAdapter(context: AdapterContext): CmoAdapter {
  const client = new NativeClient(context, {
    kind: "bearer",
    fetchToken: clientCredentialsFetcher(`${BASE}/oauth/token`),
  });

  const toView = (t: IntelsatTerminal, status: CmoStatus): DeviceView => ({
    nativeId: t.terminalId,
    status,
    nativeStatus: t.status,
    offering: t.servicePlan,
    startDate: t.activatedAt ?? t.provisionedAt ?? undefined,
    characteristics: terminalCharacteristics(
      {
        serialNumber: t.terminalId,
        name: t.name,
        latitude: t.location.latitude,
        longitude: t.location.longitude,
        model: t.modemType,
        state: t.pendingOrderId ? "pending" : "synced",
        mobilityType: t.mobilityType,
        imoNumber: t.vessel?.imoNumber ?? "",
        mmsi: t.vessel?.mmsi ?? "",
        antennaCode: t.antennaCode,
        lastUpdated: t.updatedAt ?? "",
        lastSync: t.lastSeen ?? "",
      },
      { beamId: t.beamId ?? "", modemSerialNumber: t.serialNumber },
    ),
    usage: t.usage.periodStart
      ? { bytes: t.usage.dataBytes, since: t.usage.periodStart, until: t.usage.periodEnd ?? "" }
      : undefined,
  });

  const call = <T>(account: AdapterAccount, operation: Operation, spec: CallSpec, expected: number) =>
    callForJson<T>(client, account, operation, spec, [expected], failure);

  return {
    async get(account, nativeId) {
      const read = await call<IntelsatTerminal>(
        account,
        "read",
        { method: "GET", path: `${BASE}/terminals/${encodeURIComponent(nativeId)}` },
        200,
      );
      return read.ok ? viewDevice(context, read.exchange, read.value, (t) => t.status, toView) : read;
    },

    list: (account, offset, limit) =>
      offsetWindow(offset, limit, PAGE_MAX, async (position, size) => {
        const page = await call<{ terminals: IntelsatTerminal[]; total: number }>(
          account,
          "list",
          { method: "GET", path: `${BASE}/terminals`, query: { offset: position, limit: size } },
          200,
        );
        if (!page.ok) return page;
        const views = viewDevices(context, page.exchange, page.value.terminals, (t) => t.status, toView);
        return views.ok ? ok({ items: views.value, total: page.value.total }, page.exchange) : views;
      }),

    async changeStatus(account, device, target) {
      const to = context.vocabulary.target[target];
      const action = to === undefined ? undefined : actionFor(device.nativeStatus, to);
      if (!action) {
        return failed({
          kind: "invalid-transition",
          status: 0,
          message: `INTELSAT has no action that takes a terminal from ${device.nativeStatus} to ${target}`,
        });
      }
      const accepted = await call<{ orderId: string }>(
        account,
        "changeStatus",
        {
          method: "POST",
          path: `${BASE}/terminals/${encodeURIComponent(device.nativeId)}/actions/${action}`,
        },
        202,
      );
      return accepted.ok
        ? ok({ mode: "pending", ticket: accepted.value.orderId }, accepted.exchange)
        : accepted;
    },

    async poll(account, ticket) {
      const read = await call<IntelsatOrder>(
        account,
        "poll",
        { method: "GET", path: `${BASE}/orders/${encodeURIComponent(ticket)}` },
        200,
      );
      if (!read.ok) return read;
      const order = read.value;
      if (order.status === "COMPLETED") return ok({ state: "DONE" }, read.exchange);
      if (order.status !== "FAILED") return ok({ state: "IN_PROGRESS" }, read.exchange);
      return ok(
        {
          state: "FAILED",
          failure: {
            kind: "server-error",
            status: read.exchange.status,
            message: order.error?.message ?? `INTELSAT order ${order.orderId} failed`,
            exchange: read.exchange,
          },
        },
        read.exchange,
      );
    },

    async transfer() {
      return failed({
        kind: "invalid-transition",
        status: 0,
        message: "INTELSAT does not move terminals between accounts",
      });
    },
  };
}
