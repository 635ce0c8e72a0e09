import type { Request } from "autocannon";
import { calmPlatforms } from "../src/config/calm.js";
import type { ConfigInput } from "../src/config/schema.js";
import { createSimulator } from "../src/server/simulator.js";

export const BASE = "/api-gw/connection-management-orchestrator/v5/eos";
export const TOKEN_PATH = "/auth/realms/iothub/protocol/openid-connect/token";

/** One tenant with big all-ACTIVE accounts, so no request ever meets a product that is busy. */
export function benchConfig(
  accounts: Array<{ platform: string; size: number }>,
  overrides: Record<string, object> = {},
): ConfigInput {
  return {
    platforms: calmPlatforms(overrides),
    tenants: [
      {
        id: "eos",
        accounts: accounts.map((a, i) => ({
          platform: a.platform,
          id: String(900_000 + i),
          name: `${a.platform}_BENCH`,
          size: a.size,
          statusMix: { ACTIVE: 1 },
        })),
      },
    ],
  };
}

/** Rows a–c of `npm run bench` (and `bench:profile`): a big JASPER and a bigger TMSP account. */
export const ROW_ACCOUNTS = { JASPER: 100_000, TMSP: 400_000 } as const;
export const rowConfig = (): ConfigInput =>
  benchConfig(Object.entries(ROW_ACCOUNTS).map(([platform, size]) => ({ platform, size })));

/** Every product id of a rows a–c account. */
export function rowProductIds(platform: keyof typeof ROW_ACCOUNTS): Promise<string[]> {
  return productIds(rowConfig(), platform, ROW_ACCOUNTS[platform]);
}

/** Product ids of an account, computed from the same config and seed the target runs with. */
export async function productIds(config: ConfigInput, platform: string, count: number): Promise<string[]> {
  const sim = createSimulator({ ...config, clock: "manual" });
  const runtime = sim.world.platform(platform)!.runtime;
  const account = sim.world.accountsOf("eos", platform)[0]!;
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 1000) {
    for (const d of await runtime.listDevices(account.id, offset, Math.min(1000, count - offset)))
      ids.push(`${platform}-${d.record.nativeId}`);
  }
  return ids;
}

/** GETs of the composite products of the first thousand of `ids`, round and round. */
export function productReads(ids: readonly string[]): Request {
  let n = 0;
  return { method: "GET", setupRequest: (req) => ({ ...req, path: `${BASE}/product/${ids[n++ % 1000]}` }) };
}

/**
 * PATCHes of `ids`' sim cards, one product after the other, each visit flipping its status
 * (products start ACTIVE), so no change ever repeats the status a product already has. The count is
 * kept in here across runs: a warm-up must not make the measured run repeat its changes.
 */
export function statusFlips(ids: readonly string[]): Request {
  let n = 0;
  return {
    method: "PATCH",
    setupRequest: (req) => {
      const k = n++;
      const value = Math.floor(k / ids.length) % 2 === 0 ? "SUSPENDED" : "ACTIVE";
      return {
        ...req,
        path: `${BASE}/product/${ids[k % ids.length]}-simCard`,
        body: JSON.stringify([{ op: "replace", path: "/status", value }]),
      };
    },
  };
}

export async function token(url: string): Promise<string> {
  const res = await fetch(url + TOKEN_PATH, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A bearer token for the bench tenant's client, as a read needs. */
export async function readHeaders(url: string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await token(url)}` };
}

/** A bearer token and the JSON Patch content type, as a status change needs. */
export async function patchHeaders(url: string): Promise<Record<string, string>> {
  return { ...(await readHeaders(url)), "content-type": "application/json-patch+json" };
}

/**
 * Row c's pair: an async status change of the next of `ids` (each SIM once: a SIM with a change in
 * flight would rightly answer 409), then one GET of the monitor it answered with.
 */
export function changeAndPoll(ids: readonly string[]): Request[] {
  let next = 0;
  return [
    {
      method: "PATCH",
      setupRequest: (req) => ({
        ...req,
        path: `${BASE}/product/${ids[next++ % ids.length]}-simCard`,
        body: JSON.stringify([{ op: "replace", path: "/status", value: "SUSPENDED" }]),
      }),
      onResponse: (status, body, context) => {
        (context as { monitor?: string }).monitor =
          status === 202 ? (JSON.parse(body) as { id: string }).id : "none";
      },
    },
    {
      method: "GET",
      setupRequest: (req, context) => ({
        ...req,
        path: `${BASE}/monitor/${(context as { monitor?: string }).monitor}`,
        body: undefined,
      }),
    },
  ];
}
