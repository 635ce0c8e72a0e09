#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { ConfigError } from "../config/errors.js";
import { LOG_LEVELS } from "../observability/log.js";
import { StateError } from "../server/state.js";
import { dumpInventory } from "./inventory.js";
import { runCommand } from "./run.js";
import { serve } from "./serve.js";
import { verifyCommand } from "./verify.js";
import { VERSION } from "./version.js";

const program = new Command("cmo-sim")
  .description("Simulator of the Deutsche Telekom IoT Hub CMO API and its ten carrier platforms")
  .version(VERSION)
  .showHelpAfterError();

program
  .command("serve", { isDefault: true })
  .description("run the simulator: CMO front, ten native platform fakes and the admin API, on one port")
  .option("-p, --port <port>", "port to listen on (env PORT)", undefined)
  .option("--host <host>", "address to bind (env HOST); 0.0.0.0 to accept outside connections", undefined)
  .option("-c, --config <file>", "configuration file (YAML or JSON)")
  .option("--seed <n>", "seed for inventory and every random draw (default 1)")
  .option(
    "--time-scale <x>",
    "multiplies every simulated duration: latency, async completion, timeouts (default 1)",
  )
  .addOption(
    new Option(
      "--clock <kind>",
      "real time, or manual: time moves only through POST /_sim/clock/advance",
    ).choices(["real", "manual"]),
  )
  .option("--no-auth", "accept every CMO request without a token (says so in each answer)")
  .option(
    "--state-file <path>",
    "save the whole state here on shutdown and at an interval; restore it on start",
  )
  .option("--state-interval <ms>", "how often to save the state file (default 10000)")
  .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS as string[]).default("info"))
  .action((options) => serve(options));

program
  .command("inventory")
  .description("print the generated inventory as JSON lines (one device per line): same seed, same bytes")
  .option("-c, --config <file>", "configuration file (YAML or JSON)")
  .option("--seed <n>", "seed (default 1)")
  .option("--platform <code>", "only this platform")
  .option("--limit <n>", "at most this many devices per account", (v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError("a whole number");
    return Number(v);
  })
  .action((options) => dumpInventory(options));

program.addCommand(runCommand());
program.addCommand(verifyCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StateError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`cmo-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
