import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ScenarioRefused } from "../../src/scenario/inventory.js";
import { compareReports } from "../../src/scenario/report.js";
import { quietPlatforms, startServer } from "../helpers/server.js";
import { FIXTURES, failures, runFile, SCENARIOS } from "./helpers.js";

describe("cmo-sim run --target", () => {
  it("drives a running simulator in real time, events through its admin API", {
    timeout: 60_000,
  }, async () => {
    const server = await startServer({ timeScale: 0.01 }, { applyLatency: true });
    const report = await runFile(join(FIXTURES, "target.yaml"), { target: { url: server.url } });
    expect(failures(report)).toEqual([]);
    expect(report.scenario.mode).toBe("target");
    expect(report.run.target).toBe(server.url);
    expect(report.time.start).toBeUndefined();
    expect(report.summary.operations).toBeGreaterThan(10);
    expect(report.events).toMatchObject([{ type: "latency", platforms: ["TMUS"] }]);
    expect(report.events[0]?.error).toBeUndefined();
    expect(report.events[0]?.until).toBeGreaterThanOrEqual(1_000);
    // The run leaves the shared simulator as it found it.
    const tmus = (await (await server.request("/_sim/platforms/TMUS")).json()) as { override: unknown };
    expect(tmus.override).toBeNull();
  });

  it("passes happy-path.yaml against a simulator at --time-scale 0.01, twice in a row", {
    timeout: 120_000,
  }, async () => {
    // What `npm start -- --time-scale 0.01` runs: real time, latency applied, every platform's own limits.
    const server = await startServer({ timeScale: 0.01 }, { applyLatency: true });
    // Each run resets the simulator first (a second run used to find its custom properties there).
    for (const run of [1, 2]) {
      const report = await runFile(join(SCENARIOS, "happy-path.yaml"), { target: { url: server.url } });
      expect({ run, failures: failures(report) }).toEqual({ run, failures: [] });
    }
  });

  it("resets the target before each run, unless told to keep what is there", async () => {
    const server = await startServer({ platforms: quietPlatforms() });
    const file = join(FIXTURES, "tag-once.yaml");
    expect(failures(await runFile(file, { target: { url: server.url } }))).toEqual([]);
    expect(failures(await runFile(file, { target: { url: server.url } }))).toEqual([]);
    const kept = await runFile(file, { target: { url: server.url, keepState: true } });
    expect(failures(kept)[0]).toMatch(/tag a 1NCE SIM.*expected status 200, got 400.*already exists/);
  });

  it("refuses events and generated load on an endpoint that is not a cmo-sim", async () => {
    const other = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const run = runFile(join(FIXTURES, "target.yaml"), { target: { url } });
    await expect(run).rejects.toBeInstanceOf(ScenarioRefused);
    await expect(run).rejects.toThrow(
      /is not a cmo-sim .* events, generated load, product picks cannot be arranged/,
    );
  });
});

describe("reports", () => {
  it("compare equal when only the wall-clock facts differ, and point at the first difference otherwise", async () => {
    const file = join(SCENARIOS, "token-expiry.yaml");
    const [a, b] = [await runFile(file), await runFile(file)];
    expect(a.run.startedAt <= b.run.startedAt).toBe(true);
    expect(compareReports(a, b)).toEqual({ same: true });
    const changed = { ...b, summary: { ...b.summary, operations: b.summary.operations + 1 } };
    expect(compareReports(a, changed)).toMatchObject({
      same: false,
      a: expect.stringContaining('"operations"'),
    });
  });
});
