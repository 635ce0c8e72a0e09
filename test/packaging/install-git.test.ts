import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/cli/version.js";
import { ROOT, waitForOutput } from "../helpers/cli.js";

const sh = promisify(execFile);
const scratch = await mkdtemp(join(tmpdir(), "cmo-sim-git-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/**
 * `npm install <git URL>`: npm clones the repository, installs its dev dependencies, builds it
 * through its prepare script and installs what `files` lists. The URL is this checkout's own, at
 * the commit under test.
 */
describe("installing from a git URL", () => {
  it("builds on install and runs `npx cmo-sim --version`, `serve` and `run`", async () => {
    const commit = (await sh("git", ["rev-parse", "HEAD"], { cwd: ROOT })).stdout.trim();
    await writeFile(join(scratch, "package.json"), JSON.stringify({ name: "user-project", private: true }));
    await sh("npm", ["install", "--no-audit", "--no-fund", `git+file://${ROOT}#${commit}`], {
      cwd: scratch,
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect((await sh("npx", ["cmo-sim", "--version"], { cwd: scratch })).stdout.trim()).toBe(VERSION);

    // Its own process group: npx runs the CLI in a child, and both must go when the test ends.
    const server = spawn("npx", ["cmo-sim", "serve", "--port", "0", "--host", "127.0.0.1"], {
      cwd: scratch,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    try {
      const [, url] = await waitForOutput(server, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      process.kill(-(server.pid as number), "SIGTERM");
    }

    const run = await sh(
      "npx",
      ["cmo-sim", "run", "node_modules/cmo-sim/scenarios/token-expiry.yaml", "--no-progress"],
      { cwd: scratch, timeout: 300_000 },
    );
    expect(run.stdout).toMatch(/token-expiry: passed/);
  }, 900_000);
});
