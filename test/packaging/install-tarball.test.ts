import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/cli.js";

const sh = promisify(execFile);
const scratch = await mkdtemp(join(tmpdir(), "cmo-sim-pack-"));
const started: ChildProcess[] = [];
afterAll(async () => {
  // A step's background processes share its process group: they go with it.
  for (const child of started) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // that step and everything it started have ended
    }
  }
  await rm(scratch, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A bash step in its own process group; resolves with its exit code and output. */
function step(script: string, cwd: string, env: Record<string, string>) {
  const child = spawn("bash", ["-eo", "pipefail", "-c", script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  started.push(child);
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, output })),
  );
}

interface Workflow {
  jobs: Record<string, { env: Record<string, string>; steps: Array<{ name?: string; run?: string }> }>;
}

/** `npm pack`, then the GitHub Actions example's own steps in an empty project, the way a user would take the package. */
describe("installing from a tarball made by npm pack", () => {
  let tarball = "";

  it("packs the CLI, its build, scenarios and contracts, and no sources or tests", async () => {
    await sh("npm", ["pack", "--pack-destination", scratch, "--silent"], {
      cwd: ROOT,
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    tarball = join(scratch, (await readdir(scratch)).find((f) => f.endsWith(".tgz")) as string);
    const listing = (await sh("tar", ["-tzf", tarball])).stdout.split("\n");
    expect(listing).toContain("package/bin/cmo-sim.js");
    expect(listing).toContain("package/dist/src/cli/main.js");
    expect(listing.some((f) => f.startsWith("package/scenarios/") && f.endsWith(".yaml"))).toBe(true);
    expect(listing.some((f) => f.startsWith("package/test/") || f.startsWith("package/src/"))).toBe(false);
  }, 300_000);

  it("runs the GitHub Actions example's steps, in order, with it", async () => {
    expect(tarball).not.toBe("");
    const project = join(scratch, "user-project");
    await mkdir(join(project, "pacts"), { recursive: true });
    await writeFile(
      join(project, "package.json"),
      JSON.stringify({ name: "user-project", private: true, scripts: { test: "node integration.mjs" } }),
    );
    // The team's own integration test: a token, then a page of products, from the workflow's env.
    await writeFile(
      join(project, "integration.mjs"),
      [
        "const env = process.env;",
        "const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: env.CMO_CLIENT_ID, client_secret: env.CMO_CLIENT_SECRET });",
        "const token = await (await fetch(env.CMO_TOKEN_URL, { method: 'POST', body: form })).json();",
        "const res = await fetch(env.CMO_BASE_URL + '/product?pageSize=1', { headers: { authorization: 'Bearer ' + token.access_token } });",
        "if (res.status !== 200) throw new Error('products: ' + res.status);",
        "console.log('integration tests passed');",
      ].join("\n"),
    );
    for (const file of await readdir(join(ROOT, "contracts/cmo")))
      if (file.endsWith(".json")) await cp(join(ROOT, "contracts/cmo", file), join(project, "pacts", file));
    await sh("npm", ["install", "--package-lock-only", "--no-audit", "--no-fund"], { cwd: project });

    const workflow = parse(
      await readFile(join(ROOT, "examples/github-actions/cmo-sim.yml"), "utf8"),
    ) as Workflow;
    const job = Object.values(workflow.jobs)[0] as Workflow["jobs"][string];
    // The runner's port 8080 may be taken here; everything else is as written.
    const port = String(await freePort());
    const env = Object.fromEntries(
      Object.entries(job.env).map(([name, value]) => [name, String(value).replaceAll("8080", port)]),
    );
    env.CMO_SIM_PACKAGE = tarball;
    const runs = job.steps.filter((s) => s.run);
    expect(runs.map((s) => s.name)).toEqual([
      "Install",
      "Start cmo-sim (carriers 100x faster than real ones)",
      "Integration tests against the simulator",
      "Replay a scenario against the running simulator (about a minute; it resets the simulator first)",
      "Verify our Pact contracts against cmo-sim (it starts its own simulator on a manual clock)",
    ]);
    const outputs: string[] = [];
    for (const s of runs) {
      const { code, output } = await step((s.run as string).replaceAll("8080", port), project, env);
      outputs.push(output);
      expect({ step: s.name, code, output: code === 0 ? "" : output }).toEqual({
        step: s.name,
        code: 0,
        output: "",
      });
    }
    expect(outputs[2]).toContain("integration tests passed");
    expect(outputs[3]).toMatch(/happy-path: passed/);
    expect(await readFile(join(project, "reports/scenario.xml"), "utf8")).toMatch(/failures="0"/);
    const verified = /(\d+) of (\d+) interactions verified/.exec(outputs[4] as string);
    expect(verified?.[1]).toBe(verified?.[2]);
    expect(Number(verified?.[2])).toBeGreaterThan(0);
  }, 900_000);
});
