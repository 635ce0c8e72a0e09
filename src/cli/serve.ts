import { TOKEN_PATH } from "../cmo/auth.js";
import { unknownPlatforms } from "../config/known-platforms.js";
import { loadFile } from "../config/load.js";
import { Config, type ConfigInput } from "../config/schema.js";
import { createLogger, type LogLevel } from "../observability/log.js";
import { listen } from "../server/listen.js";
import { StatePersistence } from "../server/persistence.js";
import { parseConfig, Simulator } from "../server/simulator.js";
import { numberFlag, seedFlag } from "./flags.js";
import { VERSION } from "./version.js";

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
}

/** Defaults < config file < environment (PORT, HOST, CMO_SIM_ADMIN_TOKEN, CMO_SIM_ALLOWED_HOSTS) < flags. */
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
    },
    auth: { ...file.auth, ...(options.auth ? {} : { enabled: false }) },
  };
  return parseConfig(input, options.config ?? "command line");
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Listening beyond this machine with nothing guarding the control plane. */
export function openControlPlane(config: Config): boolean {
  return !LOOPBACK.has(config.server.host) && config.server.adminToken === undefined;
}

export function banner(sim: Simulator, url: string): string {
  const { config } = sim;
  const clients = sim.cmo.auth.clients;
  const first = clients[0];
  const lines = [
    `cmo-sim ${VERSION} is listening on ${url}`,
    "",
    `  CMO base path  ${url}${config.cmo.basePath}`,
    `  tenants        ${sim.world.tenants.map((t) => `${t.id} (${t.accounts.length} platform accounts, ${t.accounts.reduce((n, a) => n + a.size, 0)} products)`).join(", ")}`,
    `  platforms      ${[...sim.world.platforms.keys()].map((code) => `${url}/platforms/${code.toLowerCase()}`).join("\n                 ")}`,
    `  admin API      ${url}/_sim`,
    `  dashboard      ${url}/_sim/ui`,
    `  API docs       ${url}/docs`,
    `  clock          ${config.clock}${config.clock === "manual" ? " (moves only via POST /_sim/clock/advance)" : ""}, time scale ${config.timeScale}, seed ${config.seed}`,
    `  admin lock     ${config.server.adminToken ? "on: /_sim and the dashboard need the admin token" : "off (--admin-token or CMO_SIM_ADMIN_TOKEN locks it)"}`,
  ];
  if (openControlPlane(config))
    lines.push(
      "",
      `  WARNING: bound to ${config.server.host} with the admin API unlocked: anyone who can reach this port can`,
      "  change the simulator, read its state and mint CMO tokens. Set --admin-token, or bind to 127.0.0.1.",
    );
  if (!config.auth.enabled) {
    lines.push(
      "",
      "  AUTH IS OFF (--no-auth): every request is accepted as a read-write client of every tenant.",
    );
  } else {
    lines.push(
      `  clients        ${clients.map((c) => `${c.clientId} / ${c.clientSecret} (${c.roles.join("+")}, ${c.tenants.join(", ")})`).join("\n                 ")}`,
    );
    if (first) {
      lines.push(
        "",
        "  Get a token:",
        `    curl -s -X POST ${url}${TOKEN_PATH} \\`,
        `      -d grant_type=client_credentials -d client_id=${first.clientId} -d client_secret=${first.clientSecret}`,
      );
    }
  }
  return lines.join("\n");
}

/** `cmo-sim serve`: runs until SIGINT/SIGTERM, then drains in-flight requests and exits 0. */
/** `cmo-sim serve`: runs until SIGINT/SIGTERM, then drains in-flight requests, saves state and exits 0. */
export async function serve(options: ServeOptions): Promise<void> {
  const config = await resolveServeConfig(options);
  const log = createLogger(options.logLevel);
  if (options.stateFile) await StatePersistence.prepare(options.stateFile);
  const saved = options.stateFile ? await StatePersistence.read(options.stateFile) : undefined;
  const sim = new Simulator(config, {
    signingSecret: saved?.signingSecret,
    logger: log,
    onUnexpectedError: (error, path) => log.error({ err: error, path }, "unexpected error while answering"),
  });
  let persistence: StatePersistence | undefined;
  if (options.stateFile) {
    persistence = new StatePersistence(
      sim,
      options.stateFile,
      numberFlag("state-interval", options.stateInterval) ?? 10_000,
      (error) => log.error({ err: error }, "could not save the state file"),
    );
    if (saved) {
      await persistence.restore(saved);
      log.info({ stateFile: options.stateFile }, "state restored");
    }
  }
  const running = await listen(sim);
  persistence?.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Whatever happens below (a log write to a closed pipe, a stuck connection), the process ends.
    setTimeout(() => process.exit(0), config.server.shutdownGraceMs + 1_000).unref();
    log.info(
      { signal, inFlight: running.inFlight() },
      "stopping: no new connections, finishing requests in flight",
    );
    await running.close(config.server.shutdownGraceMs);
    if (persistence) {
      await persistence.stop();
      log.info({ stateFile: persistence.path }, "state saved");
    }
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // Announced only once the signal handlers are in place: a supervisor may stop us the moment it reads this.
  process.stdout.write(`${banner(sim, running.url)}\n\n`);
  log.info({ url: running.url, seed: config.seed, clock: config.clock }, "cmo-sim started");
  if (openControlPlane(config))
    log.warn(
      { host: config.server.host },
      "the admin API is unlocked on a non-loopback address; set --admin-token",
    );
}
