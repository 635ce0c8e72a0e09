import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/scenario/report.js";
import { launchBrowser } from "../helpers/browser.js";
import { type CliResult, runCli } from "../helpers/cli.js";
import { FIXTURES } from "./helpers.js";

const out = mkdtempSync(join(tmpdir(), "cmo-sim-run-"));
let broken: CliResult;
let invalid: CliResult;
let browser: Browser;

beforeAll(async () => {
  [broken, invalid, browser] = await Promise.all([
    runCli([
      "run",
      join(FIXTURES, "broken-expectation.yaml"),
      "--report",
      join(out, "report.json"),
      "--html",
      join(out, "report.html"),
      "--junit",
      join(out, "junit.xml"),
    ]),
    runCli(["run", join(FIXTURES, "invalid.yaml")]),
    launchBrowser(),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

describe("cmo-sim run", () => {
  it("exits 1 when an expectation fails, saying which step, what was expected and what came", () => {
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('✘ step "suspend it" (#2): expected status 202, got 200');
    expect(broken.stdout).toContain(
      '✘ step "suspend it" (#2): expected body.status to be "ACTIVE", got "SUSPENDED"',
    );
    expect(broken.stdout).toMatch(/expectations: \d+ passed, 2 failed/);
    // Not a terminal: plain progress lines on stderr, no bar.
    expect(broken.stderr).toContain("broken expectation: running");
    expect(broken.stderr).not.toContain("\r");
  });

  it("exits 2 for an invalid file and names the file, line and field", () => {
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(
      /invalid\.yaml:5:\d+: events\[1\]\.faults\.errorRate: errorRate cannot exceed 1/,
    );
    expect(invalid.stdout).toBe("");
  });

  it("writes a JSON report with the verdicts and the wall-clock facts under run", () => {
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report;
    expect(report.verdict).toBe("failed");
    expect(report.steps.map((s) => [s.name, s.status, s.passed])).toEqual([
      ["read an active JASPER SIM", 200, true],
      ["suspend it", 200, false],
    ]);
    expect(report.expectations.find((v) => !v.passed)).toMatchObject({
      step: 2,
      name: "status",
      expected: "status 202",
      actual: "200",
    });
    expect(report.events).toMatchObject([
      { type: "outage", platforms: ["GALAXY1"], at: 20_000, until: 30_000 },
    ]);
    expect(Object.keys(report.run).sort()).toEqual([
      "host",
      "mode",
      "node",
      "startedAt",
      "version",
      "wallMs",
    ]);
  });

  it("writes well-formed JUnit XML: one case per step and per global expectation", async () => {
    const page = await browser.newPage();
    const xml = readFileSync(join(out, "junit.xml"), "utf8");
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "application/xml");
      const suite = doc.querySelector("testsuite");
      return {
        error: doc.querySelector("parsererror")?.textContent ?? null,
        tests: suite?.getAttribute("tests"),
        failures: suite?.getAttribute("failures"),
        cases: [...doc.querySelectorAll("testcase")].map((c) => [
          c.getAttribute("name"),
          c.querySelector("failure")?.getAttribute("message") ?? null,
        ]),
      };
    }, xml);
    await page.close();
    expect(parsed.error).toBeNull();
    expect(parsed.tests).toBe("4");
    expect(parsed.failures).toBe("1");
    expect(parsed.cases).toEqual([
      ["#1 read an active JASPER SIM", null],
      ["#2 suspend it", 'step "suspend it" (#2): expected status 202, got 200'],
      ["noLostMonitors", null],
      ["errorRate[*]", null],
    ]);
  });

  it("writes an HTML report that renders offline with its timeline and histograms", async () => {
    const context = await browser.newContext();
    const fetched: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(`file://${join(out, "report.html")}`);
    const seen = await page.evaluate(() => ({
      title: document.title,
      heading: document.querySelector("h1")?.textContent,
      lanes: [...document.querySelectorAll("#timeline text.lane")].map((t) => t.textContent),
      bars: document.querySelectorAll("#timeline rect.ok").length,
      monitors: document.querySelectorAll("#timeline line.monitor").length,
      outages: document.querySelectorAll("#timeline rect.event").length,
      histograms: [...document.querySelectorAll("svg.histogram.latency text.title")].map(
        (t) => t.textContent,
      ),
      histogramBars: document.querySelectorAll("svg.histogram rect.bar").length,
      errors: document.querySelector("#errors + table")?.textContent ?? "",
      failed: [...document.querySelectorAll("tr.fail")].map((r) => r.textContent),
      timelineWidth: document.querySelector("#timeline")?.getBoundingClientRect().width ?? 0,
      facts: document.querySelector("p.facts")?.textContent ?? "",
      // Each column of the platform table: its header's alignment, then its cells'.
      alignment: (() => {
        const table = document.querySelector("#platforms + table") as HTMLTableElement;
        const heads = [...table.querySelectorAll("th")];
        const row = [...(table.querySelector("tbody tr")?.querySelectorAll("td") ?? [])];
        return heads.map((th, i) => [
          th.textContent,
          getComputedStyle(th).textAlign,
          row[i] ? getComputedStyle(row[i] as Element).textAlign : "",
        ]);
      })(),
    }));
    await context.close();
    expect(fetched).toEqual([]);
    expect(seen.title).toBe("broken expectation: failed");
    expect(seen.heading).toContain("broken expectation");
    expect(seen.lanes).toEqual(["TMSP", "JASPER", "GALAXY1"]);
    expect(seen.bars).toBeGreaterThan(3);
    expect(seen.outages).toBe(1);
    expect(seen.timelineWidth).toBeGreaterThan(500);
    expect(seen.histograms).toEqual(
      expect.arrayContaining([expect.stringMatching(/^JASPER: answer times \(\d+\)$/)]),
    );
    expect(seen.histogramBars).toBeGreaterThan(10);
    expect(seen.errors).toContain("503 unavailable");
    // A step's expectation is named by the step.
    expect(seen.failed.some((row) => row?.includes("suspend it: status"))).toBe(true);
    expect(seen.facts).toMatch(/ran \d/);
    expect(seen.facts).not.toContain("traffic 0ms");
    // Figures line up under their headers: both right-aligned, or both left.
    for (const [header, th, td] of seen.alignment) expect({ header, td }).toEqual({ header, td: th });
    expect(seen.alignment.find(([header]) => header === "requests")?.[1]).toBe("right");
  });
});
