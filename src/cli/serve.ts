import { TOKEN_PATH } from "../cmo/auth.js";
import { ConfigError } from "../config/errors.js";
import { loadFile } from "../config/load.js";
import { Config, type ConfigInput } from "../config/schema.js";
import { createLogger, type LogLevel } from "../observability/log.js";
import { listen } from "../server/listen.js";
import { StatePersistence } from "../server/persistence.js";
import { parseConfig, Simulator } from "../server/simulator.js";
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
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n))
    throw new ConfigError([`--${name}: '${value}' is not a number`], "command line");
  return n;
}

/** Defaults < config file < environment (PORT, HOST) < flags. */
export async function resolveServeConfig(
  options: ServeOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Config> {
  const file: ConfigInput = options.config ? await loadFile(Config, options.config) : {};
  const seed =
    options.seed === undefined
      ? undefined
      : /^-?\d+$/.test(options.seed)
        ? Number(options.seed)
        : options.seed;
  const input = {
    ...file,
    ...(seed === undefined ? {} : { seed }),
    ...(options.timeScale === undefined ? {} : { timeScale: numberFlag("time-scale", options.timeScale) }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    server: {
      ...file.server,
      ...(env.HOST ? { host: env.HOST } : {}),
      ...(env.PORT ? { port: numberFlag("PORT", env.PORT) } : {}),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: numberFlag("port", options.port) }),
    },
    auth: { ...file.auth, ...(options.auth ? {} : { enabled: false }) },
  };
  return parseConfig(input, options.config ?? "command line");
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
  ];
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
  const saved = options.stateFile ? await StatePersistence.read(options.stateFile) : undefined;
  const sim = new Simulator(config, {
    signingSecret: typeof saved?.signingSecret === "string" ? saved.signingSecret : undefined,
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
}
