import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatDuration, parseDuration } from "../../src/config/duration.js";
import { ConfigError } from "../../src/config/errors.js";
import { SCHEMA_FILE, scenarioJsonSchema } from "../../src/scenario/json-schema.js";
import { parseScenario } from "../../src/scenario/load.js";
import { parseConfig } from "../../src/server/simulator.js";

function problemsOf(text: string, name = "bad.yaml"): string[] {
  try {
    parseScenario(text, name);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the scenario to be rejected");
}

describe("scenario files", () => {
  it("reads durations and rates the way people write them", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("1.5s")).toBe(1_500);
    expect(parseDuration("15 minutes")).toBeUndefined();
    const s = parseScenario(
      "name: t\nduration: 24h\ndrain: 90s\nload:\n  - {name: l, rate: 30/min}\n  - {name: m, rate: 2}\n",
    );
    expect(s.duration).toBe(86_400_000);
    expect(s.drain).toBe(90_000);
    expect(s.load.map((l) => l.rate)).toEqual([30 / 60_000, 2 / 1_000]);
    expect(formatDuration(5_400_000)).toBe("1h30m");
  });

  it("rejects an invalid field with the file, line and field path", () => {
    const text = [
      "name: broken",
      "duration: 1h",
      "events:",
      "  - {at: 5m, type: outage, platform: TMUS}",
      "  - {at: 10m, type: latency, platform: TMSX, latency: 100}",
      "load:",
      "  - name: l",
      "    rate: 30 per minute",
    ].join("\n");
    const problems = problemsOf(text, "scenarios/broken.yaml");
    expect(problems).toContainEqual(
      expect.stringMatching(/^scenarios\/broken\.yaml:5:\d+: events\[1\]\.platform: .*TMSP/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^scenarios\/broken\.yaml:8:11: load\[0\]\.rate: expected a rate/),
    );
  });

  it("names unknown fields, bad durations and cross-field mistakes where they are", () => {
    const text = [
      "name: broken",
      "duration: 10m",
      "steps:",
      "  - name: two actions",
      "    read: TMSP-89490200001234567890",
      "    list: {}",
      "  - name: unknown name",
      "    read: '@nobody'",
      "  - name: late",
      "    at: 15 minutes",
      "    sleep: 1s",
      "expect:",
      "  eror_rate: 0.1",
    ].join("\n");
    const problems = problemsOf(text);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^bad\.yaml:4:5: steps\[0\]: a step does exactly one of .* \(this one: read, list\)/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^bad\.yaml:8:11: steps\[1\]\.read: @nobody is not named by an earlier step/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^bad\.yaml:10:9: steps\[2\]\.at: expected a duration/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^bad\.yaml:13:3: expect: unknown field eror_rate/),
    );
  });

  it("takes platform settings in the shape the server configuration takes, and says so when they are not", () => {
    const block = [
      "platforms:",
      "  TMSP:",
      "    profile:",
      "      latency: 250",
      "      pacing: { maxWaitMs: 500 }",
    ];
    const config = parseConfig(parse(block.join("\n")));
    const scenario = parseScenario(["name: t", ...block].join("\n"));
    expect(scenario.platforms.TMSP).toEqual(config.platforms.TMSP);
    expect(problemsOf(["name: t", "platforms:", "  TMSP:", "    latency: 250"].join("\n"))).toEqual([
      "bad.yaml:4:5: platforms.TMSP: latency goes under profile:, as in the server configuration (profile: { latency: … })",
    ]);
  });

  it("ships a JSON Schema that matches the zod schema (run npm run scenarios:schema after changing it)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(scenarioJsonSchema());
  });
});
