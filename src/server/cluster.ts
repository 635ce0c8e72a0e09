import cluster, { type Worker } from "node:cluster";
import type { Logger } from "../observability/log.js";

/** What a worker tells the primary once it serves: the primary prints one banner for all. */
export interface WorkerListening {
  kind: "listening";
  url: string;
  banner: string;
}

const isListening = (message: unknown): message is WorkerListening =>
  typeof message === "object" && message !== null && (message as { kind?: unknown }).kind === "listening";

export interface SuperviseOptions {
  workers: number;
  log: Logger;
  /** How long workers get to drain after SIGTERM before they are killed. */
  shutdownGraceMs: number;
  /** Called once, when the first worker serves. */
  onListening: (first: WorkerListening) => void;
}

/**
 * The primary of `serve --workers N`: forks N workers that serve one port (node:cluster shares
 * the socket), starts another when one dies after it was serving, and on SIGINT/SIGTERM stops
 * them all. A worker that fails before it serves (bad store, world mismatch) is a start-up
 * failure, not a crash to repeat: every worker is stopped and its exit code returned.
 * Resolves with the exit code the primary should end with.
 */
export function superviseWorkers(options: SuperviseOptions): Promise<number> {
  const { log } = options;
  const serving = new Set<Worker>();
  let announced = false;
  let stopping = false;
  let exitCode = 0;

  return new Promise((resolve) => {
    const stopAll = (code: number, reason: string) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      log.info({ reason, workers: Object.keys(cluster.workers ?? {}).length }, "stopping every worker");
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
      // A worker that does not drain in time is not waited for.
      setTimeout(() => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      }, options.shutdownGraceMs + 2_000).unref();
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve(exitCode);
    };

    cluster.on("message", (worker, message: unknown) => {
      if (!isListening(message)) return;
      serving.add(worker);
      if (announced) log.info({ pid: worker.process.pid, url: message.url }, "worker serving");
      else {
        announced = true;
        options.onListening(message);
      }
    });
    cluster.on("exit", (worker, code, signal) => {
      const wasServing = serving.delete(worker);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(exitCode);
        return;
      }
      if (!wasServing) {
        log.error({ pid: worker.process.pid, code, signal }, "a worker failed to start");
        stopAll(code || 1, "a worker failed to start");
        return;
      }
      log.warn({ pid: worker.process.pid, code, signal }, "a worker died; starting another");
      cluster.fork();
    });
    process.on("SIGINT", () => stopAll(0, "SIGINT"));
    process.on("SIGTERM", () => stopAll(0, "SIGTERM"));
    for (let i = 0; i < options.workers; i++) cluster.fork();
  });
}
