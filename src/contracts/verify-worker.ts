import { type JobResult, runJob, type VerifyJob } from "./verify-run.js";

/**
 * Child-process entry of `verifyPacts`: Pact's native verifier prints its own report to the
 * process's standard output, which the parent keeps apart from its one-line-per-interaction report.
 */
process.once("message", async (message: { jobs: VerifyJob[] }) => {
  const results: JobResult[] = [];
  for (const job of message.jobs) {
    try {
      results.push(await runJob(job));
    } catch (error) {
      results.push({
        job,
        interactions: [],
        errors: [],
        stateErrors: [],
        failure: (error as Error).message,
        passed: false,
      });
    }
  }
  process.send?.({ results }, () => process.exit(0));
});
