import { expect } from "vitest";
import type { ConfigInput, PlatformProfileInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { QUIET, startServer } from "../helpers/server.js";

/**
 * One IOTA fake over real HTTP for the Aeris tests: three organisations (two of one customer, one
 * of another), requests that settle 4 s after they are made, and calls as a given organisation.
 */

export const START = Date.UTC(2026, 5, 1, 12);
export const TENANTS: ConfigInput["tenants"] = [
  {
    id: "eos",
    accounts: [
      { platform: "IOTA", id: "100130101", name: "IOTA_EOS_1", size: 100 },
      { platform: "IOTA", id: "100130102", name: "IOTA_EOS_2", size: 20 },
    ],
  },
  { id: "acme", accounts: [{ platform: "IOTA", id: "100130201", name: "IOTA_ACME_1", size: 10 }] },
];
/** PENDING for 1 s, then IN_PROGRESS for 3 s. */
export const TIMELINE = [
  { state: "PENDING", duration: 1000 },
  { state: "IN_PROGRESS", duration: 3000 },
];
export const PROFILE: PlatformProfileInput = { ...QUIET, asyncTimeline: TIMELINE };
export const API = "/platforms/iota/iot/api";
export const SICA = `${API}/sica/subscriptions`;
export const REQUESTS = `${SICA}/requests`;
export const PROBLEM = "https://www.iana.org/assignments/http-status-codes/";

export async function aerisServer() {
  const clock = new VirtualClock(START);
  const server = await startServer(
    { tenants: TENANTS, platforms: { IOTA: { profile: PROFILE } } },
    { clock },
  );
  const runtime = server.sim.world.platform("IOTA")!.runtime;
  const account = runtime.accounts.get("100130101")!;
  const sibling = runtime.accounts.get("100130102")!;
  const stranger = runtime.accounts.get("100130201")!;

  const token = (fields: Record<string, string>) =>
    server.request(`${API}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  const grant = (who: typeof account = account) => ({
    grant_type: "password",
    client_id: "cm-public-api-client",
    username: who.username,
    password: who.secret,
  });
  const bearer = async (who: typeof account = account): Promise<Record<string, string>> => {
    const body = (await (await token(grant(who))).json()) as { access_token: string };
    return { authorization: `Bearer ${body.access_token}`, "content-type": "application/json" };
  };
  const get = async (path: string, who: typeof account = account) =>
    server.request(path, { headers: await bearer(who) });
  const post = async (path: string, body: unknown, who: typeof account = account) =>
    server.request(path, { method: "POST", headers: await bearer(who), body: JSON.stringify(body) });
  const json = async <T = Record<string, unknown>>(res: Response | Promise<Response>) =>
    (await (await res).json()) as T;
  const deviceIn = async (status: string, owner: typeof account = account) =>
    (await runtime.listDevices(owner.id, 0, owner.inventory.size)).find((d) => d.nativeStatus === status)!;

  return {
    server,
    clock,
    runtime,
    account,
    sibling,
    stranger,
    token,
    grant,
    bearer,
    get,
    post,
    json,
    deviceIn,
  };
}

type Aeris = Awaited<ReturnType<typeof aerisServer>>;
type Organisation = Aeris["account"];
export type Sim = Record<string, unknown>;

/** A package of the IOTA catalogue no generated SIM starts on. */
export const NEW_PACKAGE = { id: "232030203_SP_IOT_1GB", description: "Magenta IoT Connect 1 GB" };

/** Change requests, their status and the two views of a subscription, for the request tests. */
export function requestCalls({ runtime, account, get, post, json }: Aeris) {
  const simOf = async (iccid: string, who: Organisation = account) => {
    const res = await get(`${SICA}/sim-resource/${iccid}?identifier_type=ICC`, who);
    return res.status === 200 ? (await json<{ sims: Sim[] }>(res)).sims[0]! : res.status;
  };
  const detailsOf = async (iccid: string, who: Organisation = account) => {
    const lookup = { identifierType: "ICC", identifierValues: [iccid] };
    const res = await post(`${API}/subscriptions/details?additionalFields=PACKAGE,DATES`, lookup, who);
    return (await json<{ subscriptions: Sim[] }>(res)).subscriptions[0];
  };
  const submit = (kind: string, body: unknown, who: Organisation = account) =>
    post(`${REQUESTS}/${kind}`, body, who);
  const accepted = async (kind: string, body: unknown, who: Organisation = account): Promise<string> => {
    const res = await submit(kind, body, who);
    expect(res.status).toBe(201);
    const { subscription_request_id: id } = await json<{ subscription_request_id: string }>(res);
    expect(id).toMatch(/^REQ\d{12}$/);
    return id;
  };
  const status = (id: string, query = "") => json(get(`${REQUESTS}/${id}${query}`));
  const problemOf = async (res: Response | Promise<Response>) => {
    const answer = await res;
    const body = await json<{ status: number; code: string; detail: string }>(answer);
    return { status: answer.status, code: body.code, detail: body.detail };
  };
  const actives = async (owner: Organisation = account) =>
    (await runtime.listDevices(owner.id, 0, 100)).filter((d) => d.nativeStatus === "ACTIVE");
  const list = (type: string, identifiers: unknown[]) => ({ identifier_type: type, identifiers });
  return { simOf, detailsOf, submit, accepted, status, problemOf, actives, list };
}
