import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { startServer } from "../helpers/server.js";

const run = promisify(execFile);

/** The fenced `bash` blocks of a markdown file, in order. */
async function bashBlocks(file: string): Promise<string[]> {
  const text = await readFile(`${ROOT}/${file}`, "utf8");
  return [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

describe("README", () => {
  it("starts with the two commands a newcomer needs", async () => {
    const [start, test] = await bashBlocks("README.md");
    expect(start?.trim()).toBe("npm ci && npm start");
    expect(test?.trim()).toBe("npm ci && npm test");
  });

  it("has a curl walk-through that works when pasted: token, list, sync and async activation, monitor, batch", async () => {
    const server = await startServer({ timeScale: 0.01 }, { applyLatency: true });
    const walkthrough = (await bashBlocks("README.md")).find((b) => b.includes("TOKEN=$(curl"));
    expect(walkthrough).toBeDefined();
    const script = `set -euo pipefail\n${(walkthrough as string).replace("SIM=http://127.0.0.1:8080", `SIM=${server.url}`)}`;
    const { stdout, stderr } = await run("bash", ["-c", script], { timeout: 60_000 });
    // The status codes the text talks about: 200 for the sync change, 202 for the async one and the batch.
    expect(stderr.trim().split("\n")).toEqual(["HTTP 200", "HTTP 202", "HTTP 202"]);
    expect(stdout).toContain('"totalCount"');
    expect(stdout).toMatch(/"status": "ACTIVE"/);
    expect(stdout).toContain('"PENDING_ACTIVE"');
    expect(stdout).toMatch(/"state": "DONE"/);
    const batch = JSON.parse(stdout.slice(stdout.lastIndexOf('{\n  "id"')));
    expect(batch.response.map((r: { platform: string }) => r.platform)).toEqual(["JASPER", "TMSP"]);
    expect(batch.response[0].state).toBe("DONE");
  }, 90_000);
});
