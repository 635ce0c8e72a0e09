import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import { pactFilesAt } from "../../src/contracts/pact-file.js";
import { startContractSimulator } from "../../src/contracts/provider-sim.js";
import { planJobs, type VerificationReport, verifyPacts } from "../../src/contracts/verify.js";
import type { RunningServer } from "../../src/server/listen.js";
import { CMO_CONTRACTS, PLATFORM_CONTRACTS } from "./support/pacts.js";

/**
 * Provider verification of the shipped contracts: the CMO front against contracts/cmo and each
 * native fake against contracts/platforms/<code>.json, by Pact's own verifier, with the
 * documented provider states driving a simulator on a manual clock.
 */
let server: RunningServer;
let report: VerificationReport;

beforeAll(async () => {
  ({ server } = await startContractSimulator());
  report = await verifyPacts(
    planJobs([...pactFilesAt(CMO_CONTRACTS), ...pactFilesAt(PLATFORM_CONTRACTS)], server.url),
  );
}, 120_000);

afterAll(() => server?.close(100));

const failures = (provider: string) =>
  report.interactions
    .filter((i) => i.provider === provider && !i.passed)
    .map((i) => [i.description, ...i.problems]);

describe("provider verification of the shipped contracts", () => {
  it("verifies the CMO front against every CMO interaction", () => {
    expect(report.failures).toEqual([]);
    expect(failures("cmo-sim")).toEqual([]);
    expect(report.interactions.filter((i) => i.provider === "cmo-sim").length).toBeGreaterThanOrEqual(19);
  });

  it.each(PLATFORMS.map((p) => p.code))("verifies the %s fake against its adapter's contract", (code) => {
    const provider = `${code.toLowerCase()}-platform`;
    expect(failures(provider)).toEqual([]);
    expect(report.interactions.filter((i) => i.provider === provider).length).toBeGreaterThanOrEqual(4);
  });
});
