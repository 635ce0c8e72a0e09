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
      {
        extends: true,
        test: {
          name: "contracts-consumer",
          include: [CONSUMER],
          // One file at a time: now and then a request sent to one Pact mock server was answered as
          // that interaction specifies, yet that server reported it never received it. It happened
          // only with two consumer files running side by side, which suggests the mock servers of two
          // processes sharing a port. The files take seconds, so running them in turn costs little.
          fileParallelism: false,
        },
      },
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
