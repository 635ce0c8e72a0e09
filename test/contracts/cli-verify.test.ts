import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContractSimulator } from "../../src/contracts/provider-sim.js";
import type { RunningServer } from "../../src/server/listen.js";
import { runCli } from "../helpers/cli.js";
import { PLATFORM_CONTRACTS } from "./support/pacts.js";

/** `cmo-sim verify` on pact files the project did not generate: written by hand, by "other teams". */
const FIXTURES = join(import.meta.dirname, "fixtures");
const folder = mkdtempSync(join(tmpdir(), "cmo-sim-verify-"));
let server: RunningServer;

beforeAll(async () => {
  ({ server } = await startContractSimulator());
  copyFileSync(join(FIXTURES, "fleet-dashboard.json"), join(folder, "fleet-dashboard.json"));
  copyFileSync(join(PLATFORM_CONTRACTS, "tmsp.json"), join(folder, "tmsp.json"));
  writeFileSync(
    join(folder, "..", `${folder.split("/").at(-1)}-not-a-pact.json`),
    JSON.stringify({ hello: "world" }),
  );
});

afterAll(async () => {
  await server?.close(100);
  rmSync(folder, { recursive: true, force: true });
  rmSync(`${folder}-not-a-pact.json`, { force: true });
});

describe("cmo-sim verify", () => {
  it("passes a hand-written pact, one line per interaction, exit 0", async () => {
    const result = await runCli(["verify", join(FIXTURES, "fleet-dashboard.json")]);
    expect(result.stdout).toContain("✓ cmo-sim: a read of a suspended SIM card");
    expect(result.stdout).toContain("✓ cmo-sim: a monitor that does not exist");
    expect(result.stdout).toContain("3 of 3 interactions verified");
    expect(result.code).toBe(0);
  });

  it("fails a pact expecting a shape the simulator does not give, saying what differs, exit 1", async () => {
    const result = await runCli(["verify", join(FIXTURES, "wrong-shape.json")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("✗ cmo-sim: a SIM card with its ICCID at the top");
    expect(result.stdout).toContain("Actual map is missing the following keys: iccid, lifecycleStatus");
    expect(result.stdout).toMatch(/\$\.status: Expected 'ACTIVE' \(String\) to be equal to 'active'/);
    expect(result.stdout).toContain("✗ cmo-sim: a custom property answered with no content");
    expect(result.stdout).toContain("status: expected 204 but was 200");
    expect(result.stdout).toContain("0 of 2 interactions verified");
  });

  it("verifies a folder mixing providers against a running simulator", async () => {
    const result = await runCli(["verify", folder, "--provider-base-url", server.url]);
    expect(result.stdout).toContain("✓ cmo-sim: the first page of one product");
    expect(result.stdout).toMatch(/✓ tmsp-platform: change a status and poll: GET/);
    expect(result.code).toBe(0);
  });

  it("passes broker options to Pact's verifier and says why a broker verification could not run", async () => {
    const result = await runCli([
      "verify",
      "--broker-url",
      "http://127.0.0.1:9",
      "--broker-token",
      "t0k3n",
      "--consumer-version-selectors",
      '[{"mainBranch":true}]',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /✗ cmo-sim: No pacts found for provider 'cmo-sim' .*pact broker 'http:\/\/127\.0\.0\.1:9'/,
    );
    expect(result.stdout).toContain("1 verification(s) could not run");
  });

  it("exits 2 on a path that is no pact", async () => {
    const missing = await runCli(["verify", join(folder, "absent.json")]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringContaining("no such pact file or folder"),
    ]);
    const notAPact = await runCli(["verify", `${folder}-not-a-pact.json`]);
    expect([notAPact.code, notAPact.stderr]).toEqual([2, expect.stringContaining("is not a pact file")]);
  });
});
