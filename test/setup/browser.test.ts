import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../helpers/browser.js";
import { findBrowser } from "./browser.js";

describe("the browser the tests use", () => {
  it("is provided from npm alone on a machine with no browser: its libraries are its own, and it renders a page", {
    timeout: 120_000,
  }, async () => {
    const setup = await findBrowser({ PATH: "" });
    expect(setup.source).toMatch(/bundled/);

    // Every library the binary needs resolves: glibc from the system, the rest from the bundle.
    const { stdout } = await promisify(execFile)("ldd", [setup.executablePath], {
      env: { ...process.env, ...setup.env },
    });
    expect(stdout).not.toContain("not found");
    const libDir = setup.env.LD_LIBRARY_PATH?.split(":")[0] as string;
    for (const lib of ["libnss3.so", "libnspr4.so", "libexpat.so.1"])
      expect(stdout).toMatch(new RegExp(`${lib.replaceAll(".", "\\.")} => ${libDir}/`));

    const browser = await chromium.launch({
      executablePath: setup.executablePath,
      args: CHROMIUM_ARGS,
      env: { ...process.env, ...setup.env } as Record<string, string>,
    });
    try {
      const page = await browser.newPage();
      await page.setContent("<main><h1>cmo-sim</h1></main>");
      expect(await page.textContent("h1")).toBe("cmo-sim");
    } finally {
      await browser.close();
    }
  });

  it("is the one CMO_SIM_CHROMIUM names, else the first usual name on PATH", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cmo-sim-path-"));
    const fake = join(dir, "chromium-browser");
    writeFileSync(fake, "#!/bin/sh\n");
    chmodSync(fake, 0o755);
    expect(await findBrowser({ PATH: dir })).toMatchObject({ executablePath: fake, source: /PATH/ });
    expect(await findBrowser({ PATH: "", CMO_SIM_CHROMIUM: fake })).toMatchObject({ executablePath: fake });
    await expect(findBrowser({ PATH: "", CMO_SIM_CHROMIUM: join(dir, "nothing") })).rejects.toThrow(
      /CMO_SIM_CHROMIUM=.* is not an executable file/,
    );
  });
});
