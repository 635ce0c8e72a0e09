import cluster from "node:cluster";
import { ConfigError } from "../config/errors.js";
import { unknownPlatforms } from "../config/known-platforms.js";
import { loadFile } from "../config/load.js";
import { Config, type ConfigInput } from "../config/schema.js";
import { createLogger, type LogLevel } from "../observability/log.js";
import { superviseWorkers } from "../server/cluster.js";
import { parseConfig } from "../server/simulator.js";
import { joinWorld } from "../server/world-identity.js";
import { openStore } from "../store/open.js";
import { numberFlag, seedFlag } from "./flags.js";
import { serveProcess } from "./serve-process.js";

export { banner, openControlPlane } from "./banner.js";

export interface ServeOptions {
  port?: string | undefined;
  host?: string | undefined;
  config?: string | undefined;
  seed?: string | undefined;
  timeScale?: string | undefined;
  clock?: string | undefined;
  auth: boolean;
  logLevel: LogLevel;
  stateFile?: string | undefined;
  stateInterval?: string | undefined;
  adminToken?: string | undefined;
  allowedHost?: string[] | undefined;
  trustProxy?: boolean | undefined;
  store?: string | undefined;
  workers?: string | undefined;
}

/**
 * Defaults < config file < environment (PORT, HOST, CMO_SIM_ADMIN_TOKEN, CMO_SIM_ALLOWED_HOSTS,
 * CMO_SIM_STORE) < flags.
 */
export async function resolveServeConfig(
  options: ServeOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Config> {
  const file: ConfigInput = options.config ? await loadFile(Config, options.config, unknownPlatforms) : {};
  const seed = seedFlag(options.seed);
  const input = {
    ...file,
    ...(seed === undefined ? {} : { seed }),
    ...(options.timeScale === undefined ? {} : { timeScale: numberFlag("time-scale", options.timeScale) }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    server: {
      ...file.server,
      ...(env.HOST ? { host: env.HOST } : {}),
      ...(env.PORT ? { port: numberFlag("PORT", env.PORT) } : {}),
      ...(env.CMO_SIM_ADMIN_TOKEN ? { adminToken: env.CMO_SIM_ADMIN_TOKEN } : {}),
      ...(env.CMO_SIM_ALLOWED_HOSTS
        ? {
            allowedHosts: env.CMO_SIM_ALLOWED_HOSTS.split(",")
              .map((h) => h.trim())
              .filter(Boolean),
          }
        : {}),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: numberFlag("port", options.port) }),
      ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
      ...(options.allowedHost === undefined ? {} : { allowedHosts: options.allowedHost }),
      ...(options.trustProxy ? { trustProxy: true } : {}),
      ...(options.workers === undefined ? {} : { workers: numberFlag("workers", options.workers) }),
    },
    store: {
      ...file.store,
      ...(env.CMO_SIM_STORE ? { url: env.CMO_SIM_STORE } : {}),
      ...(options.store === undefined ? {} : { url: options.store }),
    },
    auth: { ...file.auth, ...(options.auth ? {} : { enabled: false }) },
  };
  return parseConfig(input, options.config ?? "command line");
}

/** `cmo-sim serve`: one process, or with `--workers N` a primary supervising N of them on one port. */
export async function serve(options: ServeOptions): Promise<void> {
  const config = await resolveServeConfig(options);
  refuseUnsharedProcesses(config, options);
  const log = createLogger(options.logLevel);
  const processOptions = {
    stateFile: options.stateFile,
    stateIntervalMs: numberFlag("state-interval", options.stateInterval) ?? 10_000,
  };
  if (config.server.workers === 1 || cluster.isWorker) return serveProcess(config, processOptions, log);
  // Checked once here, so a process that does not belong to the world says so once, before any
  // worker starts; each worker joins again all the same, to read the world's signing secret.
  const opened = await openStore(config.store.url);
  try {
    await joinWorld(opened.store, config, opened.shown);
  } finally {
    await opened.close();
  }
  const code = await superviseWorkers({
    workers: config.server.workers,
    log,
    shutdownGraceMs: config.server.shutdownGraceMs,
    onListening: (first) => process.stdout.write(`${first.banner}\n\n`),
  });
  process.exit(code);
}

/** Settings that would split one world into several, or keep it twice. */
function refuseUnsharedProcesses(config: Config, options: ServeOptions): void {
  const problems: string[] = [];
  if (config.server.workers > 1 && config.store.url === undefined)
    problems.push(
      `--workers ${config.server.workers} needs a shared store (--store redis://host:port, CMO_SIM_STORE or store.url): on this process's memory each worker would be a world of its own`,
    );
  if (options.stateFile && config.store.url !== undefined)
    problems.push(
      "--state-file keeps a memory world across restarts, and a shared store keeps its world itself: use one or the other",
    );
  if (problems.length > 0) throw new ConfigError(problems, "command line");
}
