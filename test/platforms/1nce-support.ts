import { expect } from "vitest";
import type { ConfigInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { basic, QUIET, startServer } from "../helpers/server.js";

/**
 * One 1NCE fake over real HTTP for the Management API tests: a virtual clock, calls signed in as
 * one organisation (the given one, else the first of tenant eos), and answers read as JSON.
 */

export const API = "/platforms/1nce/management-api";

export async function onceServer(
  config: ConfigInput = { platforms: { "1NCE": { profile: QUIET } } },
  accountId?: string,
) {
  const clock = new VirtualClock(Date.UTC(2026, 1, 2, 9));
  const server = await startServer(config, { clock });
  const runtime = server.sim.world.platform("1NCE")!.runtime;
  const account =
    accountId === undefined
      ? [...runtime.accounts.values()].find((a) => a.tenant === "eos")!
      : runtime.accounts.get(accountId)!;

  let bearer = "";
  /** A token lasts an hour: tests that move the clock further sign in again. */
  const signIn = async (): Promise<void> => {
    const res = await server.request(`${API}/oauth/token`, {
      method: "POST",
      headers: { authorization: basic(account.username, account.secret), "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    bearer = `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
  };
  /** For a `beforeEach`: the simulator as generated, and a new token. */
  const fresh = async (): Promise<void> => {
    await server.sim.reset();
    await signIn();
  };
  /** The signed-in caller's header, for requests `call` does not make (one without a body type). */
  const auth = () => ({ authorization: bearer });
  const call = (method: string, path: string, body?: unknown): Promise<Response> =>
    server.request(`${API}${path}`, {
      method,
      headers: { ...auth(), "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  /** The answer's body, once its status is the one expected (the body tells why when not). */
  const json = async <T>(res: Response, status = 200): Promise<T> => {
    expect(res.status, `${res.url}: ${await res.clone().text()}`).toBe(status);
    return (await res.json()) as T;
  };

  return { server, clock, account, signIn, fresh, auth, call, json };
}
