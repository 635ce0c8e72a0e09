import type { Report } from "./report.js";

function xml(text: unknown): string {
  return String(text)
    .replace(
      /[&<>"']/g,
      (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
    )
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, "");
}

/**
 * JUnit XML for CI systems: one suite per scenario, one test case per step and per global
 * expectation; a failing case carries every message that explains it.
 */
export function renderJunit(reports: readonly Report[]): string {
  const suites = reports.map((report) => {
    const name = report.scenario.name;
    const cases: string[] = [];
    let failures = 0;
    const testcase = (classname: string, title: string, messages: string[], seconds = 0) => {
      if (messages.length > 0) failures++;
      const failure = messages.length
        ? `<failure message="${xml(messages[0])}" type="expectation">${xml(messages.join("\n"))}</failure>`
        : "";
      cases.push(
        `    <testcase classname="${xml(classname)}" name="${xml(title)}" time="${seconds.toFixed(3)}">${failure}</testcase>`,
      );
    };
    for (const step of report.steps) {
      const messages = report.expectations
        .filter((v) => v.step === step.index && !v.passed)
        .map((v) => v.message);
      testcase(`${name}.steps`, `#${step.index} ${step.name}`, messages, (step.tookMs ?? 0) / 1000);
    }
    for (const v of report.expectations.filter((e) => e.step === undefined))
      testcase(`${name}.expect`, v.name, v.passed ? [] : [v.message]);
    const text = [
      `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${(report.run.wallMs / 1000).toFixed(3)}" timestamp="${xml(report.run.startedAt.replace(/Z$/, ""))}">`,
      ...cases,
      "  </testsuite>",
    ].join("\n");
    return { text, tests: cases.length, failures };
  });
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cmo-sim scenarios" tests="${tests}" failures="${failures}">\n${suites.map((s) => s.text).join("\n")}\n</testsuites>\n`;
}
