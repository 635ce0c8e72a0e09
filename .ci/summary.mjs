// Prints "N passed, N failed" summed over vitest's JSON reports (one per vitest run). A test file
// that fails to load counts as one failure, and so does a red step before the tests (lint, types):
// a red run never reads "0 failed".
import { existsSync, readFileSync } from "node:fs";

const [status, ...files] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of files.filter((f) => existsSync(f))) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  const brokenFiles = (report.testResults ?? []).filter(
    (r) => r.status === "failed" && !(r.assertionResults ?? []).some((a) => a.status === "failed"),
  ).length;
  failed += (report.numFailedTests ?? 0) + brokenFiles;
}
if (Number(status) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
