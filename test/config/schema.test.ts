import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { unknownPlatforms } from "../../src/config/known-platforms.js";
import { loadFile, parseText, validate } from "../../src/config/load.js";
import { Config, PlatformProfile } from "../../src/config/schema.js";
import { parseConfig } from "../../src/server/simulator.js";

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration schema", () => {
  it("fills every default from an empty configuration", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      seed: 1,
      timeScale: 1,
      clock: "real",
      server: { host: "127.0.0.1", port: 8080 },
      auth: { enabled: true, tokenLifetimeSeconds: 300 },
      cmo: {
        basePath: "/api-gw/connection-management-orchestrator/v5/{tenant}",
        batchLimit: 100,
        monitorRetentionMs: 86_400_000,
      },
    });
  });

  it("rejects a bad profile and names the field's path and what was expected", () => {
    const problems = problemsOf(() =>
      parseConfig({
        platforms: {
          TMSP: {
            profile: {
              latency: { type: "lognormal", median: "fast", sigma: 0.3 },
              faults: { errorRate: 1.5 },
            },
          },
        },
      }),
    );
    expect(problems.join("\n")).toContain(
      "platforms.TMSP.profile.faults.errorRate: errorRate cannot exceed 1",
    );
    expect(problems).toContain(
      "configuration: platforms.TMSP.profile.latency: median: median must be a number",
    );
  });

  it("names unknown platforms and unknown fields", () => {
    expect(problemsOf(() => parseConfig({ platforms: { VODAFONE: {} } }))).toEqual([
      "configuration: platforms.VODAFONE: VODAFONE is not simulated (platforms: TMSP, TMUS, INTELSAT, IOTA, JASPER, AIRLINQ, 1NCE, STC, TURKCELL, GALAXY1)",
    ]);
    expect(problemsOf(() => parseConfig({ platforms: { vodafone: {} } }))[0]).toContain(
      "a platform code is 2-16 upper-case letters and digits",
    );
    const problems = problemsOf(() => parseConfig({ tenants: [{ id: "eos", accounts: [], colour: "red" }] }));
    expect(problems).toContain("configuration: tenants[0]: unknown field colour");
  });

  it("validates rate limits, timelines and transitions as data", () => {
    const bad = PlatformProfile.safeParse({
      rateLimits: [{ name: "second", limit: 0, windowMs: 1000 }],
      asyncTimeline: [],
      transitions: { ACTIVE: ["ASLEEP"] },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join(".")) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining(["rateLimits.0.limit", "asyncTimeline", "transitions.ACTIVE.0"]),
    );
  });
});

describe("configuration files", () => {
  it("reports YAML problems with file, line and field", () => {
    const yaml = [
      "seed: 7",
      "platforms:",
      "  TMSP:",
      "    profile:",
      "      rateLimits:",
      "        - name: second",
      "          limit: -3",
      "          windowMs: 1000",
      "",
    ].join("\n");
    const { value, source } = parseText(yaml, "sim.yaml");
    const problems = problemsOf(() => validate(Config, value, source));
    expect(problems).toContain(
      "sim.yaml:7:18: platforms.TMSP.profile.rateLimits[0].limit: limit must be at least 1",
    );
  });

  it("reports every problem at once, in file order, each with its line and the offending key", async () => {
    const yaml = [
      "seed: seven",
      "platforms:",
      "  TMSP:",
      "    profile:",
      "      latency: { type: lognormal, medain: 400, sigma: 0.3 }",
      "  VODAFONE:",
      "    profile: { latency: 100 }",
      "  1NCE:",
      "    profile:",
      "      faults: { errorRate: 2 }",
      "",
    ].join("\n");
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-config-"));
    await writeFile(join(dir, "sim.yaml"), yaml);
    const error = await loadFile(Config, join(dir, "sim.yaml"), unknownPlatforms).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const file = join(dir, "sim.yaml");
    expect((error as ConfigError).problems).toEqual([
      `${file}:1:7: seed: seed must be a whole number`,
      `${file}:5:35: platforms.TMSP.profile.latency: unknown field medain (did you mean median?)`,
      `${file}:6:3: platforms.VODAFONE: VODAFONE is not simulated (platforms: TMSP, TMUS, INTELSAT, IOTA, JASPER, AIRLINQ, 1NCE, STC, TURKCELL, GALAXY1)`,
      `${file}:10:28: platforms.1NCE.profile.faults.errorRate: errorRate cannot exceed 1`,
    ]);
  });

  it("reports syntax errors with their line", () => {
    const problems = problemsOf(() => parseText('{"seed": 1,\n "clock": [1, 2}', "sim.json"));
    expect(problems[0]).toMatch(/^sim\.json:2:\d+: /);
  });

  it("loads JSON and YAML files and refuses unreadable ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-config-"));
    await writeFile(join(dir, "a.json"), JSON.stringify({ seed: 9, clock: "manual" }));
    await writeFile(join(dir, "b.yaml"), "seed: 10\ntimeScale: 0.5\n");
    expect(await loadFile(Config, join(dir, "a.json"))).toMatchObject({ seed: 9, clock: "manual" });
    expect(await loadFile(Config, join(dir, "b.yaml"))).toMatchObject({ seed: 10, timeScale: 0.5 });
    await expect(loadFile(Config, join(dir, "missing.yaml"))).rejects.toThrow(
      /missing\.yaml: cannot read \(ENOENT\)/,
    );
  });
});
