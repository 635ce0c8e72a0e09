import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const run = promisify(execFile);

describe("soak (shortened; `npm run soak` runs 60 s)", () => {
  it("survives mixed traffic with faults and an outage: no unexplained 5xx, no lost monitor, flat memory, monitors evicted", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "bench/soak.ts", "--seconds", "8", "--workers", "12"],
      { cwd: ROOT, timeout: 120_000 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
    const result = JSON.parse(stdout.trim().split("\n").at(-1) as string);
    // Enough traffic for the checks below to mean something; how much fits in 8 s is the machine's business.
    expect(result.requests).toBeGreaterThan(300);
    expect(result.accepted).toBeGreaterThan(30);
    expect(result.unexplained5xx).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.ended.DONE + result.ended.FAILED).toBe(result.accepted);
    expect(result.heapGrowth).toBeLessThan(0.1);
    expect(result.monitorsAfterRetention).toBe(0);
    expect(result.byStatus["503"] ?? 0).toBeGreaterThan(0);
    expect(result.ok).toBe(true);
  }, 150_000);
});
