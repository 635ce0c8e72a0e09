import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, runCli } from "../helpers/cli.js";

/** The workflow example cannot run here, but every cmo-sim command in it must exist as written. */
describe("GitHub Actions example", () => {
  it("uses only cmo-sim subcommands and flags that exist", async () => {
    const workflow = parse(await readFile(`${ROOT}/examples/github-actions/cmo-sim.yml`, "utf8")) as {
      jobs: Record<string, { steps: Array<{ run?: string }> }>;
    };
    const commands = Object.values(workflow.jobs)
      .flatMap((job) => job.steps.map((s) => s.run ?? ""))
      .join("\n")
      .replace(/\\\n\s*/g, " ")
      .match(/npx cmo-sim [^\n&>|]+/g);
    expect(commands?.map((c) => c.split(" ")[2])).toEqual(["serve", "run", "verify"]);
    for (const command of commands ?? []) {
      const [, , sub, ...args] = command.trim().split(/\s+/);
      const help = await runCli([sub as string, "--help"]);
      expect(help.code, command).toBe(0);
      for (const flag of args.filter((a) => a.startsWith("--")))
        expect(help.stdout, `${command}: ${flag}`).toContain(flag);
    }
  }, 60_000);
});
