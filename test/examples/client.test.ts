import { describe, expect, it } from "vitest";
import { CmoClient, CmoError } from "../../examples/client/cmo-client.js";
import { BASE_PATH, deviceIn, platformStatus, TOKEN_PATH } from "../helpers/cmo.js";
import { startServer } from "../helpers/server.js";

const server = await startServer({ timeScale: 0.001 }, { applyLatency: true });
const client = new CmoClient({
  baseUrl: `${server.url}${BASE_PATH}/eos`,
  tokenUrl: `${server.url}${TOKEN_PATH}`,
  clientId: "cmo-sim-client",
  clientSecret: "cmo-sim-secret",
  polling: { firstMs: 20, factor: 1.5, maxMs: 200, timeoutMs: 30_000 },
});

describe("the example client against the simulator", () => {
  it("handles a synchronous platform (200)", async () => {
    const sim = deviceIn(server.sim, "JASPER", "SUSPENDED");
    expect(await client.changeAndWait(`${sim.productId}-simCard`, "ACTIVE")).toEqual({
      outcome: "DONE",
      via: "sync",
    });
    expect(platformStatus(server.sim, "JASPER", sim.nativeId)).toBe("ACTIVE");
  });

  it("handles an asynchronous platform (202 + monitor, polled with backoff)", async () => {
    const sim = deviceIn(server.sim, "TMSP", "SUSPENDED");
    const result = await client.changeAndWait(`${sim.productId}-simCard`, "ACTIVE");
    expect(result.via).toBe("monitor");
    expect(result.monitor?.response[0]?.platform).toBe("TMSP");
    expect(platformStatus(server.sim, "TMSP", sim.nativeId)).toBe(
      result.outcome === "DONE" ? "ACTIVE" : "SUSPENDED",
    );
  });

  it("handles a batch over both, and reports a refused change as an error", async () => {
    const ids = [deviceIn(server.sim, "1NCE", "ACTIVE"), deviceIn(server.sim, "STC", "ACTIVE")].map(
      (d) => `${d.productId}-simCard`,
    );
    const monitor = await client.waitFor(await client.batchStatus(ids, "SUSPENDED"));
    expect(monitor.response.map((r) => r.platform)).toEqual(["1NCE", "STC"]);
    expect(["DONE", "FAILED"]).toContain(monitor.state);
    const refused = await client
      .setStatus(`${deviceIn(server.sim, "1NCE", "ACTIVE").productId}-simCard`, "TERMINATED")
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CmoError);
    expect((refused as CmoError).problem).toMatchObject({ status: 400, title: "Invalid Action" });
  });
});
