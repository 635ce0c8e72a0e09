import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const sh = promisify(execFile);
const scratch = await mkdtemp(join(tmpdir(), "cmo-sim-bin-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** The real bin/cmo-sim.js in a folder laid out as a checkout, or as an installed package. */
async function layout(name: string, withSources: boolean): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(join(dir, "bin"), { recursive: true });
  await cp(join(ROOT, "bin/cmo-sim.js"), join(dir, "bin/cmo-sim.js"));
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
  await mkdir(join(dir, "dist/src/cli"), { recursive: true });
  await writeFile(join(dir, "dist/src/cli/main.js"), 'console.log("the build");\n');
  if (withSources) {
    await mkdir(join(dir, "src/cli"), { recursive: true });
    await writeFile(
      join(dir, "src/cli/main.ts"),
      'const said: string = "the sources";\nconsole.log(said);\n',
    );
  }
  return join(dir, "bin/cmo-sim.js");
}

describe("bin/cmo-sim.js", () => {
  it("runs a checkout's sources, whatever an earlier build left in dist/", async () => {
    expect((await sh(process.execPath, [await layout("checkout", true)])).stdout).toBe("the sources\n");
  });

  it("runs the build in an installed package, which ships no sources", async () => {
    expect((await sh(process.execPath, [await layout("installed", false)])).stdout).toBe("the build\n");
  });
});
