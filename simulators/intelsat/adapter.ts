import type { CmoStatus } from "../../src/config/schema.js";
import { type AdapterContext, type CmoAdapter, type DeviceView, unsent } from "../shared/adapter.js";
import { offsetWindow } from "../shared/list-window.js";
import { clientCredentials } from "../shared/native-dialect.js";
import { type ErrorTable, fields } from "../shared/native-errors.js";
import { nativeKit, pending } from "../shared/native-kit.js";
import { terminalView } from "../shared/terminal-view.js";
import { kindOfCode } from "./errors.js";
import { actionFor, type IntelsatOrder, type IntelsatTerminal } from "./model.js";
import { BASE } from "./native.js";

const PAGE_MAX = 100;

/** INTELSAT's codes, read with the table the fake answers from. */
const ERRORS: ErrorTable = {
  name: "INTELSAT",
  read: fields("code", "message"),
  kindOf: (code) => (typeof code === "string" ? kindOfCode(code) : undefined),
};

const toView = (t: IntelsatTerminal, status: CmoStatus): DeviceView =>
  terminalView(t, status, {
    offering: t.servicePlan,
    startDate: t.activatedAt ?? t.provisionedAt ?? undefined,
    usage: t.usage.periodStart
      ? { bytes: t.usage.dataBytes, since: t.usage.periodStart, until: t.usage.periodEnd ?? "" }
      : undefined,
    name: t.name,
    latitude: t.location.latitude,
    longitude: t.location.longitude,
    model: t.modemType,
    state: t.pendingOrderId ? "pending" : "synced",
    mobilityType: t.mobilityType,
    imoNumber: t.vessel?.imoNumber ?? "",
    mmsi: t.vessel?.mmsi ?? "",
    lastSync: t.lastSeen ?? "",
    extra: { beamId: t.beamId ?? "", modemSerialNumber: t.serialNumber },
  });

/** INTELSAT → CMO: reads as they come, changes as orders whose id is the CMO's ticket. */
export function intelsatAdapter(context: AdapterContext): CmoAdapter {
  const kit = nativeKit(
    context,
    { auth: clientCredentials(`${BASE}/oauth/token`), errors: ERRORS },
    { status: (t: IntelsatTerminal) => t.status, view: toView },
  );
  const terminalPath = (nativeId: string) => `${BASE}/terminals/${encodeURIComponent(nativeId)}`;

  return {
    get: (account, nativeId) => kit.device(account, terminalPath(nativeId)),

    list: (account, offset, limit) =>
      offsetWindow(offset, limit, PAGE_MAX, (position, size) =>
        kit.page<{ terminals: IntelsatTerminal[]; total: number }>(
          account,
          `${BASE}/terminals`,
          { offset: position, limit: size },
          (page) => page.terminals,
          (page) => page.total,
        ),
      ),

    async changeStatus(account, device, target) {
      const to = context.vocabulary.target[target];
      const action = to === undefined ? undefined : actionFor(device.nativeStatus, to);
      if (!action)
        return unsent(
          "invalid-transition",
          `INTELSAT has no action that takes a terminal from ${device.nativeStatus} to ${target}`,
        );
      const path = `${terminalPath(device.nativeId)}/actions/${action}`;
      const accepted = await kit.call<{ orderId: string }>(account, {
        operation: "changeStatus",
        method: "POST",
        path,
        expect: [202],
      });
      return accepted.ok ? pending(accepted.value.orderId, accepted.exchange) : accepted;
    },

    poll: (account, ticket) =>
      kit.operation<IntelsatOrder>(
        account,
        `${BASE}/orders/${encodeURIComponent(ticket)}`,
        { status: (order) => order.status, done: "COMPLETED", failed: ["FAILED"] },
        (order) => ({
          kind: "server-error",
          message: order.error?.message ?? `INTELSAT order ${order.orderId} failed`,
        }),
      ),

    transfer: async () => unsent("invalid-transition", "INTELSAT does not move terminals between accounts"),
  };
}
