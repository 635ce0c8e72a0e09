import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/cli/version.js";
import { ROOT, runCli } from "../helpers/cli.js";

const sh = promisify(execFile);

describe("the cmo-sim command line", () => {
  it("tells its version", async () => {
    const { code, stdout } = await runCli(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(VERSION);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("names an unknown command as such, with the ones that exist", async () => {
    const { code, stderr } = await runCli(["sreve", "--port", "0"]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "cmo-sim: unknown command 'sreve' (commands: serve, inventory, run, verify; cmo-sim --help)\n",
    );
  });

  it("shows the defaults in its help, in plain words", async () => {
    const serve = (await runCli(["serve", "--help"])).stdout.replace(/\s+/g, " ");
    for (const fact of ["default 8080", "default 127.0.0.1", "real time (the default)", "(default 1)"])
      expect(serve).toContain(fact);
    const verify = (await runCli(["verify", "--help"])).stdout.replace(/\s+/g, " ");
    expect(verify).toContain("with no latency, faults or rate limits");
    expect(verify).not.toContain("weather");
  });

  it("refuses a seed that is not a whole number, naming the flag", async () => {
    const { code, stderr } = await runCli(["inventory", "--seed", "seven"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--seed: 'seven' is not a whole number");
  });

  it("ends quietly when the reader of its output stops early (`| head`)", async () => {
    const { stdout } = await sh(
      "bash",
      [
        "-c",
        `err=$(mktemp); node --import tsx src/cli/main.ts inventory 2>"$err" | head -3; echo "exit \${PIPESTATUS[0]}"; cat "$err"; rm "$err"`,
      ],
      { cwd: ROOT, timeout: 60_000 },
    );
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ platform: "TMSP" });
    expect(lines[3]).toBe("exit 0");
  });
});
