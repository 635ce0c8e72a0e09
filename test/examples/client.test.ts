import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CmoClient, CmoError } from "../../examples/client/cmo-client.js";
import { ROOT } from "../helpers/cli.js";
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
    const sim = await deviceIn(server.sim, "JASPER", "SUSPENDED");
    expect(await client.changeAndWait(`${sim.productId}-simCard`, "ACTIVE")).toEqual({
      outcome: "DONE",
      via: "sync",
    });
    expect(await platformStatus(server.sim, "JASPER", sim.nativeId)).toBe("ACTIVE");
  });

  it("handles an asynchronous platform (202 + monitor, polled with backoff)", async () => {
    const sim = await deviceIn(server.sim, "TMSP", "SUSPENDED");
    const result = await client.changeAndWait(`${sim.productId}-simCard`, "ACTIVE");
    expect(result.via).toBe("monitor");
    expect(result.monitor?.response[0]?.platform).toBe("TMSP");
    expect(await platformStatus(server.sim, "TMSP", sim.nativeId)).toBe(
      result.outcome === "DONE" ? "ACTIVE" : "SUSPENDED",
    );
  });

  it("handles a batch over both, and reports a refused change as an error", async () => {
    const ids = [
      await deviceIn(server.sim, "1NCE", "ACTIVE"),
      await deviceIn(server.sim, "STC", "ACTIVE"),
    ].map((d) => `${d.productId}-simCard`);
    const monitor = await client.waitFor(await client.batchStatus(ids, "SUSPENDED"));
    expect(monitor.response.map((r) => r.platform)).toEqual(["1NCE", "STC"]);
    expect(["DONE", "FAILED"]).toContain(monitor.state);
    const refused = await client
      .setStatus(`${(await deviceIn(server.sim, "1NCE", "ACTIVE")).productId}-simCard`, "TERMINATED")
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CmoError);
    expect((refused as CmoError).problem).toMatchObject({ status: 400, title: "Invalid Action" });
  });

  it("works as its README shows it, pasted into a file beside the client", async () => {
    // `npm start -- --time-scale 0.01`, on a port of its own.
    const started = await startServer({ timeScale: 0.01 }, { applyLatency: true });
    const readme = await readFile(join(ROOT, "examples/client/README.md"), "utf8");
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(snippet).toContain('from "./cmo-client.js"');
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-example-"));
    try {
      // The folder as in the repository: the client beside it, ES modules (the repository's package.json says so).
      await cp(join(ROOT, "examples/client/cmo-client.ts"), join(dir, "cmo-client.ts"));
      await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
      await writeFile(join(dir, "try.ts"), snippet.replaceAll("http://127.0.0.1:8080", started.url));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", join(dir, "try.ts")],
        {
          cwd: ROOT,
          timeout: 60_000,
        },
      );
      expect(stdout).toMatch(/^DONE monitor \d+-\d+(-\d+)?-monitor\n$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
