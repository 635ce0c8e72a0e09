import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkExchange, driftChecker, loadContracts } from "../../src/contracts/drift.js";
import type { CmoExchange } from "../../src/contracts/exchange.js";
import { startContractSimulator } from "../../src/contracts/provider-sim.js";
import { DEFAULT_BASE_PATH } from "../../src/contracts/sim-client.js";
import type { RunningServer } from "../../src/server/listen.js";
import { arrange, exchange } from "./support/exchanges.js";

/** Drift checks against the shipped CMO contracts, on answers from a healthy simulator. */
const BASE = DEFAULT_BASE_PATH.replace("{tenant}", "eos");
const check = driftChecker();
let server: RunningServer;
let seen: Record<string, CmoExchange>;

beforeAll(async () => {
  ({ server } = await startContractSimulator());
  const { sim, token, tmsp, jasper } = await arrange(server.url);
  const suspend = { token, body: [{ op: "replace", path: "/status", value: "SUSPENDED" }] };
  const sync = await exchange(server.url, "PATCH", `${BASE}/product/${jasper.productId}-simCard`, suspend);
  const accepted = await exchange(server.url, "PATCH", `${BASE}/product/${tmsp.productId}-simCard`, suspend);
  const monitorPath = `${BASE}/monitor/${(accepted.responseBody as { id: string }).id}`;
  const inProgress = await exchange(server.url, "GET", monitorPath, { token });
  await sim.advance(3_600_000);
  // Tokens live 300 s of simulated time.
  const later = { token: await sim.token("cmo-sim-client") };
  seen = {
    sync,
    accepted,
    inProgress,
    done: await exchange(server.url, "GET", monitorPath, later),
    list: await exchange(server.url, "GET", `${BASE}/product?pageSize=2&pageNumber=1`, later),
    unauthorised: await exchange(server.url, "GET", `${BASE}/product/${jasper.productId}`),
    uncovered: await exchange(server.url, "GET", `${BASE}/product?pageSize=7`, later),
  };
});

afterAll(() => server?.close(100));

/** A copy of an exchange whose answer has one value replaced. */
function altered(original: CmoExchange, change: (body: any) => void): CmoExchange {
  const copy = structuredClone(original);
  change(copy.responseBody);
  return copy;
}

describe("contract drift checks", () => {
  it("find nothing wrong with the simulator's own answers", () => {
    expect(seen.list?.status).toBe(200);
    expect(seen.done?.responseBody).toMatchObject({ state: "DONE" });
    for (const [name, ex] of Object.entries(seen)) expect([name, check(ex)]).toEqual([name, []]);
  });

  it("report a changed answer with the path, rule and values", () => {
    expect(check(altered(seen.sync!, (b) => (b.status = "ACTIVE")))).toEqual([
      {
        kind: "contract-drift",
        subject: "a status change on a synchronous platform (changes.json)",
        path: "$.body.status",
        rule: "equality",
        expected: "SUSPENDED",
        actual: "ACTIVE",
      },
    ]);
    expect(check(altered(seen.list!, (b) => (b.entities[1].isBundle = "yes")))).toContainEqual(
      expect.objectContaining({ path: "$.body.entities[1].isBundle", rule: "equality", actual: "yes" }),
    );
    const relinked = structuredClone(seen.accepted!);
    relinked.responseHeaders.link = "<nowhere>";
    expect(check(relinked)).toContainEqual(
      expect.objectContaining({ path: "$.headers.link", rule: "regex" }),
    );
  });

  it("hold a monitor against the interaction closest to it", () => {
    // IN_PROGRESS, DONE and FAILED monitors share method, path and status: each matches its own.
    expect(check(seen.inProgress!)).toEqual([]);
    expect(check(seen.done!)).toEqual([]);
    const renamed = check(altered(seen.inProgress!, (b) => (b.state = "RUNNING")));
    expect(renamed.map((f) => f.path)).toContain("$.body.state");
    expect(renamed[0]?.subject).toBe("a request for a monitor that is IN_PROGRESS (changes.json)");
  });

  it("leave answers no interaction describes alone", () => {
    const contracts = loadContracts();
    expect(
      checkExchange(
        contracts,
        altered(seen.uncovered!, (b) => (b.entities = "gone")),
      ),
    ).toEqual([]);
    expect(checkExchange(contracts, { ...seen.sync!, status: 503 })).toEqual([]);
  });
});
