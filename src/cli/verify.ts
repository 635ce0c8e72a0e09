import { Command, InvalidArgumentError } from "commander";
import { unknownPlatforms } from "../config/known-platforms.js";
import { loadFile } from "../config/load.js";
import { Config, type ConfigInput } from "../config/schema.js";
import { PactFileError, pactFilesAt } from "../contracts/pact-file.js";
import { startContractSimulator } from "../contracts/provider-sim.js";
import { brokerJob, planJobs, reportLines, verifyPacts } from "../contracts/verify.js";
import type { BrokerOptions } from "../contracts/verify-run.js";
import type { RunningServer } from "../server/listen.js";
import { seedFlag } from "./flags.js";

interface VerifyFlags {
  providerBaseUrl?: string;
  adminToken?: string;
  config?: string;
  seed?: string;
  provider: string;
  brokerUrl?: string;
  brokerToken?: string;
  brokerUsername?: string;
  brokerPassword?: string;
  consumerVersionSelectors?: BrokerOptions["consumerVersionSelectors"];
  consumerVersionTags?: string[];
  providerVersion?: string;
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  publish: boolean;
  enablePending: boolean;
  includeWipPactsSince?: string;
  verbose: boolean;
}

const list = (value: string) =>
  value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

function selectors(value: string): BrokerOptions["consumerVersionSelectors"] {
  try {
    const parsed = JSON.parse(value) as unknown;
    return (Array.isArray(parsed) ? parsed : [parsed]) as BrokerOptions["consumerVersionSelectors"];
  } catch {
    throw new InvalidArgumentError("a JSON selector or list, e.g. '[{\"mainBranch\":true}]'");
  }
}

function brokerOptions(flags: VerifyFlags): BrokerOptions {
  const pick = <K extends keyof BrokerOptions>(key: K, value: BrokerOptions[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    ...pick("pactBrokerUrl", flags.brokerUrl),
    ...pick("pactBrokerToken", flags.brokerToken ?? process.env.PACT_BROKER_TOKEN),
    ...pick("pactBrokerUsername", flags.brokerUsername),
    ...pick("pactBrokerPassword", flags.brokerPassword),
    ...pick("consumerVersionSelectors", flags.consumerVersionSelectors),
    ...pick("consumerVersionTags", flags.consumerVersionTags),
    ...pick("providerVersion", flags.providerVersion),
    ...pick("providerVersionBranch", flags.providerVersionBranch),
    ...pick("providerVersionTags", flags.providerVersionTags),
    ...pick("includeWipPactsSince", flags.includeWipPactsSince),
    ...(flags.publish ? { publishVerificationResult: true } : {}),
    ...(flags.enablePending ? { enablePending: true } : {}),
  };
}

/**
 * Verifies pact files (anyone's) against the simulator with cmo-sim's provider states. Exit 0
 * when every interaction verified, 1 when one did not, 2 when the pacts or options are unusable.
 */
async function verify(paths: string[], flags: VerifyFlags): Promise<number> {
  let files: string[];
  try {
    files = paths.flatMap((p) => pactFilesAt(p));
  } catch (error) {
    if (!(error instanceof PactFileError)) throw error;
    process.stderr.write(`cmo-sim verify: ${error.message}\n`);
    return 2;
  }
  if (files.length === 0 && !flags.brokerUrl) {
    process.stderr.write("cmo-sim verify: give pact files or folders, or --broker-url\n");
    return 2;
  }
  if (flags.publish && !flags.providerVersion) {
    process.stderr.write("cmo-sim verify: --publish needs --provider-version\n");
    return 2;
  }

  let server: RunningServer | undefined;
  let simUrl = flags.providerBaseUrl;
  if (!simUrl) {
    const file: ConfigInput = flags.config ? await loadFile(Config, flags.config, unknownPlatforms) : {};
    const seed = seedFlag(flags.seed);
    ({ server } = await startContractSimulator({ ...file, ...(seed === undefined ? {} : { seed }) }));
    simUrl = server.url;
  }
  try {
    let jobs: ReturnType<typeof planJobs>;
    try {
      jobs = planJobs(files, simUrl);
    } catch (error) {
      if (!(error instanceof PactFileError)) throw error;
      process.stderr.write(`cmo-sim verify: ${error.message}\n`);
      return 2;
    }
    const broker = brokerOptions(flags);
    if (flags.brokerUrl) jobs.push(brokerJob(flags.provider, simUrl, broker));
    else if (flags.publish) for (const job of jobs) job.broker = broker;
    const adminToken = flags.adminToken ?? process.env.CMO_SIM_ADMIN_TOKEN;
    if (adminToken) for (const job of jobs) job.adminToken = adminToken;
    const report = await verifyPacts(jobs);
    if (flags.verbose) process.stdout.write(`${report.output.trim()}\n\n`);
    process.stdout.write(`${reportLines(report).join("\n")}\n`);
    return report.passed ? 0 : 1;
  } finally {
    await server?.close(100);
  }
}

export function verifyCommand(): Command {
  return new Command("verify")
    .description(
      "verify Pact files (files or folders) against the simulator with cmo-sim's provider states (docs/contracts.md); one line per interaction",
    )
    .argument("[pacts...]", "pact files or folders of them")
    .option(
      "--provider-base-url <url>",
      "a running simulator to verify (default: one started here on a manual clock, with no latency, faults or rate limits)",
    )
    .option(
      "--admin-token <token>",
      "admin token of a locked simulator at --provider-base-url (env CMO_SIM_ADMIN_TOKEN)",
    )
    .option("-c, --config <file>", "configuration of the simulator started here")
    .option("--seed <n>", "seed of the simulator started here")
    .option("--provider <name>", "provider name at the broker", "cmo-sim")
    .option("--broker-url <url>", "fetch the provider's pacts from this Pact Broker too")
    .option("--broker-token <token>", "Pact Broker token (env PACT_BROKER_TOKEN)")
    .option("--broker-username <name>", "Pact Broker basic-auth user")
    .option("--broker-password <password>", "Pact Broker basic-auth password")
    .option("--consumer-version-selectors <json>", "which consumer versions to verify (JSON)", selectors)
    .option("--consumer-version-tags <tags>", "consumer tags, comma-separated", list)
    .option("--provider-version <version>", "provider version for published results")
    .option("--provider-version-branch <branch>", "provider branch for published results")
    .option("--provider-version-tags <tags>", "provider tags, comma-separated", list)
    .option("--publish", "publish verification results to the broker", false)
    .option("--enable-pending", "pending pacts do not fail the verification", false)
    .option("--include-wip-pacts-since <date>", "also verify work-in-progress pacts since this date")
    .option("--verbose", "print Pact's own report before the summary", false)
    .action(async (paths: string[], flags: VerifyFlags) => {
      process.exitCode = await verify(paths, flags);
    });
}
