import { describe, expect, it } from "vitest";
import { BASE_PATH, CmoTestClient } from "../helpers/cmo.js";
import { quietPlatforms, startServer, type TestServer } from "../helpers/server.js";

/**
 * One client's heavy request must not freeze everyone else's. These tests check that the heavy work
 * is right and that other requests are served in between; how long anyone waits is measured by
 * `npm run bench:fairness`, not asserted here (these machines are shared and noisy).
 */

/** Runs `heavy` while asking `/health` in a loop; counts the answers that came while it ran. */
async function healthDuring(server: TestServer, heavy: () => Promise<Response>) {
  let pending = true;
  let answeredMeanwhile = 0;
  const probe = (async () => {
    while (pending) {
      await server.request("/health");
      if (pending) answeredMeanwhile++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const res = await heavy();
  pending = false;
  await probe;
  return { res, answeredMeanwhile };
}

describe("fairness under load", () => {
  it("applies a batch of 100 products with 100 custom-property operations each", async () => {
    const server = await startServer({ platforms: quietPlatforms() });
    const ids = await server.sim.world
      .platform("1NCE")!
      .runtime.listDevices(server.sim.world.accountsOf("eos", "1NCE")[0]!.id, 0, 100);
    const ops = Array.from({ length: 100 }, (_, i) => ({
      op: "add",
      path: "/customProperty/-",
      value: { name: `p${i}`, value: "v" },
    }));
    const client = new CmoTestClient(server.request);
    const token = await client.token();
    const res = await server.request(`${BASE_PATH}/eos/product`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        productIdList: ids.map((d) => `1NCE-${d.record.nativeId}-simCard`),
        request: {
          method: "PATCH",
          body: ops,
          headers: [{ name: "Content-Type", value: "application/json-patch+json" }],
        },
      }),
    });
    expect(res.status).toBe(202);
    const monitor = (await res.json()) as { response: Array<{ state: string }> };
    expect(monitor.response.every((r) => r.state === "DONE")).toBe(true);
    const last = await client.get(`/product/1NCE-${ids.at(-1)!.record.nativeId}-simCard`);
    expect(last.body.customProperty).toEqual(ops.map((o) => o.value));
  }, 60_000);

  it("answers /health in between while a filtered list scans an account of 1,000,000 SIMs", async () => {
    const server = await startServer({
      tenants: [{ id: "eos", accounts: [{ platform: "TMSP", id: "900001", name: "BIG", size: 1_000_000 }] }],
      platforms: quietPlatforms(),
    });
    // No SIM is BLOCKED and TERMINATED at once: the scan reads every one of them.
    const { res, answeredMeanwhile } = await healthDuring(server, () =>
      server.request("/_sim/platforms/TMSP/devices?account=900001&status=NO_SUCH_STATUS&limit=5"),
    );
    expect(res.status).toBe(200);
    expect((await res.json()).total).toBe(0);
    // A scan that held the event loop would let at most the request already in flight through.
    expect(answeredMeanwhile).toBeGreaterThan(3);
  }, 120_000);
});
