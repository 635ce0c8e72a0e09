import { expect } from "vitest";
import type { NativeAccount, PlatformRuntime } from "../../simulators/shared/runtime.js";
import type { TestServer } from "../helpers/server.js";

/** TMSP's API root, as its answers name paths; the simulator serves it under /platforms/tmsp. */
export const ROOT = "/iot/connectivity/management/v1";
const TOKEN = "/platforms/tmsp/auth/realms/default/protocol/openid-connect/token";

/** Asks `on`'s TMSP gateway for a token as `username`. */
export async function token(on: TestServer, username: string, secret: string): Promise<Response> {
  return on.request(TOKEN, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: username,
      client_secret: secret,
    }),
  });
}

/** Headers of a JSON call as `who` on `on`'s TMSP. */
export async function bearer(on: TestServer, who: NativeAccount): Promise<Record<string, string>> {
  const body = (await (await token(on, who.username, who.secret)).json()) as { access_token: string };
  return { authorization: `Bearer ${body.access_token}`, "content-type": "application/json" };
}

/** The first SIM of `of` in the native `status`. */
export const simIn = async (rt: PlatformRuntime, of: NativeAccount, status: string) =>
  (await rt.listDevices(of.id, 0, 100)).find((d) => d.nativeStatus === status)!;

/** Asks `on`'s TMSP for the activation of an INACTIVE SIM of its first account; expects the 202. */
export async function activateInactive(on: TestServer) {
  const rt = on.sim.world.platform("TMSP")!.runtime;
  const owner = [...rt.accounts.values()][0]!;
  const stock = await simIn(rt, owner, "INACTIVE");
  const headers = await bearer(on, owner);
  const res = await on.request(`/platforms/tmsp${ROOT}/partners/${owner.id}/sims/status-change`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      identifier: { type: "ICCID", value: stock.record.iccid },
      targetStatus: "ACTIVE",
    }),
  });
  expect(res.status).toBe(202);
  return { rt, owner, stock, headers, res };
}
