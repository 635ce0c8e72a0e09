import type { Device, NativeAccount } from "../../simulators/shared/runtime.js";
import type { ConfigInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { basic, QUIET, startServer } from "../helpers/server.js";

/**
 * One Control Center fake over real HTTP for the cisco-*.test.ts files: a quiet platform on a
 * virtual clock, its accounts, and calls as an account. Control Center's own formats are written
 * out here again, so the tests do not check the fake against itself.
 */

export const START = Date.UTC(2026, 5, 10, 12);

export async function controlCenterServer(
  code: "TMUS" | "JASPER",
  options: { seed?: number; clock?: VirtualClock } = {},
) {
  const clock = options.clock ?? new VirtualClock(START);
  const config: ConfigInput = {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    platforms: { [code]: { profile: QUIET } },
  };
  const server = await startServer(config, { clock });
  const runtime = server.sim.world.platform(code)!.runtime;
  const accountsOf = (tenant: string) =>
    server.sim.world.accountsOf(tenant, code).map((a) => runtime.accounts.get(a.id) as NativeAccount);
  const account = accountsOf("eos")[0]!;
  const base = `/platforms/${code.toLowerCase()}/rws/api/v1`;

  /** A call as `who`, or with `who` as the Authorization header itself; a string body goes as written. */
  async function cc(method: string, path: string, body?: unknown, who: NativeAccount | string = account) {
    const authorization = typeof who === "string" ? who : basic(who.username, who.secret);
    const res = await server.request(`${base}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const devices = () => runtime.listDevices(account.id, 0, 100);
  /** The ICCID of the account's `skip`-th device in `status`. */
  const inStatus = async (status: string, skip = 0) =>
    (await devices()).filter((d) => d.nativeStatus === status)[skip]!.record.iccid as string;

  return { clock, config, server, runtime, accountsOf, account, base, cc, devices, inStatus };
}

/** `2016-06-29 00:21:33.339+0000`, as device and SMS bodies write dates. */
export const ccDate = (ms: number) => `${new Date(ms).toISOString().replace("T", " ").slice(0, 23)}+0000`;
/** `2016-06-29T00:21:33.339+0000`, as audit trails and zone usage write their stamps. */
export const ccStamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}+0000`;
export const fromCcDate = (text: string) => Date.parse(text.replace(" ", "T").replace("+0000", "Z"));
/** A request date-time, `+00:00` offset and all, encoded for a query string. */
export const queryDate = (ms: number) =>
  encodeURIComponent(new Date(ms).toISOString().replace("Z", "+00:00"));

/** The first day of the billing cycle `back` months before the one holding `ms` (negative: after). */
export function cycleOf(ms: number, back = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1);
}

/** ICCIDs in Search Devices' order: last modification, then ICCID. */
export const byModification = (devices: Device[]) =>
  [...devices]
    .sort((a, b) => a.updatedAt - b.updatedAt || a.record.nativeId.localeCompare(b.record.nativeId))
    .map((d) => d.record.iccid as string);
