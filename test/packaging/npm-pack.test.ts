import { execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, waitForOutput } from "../helpers/cli.js";

const sh = promisify(execFile);
const scratch = await mkdtemp(join(tmpdir(), "cmo-sim-pack-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** `npm pack`, then an install in an empty folder, the way a user would take the package. */
describe("npm package", () => {
  it("installs in an empty folder and runs `npx cmo-sim serve` and `npx cmo-sim run`", async () => {
    await sh("npm", ["pack", "--pack-destination", scratch, "--silent"], {
      cwd: ROOT,
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const tarball = (await readdir(scratch)).find((f) => f.endsWith(".tgz"));
    expect(tarball).toBeDefined();
    const listing = (await sh("tar", ["-tzf", join(scratch, tarball as string)])).stdout.split("\n");
    expect(listing).toContain("package/bin/cmo-sim.js");
    expect(listing).toContain("package/dist/src/cli/main.js");
    expect(listing.some((f) => f.startsWith("package/scenarios/") && f.endsWith(".yaml"))).toBe(true);
    expect(listing.some((f) => f.startsWith("package/test/") || f.startsWith("package/src/"))).toBe(false);

    const project = join(scratch, "user-project");
    await sh("mkdir", ["-p", project]);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true }));
    await sh("npm", ["install", "--no-audit", "--no-fund", join(scratch, tarball as string)], {
      cwd: project,
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });

    // Its own process group: npx runs the CLI in a child, and both must go when the test ends.
    const server = spawn("npx", ["cmo-sim", "serve", "--port", "0", "--host", "127.0.0.1"], {
      cwd: project,
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
      ["cmo-sim", "run", "node_modules/cmo-sim/scenarios/happy-path.yaml", "--no-progress"],
      { cwd: project, timeout: 300_000 },
    );
    expect(run.stdout).toMatch(/happy-path: passed/);
  }, 900_000);
});
