import cluster from "node:cluster";
import type { Config } from "../config/schema.js";
import type { Logger } from "../observability/log.js";
import type { WorkerListening } from "../server/cluster.js";
import { listen } from "../server/listen.js";
import { StatePersistence } from "../server/persistence.js";
import { Simulator } from "../server/simulator.js";
import { joinWorld } from "../server/world-identity.js";
import { openStore } from "../store/open.js";
import { banner, openControlPlane } from "./banner.js";

export interface ProcessOptions {
  stateFile?: string | undefined;
  stateIntervalMs: number;
}

/**
 * One simulator process: opens the store (joining the world in it when it is shared), serves until
 * SIGINT/SIGTERM, then drains in-flight requests, saves the state file if any, quits the store and
 * exits 0. As a cluster worker it hands its banner to the primary, which prints one for all.
 */
export async function serveProcess(config: Config, options: ProcessOptions, log: Logger): Promise<void> {
  const opened = await openStore(config.store.url, {
    onConnectionChange: (change, detail) =>
      change === "lost"
        ? log.warn({ store: detail }, "lost the store: requests needing it are answered 503 until it is back")
        : log.info({ store: detail }, "the store is back"),
  });
  let sharedSecret: string | undefined;
  let worldStartedAt: number | undefined;
  try {
    if (opened.store.shared)
      ({ signingSecret: sharedSecret, startedAt: worldStartedAt } = await joinWorld(
        opened.store,
        config,
        opened.shown,
      ));
  } catch (error) {
    await opened.close();
    throw error;
  }
  if (options.stateFile) await StatePersistence.prepare(options.stateFile);
  const saved = options.stateFile ? await StatePersistence.read(options.stateFile) : undefined;
  const sim = new Simulator(config, {
    store: opened.store,
    signingSecret: saved?.signingSecret ?? sharedSecret,
    startedAt: worldStartedAt,
    logger: log,
    onUnexpectedError: (error, path) => log.error({ err: error, path }, "unexpected error while answering"),
  });
  // Work other processes (or an earlier run of this one) left in a shared store is this one's too.
  if (opened.store.shared) await sim.resume();
  let persistence: StatePersistence | undefined;
  if (options.stateFile) {
    persistence = new StatePersistence(sim, options.stateFile, options.stateIntervalMs, (error) =>
      log.error({ err: error }, "could not save the state file"),
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
    await sim.close();
    await opened.close();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // Announced only once the signal handlers are in place: a supervisor may stop us the moment it reads this.
  const text = banner(sim, running.url, { shown: opened.shown, workers: config.server.workers });
  if (cluster.isWorker) {
    const listening: WorkerListening = { kind: "listening", url: running.url, banner: text };
    process.send?.(listening);
  } else process.stdout.write(`${text}\n\n`);
  log.info(
    { url: running.url, seed: config.seed, clock: config.clock, store: opened.shown },
    "cmo-sim started",
  );
  if (openControlPlane(config))
    log.warn(
      { host: config.server.host },
      "the admin API is unlocked on a non-loopback address; set --admin-token",
    );
}
