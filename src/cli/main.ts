#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { ConfigError } from "../config/errors.js";
import { LOG_LEVELS } from "../observability/log.js";
import { StateError } from "../server/state.js";
import { WorldMismatch } from "../server/world-identity.js";
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
  .option("-p, --port <port>", "port to listen on (env PORT; default 8080)")
  .option(
    "--host <host>",
    "address to bind (env HOST; default 127.0.0.1); 0.0.0.0 to accept outside connections",
  )
  .option("-c, --config <file>", "configuration file (YAML or JSON)")
  .option("--seed <n>", "seed for inventory and every random draw (default 1)")
  .option(
    "--time-scale <x>",
    "multiplies the platforms' latency, async completion and injected timeouts (default 1); rate limits and token lifetimes keep their length",
  )
  .addOption(
    new Option(
      "--clock <kind>",
      "real time (the default), or manual: time moves only through POST /_sim/clock/advance",
    ).choices(["real", "manual"]),
  )
  .option("--no-auth", "accept every CMO request without a token (says so in each answer)")
  .option(
    "--state-file <path>",
    "save the whole state here on shutdown and at an interval; restore it on start",
  )
  .option("--state-interval <ms>", "how often to save the state file (default 10000)")
  .option(
    "--admin-token <token>",
    "lock the admin API and dashboard: calls need Authorization: Bearer <token> (env CMO_SIM_ADMIN_TOKEN)",
  )
  .option(
    "--allowed-host <names...>",
    "host names the admin API answers to, besides IP addresses and localhost (env CMO_SIM_ALLOWED_HOSTS)",
  )
  .option(
    "--trust-proxy",
    "build hrefs, Link and Location from X-Forwarded-Host and -Proto (behind your own proxy)",
  )
  .option(
    "--store <url>",
    "keep the world in Redis, shared by every process started with the same store, configuration and seed: redis://host:port[/db][?prefix=name] (env CMO_SIM_STORE; default: this process's memory)",
  )
  .option("--workers <n>", "serve the port from N processes (node:cluster); needs --store (default 1)")
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

// `serve` runs when no command is named, so a mistyped command would reach it as an argument and be
// refused for that; name the real mistake instead.
const named = process.argv[2];
const commands = program.commands.map((c) => c.name());
if (named !== undefined && !named.startsWith("-") && ![...commands, "help"].includes(named)) {
  process.stderr.write(
    `cmo-sim: unknown command '${named}' (commands: ${commands.join(", ")}; cmo-sim --help)\n`,
  );
  process.exit(1);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StateError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof WorldMismatch) {
    process.stderr.write(`cmo-sim: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`cmo-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
