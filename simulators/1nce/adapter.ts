import type { CmoStatus } from "../../src/config/schema.js";
import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type CmoAdapter,
  type DeviceView,
  failed,
  failureFromStatus,
  header,
  isFailure,
  NativeClient,
  type Outcome,
  ok,
  pagedWindow,
  parseBody,
  viewDevice,
  viewDevices,
} from "../shared/adapter.js";
import type { OnceSim } from "./model.js";
import { QUOTA_MB } from "./quota.js";

const BASE = "/management-api";

const isoFromOnce = (date: string) => new Date(date.replace("+0000", "Z")).toISOString();

function failure(exchange: NativeExchange) {
  const body = parseBody(exchange) as { message?: string; error_token?: string } | undefined;
  return failureFromStatus(exchange, body?.message ?? `1NCE answered ${exchange.status}`);
}

/** 1NCE → CMO: synchronous PUT, then a read for the updated SIM, as a careful 1NCE client does. */
export function onceAdapter(context: AdapterContext): CmoAdapter {
  const client = new NativeClient(context, {
    kind: "bearer",
    async fetchToken(c, account) {
      const result = await c.send({
        method: "POST",
        path: `${BASE}/oauth/token`,
        json: { grant_type: "client_credentials" },
        headers: {
          authorization: `Basic ${Buffer.from(`${account.username}:${account.secret}`).toString("base64")}`,
        },
      });
      if (isFailure(result)) return result;
      const body = parseBody(result) as { access_token?: string; expires_in?: number } | undefined;
      if (result.status !== 200 || !body?.access_token) return { ...failure(result), kind: "unauthorized" };
      return { token: body.access_token, expiresIn: body.expires_in ?? 3600 };
    },
  });

  const toView = (sim: OnceSim, status: CmoStatus): DeviceView => {
    return {
      nativeId: sim.iccid_with_luhn,
      status,
      nativeStatus: sim.status,
      iccid: sim.iccid_with_luhn,
      imsi: sim.imsi ?? undefined,
      msisdn: sim.msisdn ?? undefined,
      startDate: sim.activation_date ? isoFromOnce(sim.activation_date) : undefined,
      // 1NCE sells one product: a lifetime flat with a fixed data quota, whose use is quota spent.
      offering: "1NCE IoT Lifetime Flat",
      usage: {
        bytes: Math.round((QUOTA_MB - sim.current_quota) * 1024 * 1024),
        since: sim.activation_date
          ? isoFromOnce(sim.activation_date)
          : new Date(context.clock.now()).toISOString(),
        until: new Date(context.clock.now()).toISOString(),
      },
      characteristics: [
        { name: "ICCID", value: sim.iccid_with_luhn },
        { name: "IMSI", value: sim.imsi ?? "" },
        { name: "MSISDN", value: sim.msisdn ?? "" },
        { name: "imei", value: sim.imei ?? "" },
        { name: "imeiLock", value: String(sim.imei_lock) },
        { name: "dateActivated", value: sim.activation_date ?? "" },
        { name: "label", value: sim.label ?? "" },
      ],
      connectivity: [
        { name: "ipAddress", value: sim.ip_address },
        { name: "currentQuotaMB", value: String(sim.current_quota) },
        { name: "quotaStatus", value: sim.quota_status.description },
      ],
    };
  };

  const get = async (account: AdapterAccount, nativeId: string): Promise<Outcome<DeviceView>> => {
    const result = await client.call(account, "read", {
      method: "GET",
      path: `${BASE}/v1/sims/${encodeURIComponent(nativeId)}`,
    });
    if (isFailure(result)) return failed(result);
    if (result.status !== 200) return failed(failure(result));
    const sim = parseBody(result) as OnceSim | undefined;
    return sim
      ? viewDevice(context, result, sim, (s) => s.status, toView)
      : failed({
          kind: "protocol",
          status: result.status,
          message: "1NCE sent an unreadable SIM",
          exchange: result,
        });
  };

  return {
    get,

    list: (account, offset, limit) =>
      pagedWindow(offset, limit, 100, 1, async (page, pageSize) => {
        const result = await client.call(account, "list", {
          method: "GET",
          path: `${BASE}/v1/sims`,
          query: { page, pageSize },
        });
        if (isFailure(result)) return failed(result);
        if (result.status !== 200) return failed(failure(result));
        const sims = (parseBody(result) as OnceSim[] | undefined) ?? [];
        const views = viewDevices(context, result, sims, (s) => s.status, toView);
        return views.ok
          ? ok({ items: views.value, total: Number(header(result, "X-Total-Count") ?? sims.length) }, result)
          : views;
      }),

    async changeStatus(account, device, target) {
      const status = context.vocabulary.target[target];
      const result = await client.call(account, "changeStatus", {
        method: "PUT",
        path: `${BASE}/v1/sims/${encodeURIComponent(device.nativeId)}`,
        json: { iccid: device.nativeId.slice(0, -1), status },
      });
      if (isFailure(result)) return failed(result);
      if (result.status !== 200) return failed(failure(result));
      const updated = await get(account, device.nativeId);
      return ok({ mode: "done", device: updated.ok ? updated.value : undefined }, result);
    },

    async poll() {
      return failed({
        kind: "protocol",
        status: 0,
        message: "1NCE status changes complete at once; there is nothing to poll",
      });
    },

    async transfer() {
      return failed({
        kind: "invalid-transition",
        status: 0,
        message: "1NCE does not support moving SIMs between accounts",
      });
    },
  };
}
