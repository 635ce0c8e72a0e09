import type { Context, Hono } from "hono";
import { badRequest } from "../shared/http.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { connectivityOf } from "./connectivity.js";
import { connectivityInfoV1, statusV1, statusV2 } from "./connectivity-views.js";
import { isError } from "./errors.js";
import { type QuotaService, quotaOf, quotaV1, quotaV2 } from "./quota.js";
import { type ApiVersion, BASE, simRoute, singleQuery, VERSIONS } from "./request.js";
import { dailyUsage, readUsageWindow } from "./usage.js";

/** How each version renders the per-SIM reads both have; the models underneath are shared. */
interface ReadViews {
  status(runtime: PlatformRuntime, device: Device, account: NativeAccount): unknown;
  quota(runtime: PlatformRuntime, device: Device, service: QuotaService): unknown;
}

const VIEWS: Record<ApiVersion, ReadViews> = {
  v1: {
    status: (runtime, device, account) =>
      statusV1(connectivityOf(runtime, device), device, account, runtime.now()),
    quota: (_runtime, device, service) => quotaV1(quotaOf(device, service)),
  },
  v2: {
    status: (runtime, device, account) =>
      statusV2(connectivityOf(runtime, device), device, account, quotaOf(device, "data").left <= 0),
    quota: (runtime, device, service) => quotaV2(quotaOf(device, service), device, runtime.now()),
  },
};

/** A boolean query flag: `true` or `false`, nothing else. */
function readFlag(c: Context, name: string, fallback: boolean): boolean | NativeError {
  const raw = singleQuery(c, name);
  if (raw === undefined || isError(raw)) return raw ?? fallback;
  return raw === "true" ? true : raw === "false" ? false : badRequest(`${name} must be true or false`);
}

export function readRoutes(app: Hono<NativeEnv>, kit: NativeApiKit): void {
  const { runtime, guard } = kit;
  for (const version of VERSIONS) {
    const sim = `${BASE}/${version}/sims/:iccid`;
    const views = VIEWS[version];
    app.get(
      `${sim}/status`,
      guard("read"),
      simRoute(kit, (c, device) => c.json(views.status(runtime, device, c.get("account")))),
    );
    for (const service of ["data", "sms"] as const)
      app.get(
        `${sim}/quota/${service}`,
        guard("read"),
        simRoute(kit, (c, device) => c.json(views.quota(runtime, device, service))),
      );
  }

  // v1 only: v2 has neither the HLR lookup nor the usage report.
  app.get(
    `${BASE}/v1/sims/:iccid/connectivity_info`,
    guard("read"),
    simRoute(kit, (c, device) => {
      const subscriber = readFlag(c, "subscriber", true);
      if (isError(subscriber)) return subscriber;
      const ussd = readFlag(c, "ussd", false);
      if (isError(ussd)) return ussd;
      return c.json(connectivityInfoV1(connectivityOf(runtime, device), runtime.now(), { subscriber, ussd }));
    }),
  );
  app.get(
    `${BASE}/v1/sims/:iccid/usage`,
    guard("read"),
    simRoute(kit, async (c, device) => {
      const window = readUsageWindow(c, runtime.now());
      return isError(window) ? window : c.json(await dailyUsage(runtime, device, window));
    }),
  );
}
