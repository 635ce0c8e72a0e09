import { configDefaults, defineConfig } from "vitest/config";

// Two runs (see package.json "test"): the Pact consumer tests write the contracts first, then the
// main run verifies the shipped contracts against the simulator along with everything else.
const CONSUMER = "test/contracts/consumer/**/*.test.ts";

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two files at a time on the two cores CI has: many files mostly wait (real time, child
    // processes, sockets), and one at a time would leave the suite twice as long.
    maxWorkers: 2,
    env: { PACT_DO_NOT_TRACK: "true" },
    projects: [
      { extends: true, test: { name: "contracts-consumer", include: [CONSUMER] } },
      {
        extends: true,
        test: {
          name: "main",
          globalSetup: ["test/setup/global.ts"],
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, CONSUMER],
        },
      },
    ],
  },
});
