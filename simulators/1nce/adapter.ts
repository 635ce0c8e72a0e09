import type { CmoStatus } from "../../src/config/schema.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type CmoAdapter,
  type DeviceView,
  unsent,
} from "../shared/adapter.js";
import { header } from "../shared/exchange.js";
import { pagedWindow } from "../shared/list-window.js";
import { basicAuthorization, tokenEndpoint } from "../shared/native-dialect.js";
import { type ErrorTable, fields } from "../shared/native-errors.js";
import { done, nativeKit } from "../shared/native-kit.js";
import type { OnceSim } from "./model.js";
import { QUOTA_MB } from "./quota.js";

const BASE = "/management-api";

const isoFromOnce = (date: string) => new Date(date.replace("+0000", "Z")).toISOString();

/** 1NCE's codes cannot tell a refused transition from a bad request; its HTTP statuses decide. */
const ERRORS: ErrorTable = { name: "1NCE", read: fields(undefined, "message") };

/** 1NCE → CMO: synchronous PUT, then a read for the updated SIM, as a careful 1NCE client does. */
export function onceAdapter(context: AdapterContext): CmoAdapter {
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

  const kit = nativeKit(
    context,
    {
      auth: tokenEndpoint(`${BASE}/oauth/token`, (account) => ({
        json: { grant_type: "client_credentials" },
        headers: { authorization: basicAuthorization(account) },
      })),
      errors: ERRORS,
    },
    { status: (sim: OnceSim) => sim.status, view: toView },
  );

  const simPath = (iccid: string) => `${BASE}/v1/sims/${encodeURIComponent(iccid)}`;
  const get = (account: AdapterAccount, nativeId: string) => kit.device(account, simPath(nativeId));

  return {
    get,

    list: (account, offset, limit) =>
      pagedWindow(offset, limit, 100, 1, (page, pageSize) =>
        kit.page<OnceSim[]>(
          account,
          `${BASE}/v1/sims`,
          { page, pageSize },
          (sims) => sims,
          (sims, exchange) => Number(header(exchange, "X-Total-Count") ?? sims.length),
        ),
      ),

    async changeStatus(account, device, target) {
      const status = context.vocabulary.target[target];
      const changed = await kit.call<undefined>(account, {
        operation: "changeStatus",
        method: "PUT",
        path: simPath(device.nativeId),
        json: { iccid: device.nativeId.slice(0, -1), status },
        expect: [200],
        bodiless: true,
      });
      return changed.ok ? done(changed.exchange, await get(account, device.nativeId)) : changed;
    },

    poll: async () => unsent("protocol", "1NCE status changes complete at once; there is nothing to poll"),

    transfer: async () => unsent("invalid-transition", "1NCE does not support moving SIMs between accounts"),
  };
}
