import { type ChildProcess, execFile, spawn } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { onPath } from "./browser.js";

/**
 * Where the Redis store tests get a real `redis-server`, with nothing installed by hand: the one
 * named by `CMO_SIM_REDIS_SERVER`, else `redis-server` on PATH, else Debian's package installed
 * through apt when the run has root (as CI and a fresh machine do). npm ships no Redis server, so a
 * run without root on a machine without one fails saying what to install rather than skipping.
 */
const MISSING =
  "redis-server (Redis 7) is needed by the Redis store tests and is not on PATH: install it " +
  "(Debian: apt-get install redis-server, which the test set-up does itself when run as root), " +
  "or name the binary in CMO_SIM_REDIS_SERVER";

export async function findRedisServer(
  env: NodeJS.ProcessEnv = process.env,
  root = process.getuid?.() === 0,
): Promise<string> {
  const named = env.CMO_SIM_REDIS_SERVER;
  if (named) {
    await access(named, constants.X_OK).catch(() => {
      throw new Error(`CMO_SIM_REDIS_SERVER=${named} is not an executable file`);
    });
    return named;
  }
  const found = onPath("redis-server", env.PATH);
  if (found) return found;
  if (!root) throw new Error(MISSING);
  await installDebianPackage(env);
  const installed = onPath("redis-server", env.PATH);
  if (!installed) throw new Error(`${MISSING} (apt-get installed redis-server, yet it is still not on PATH)`);
  return installed;
}

async function installDebianPackage(env: NodeJS.ProcessEnv): Promise<void> {
  const aptGet = onPath("apt-get", env.PATH);
  if (!aptGet) throw new Error(`${MISSING} (this machine has no apt-get to install it with)`);
  const run = (args: string[]) =>
    promisify(execFile)(aptGet, args, {
      env: { ...env, DEBIAN_FRONTEND: "noninteractive" },
      maxBuffer: 16 * 1024 * 1024,
    });
  const install = () => run(["install", "-y", "--no-install-recommends", "redis-server"]);
  try {
    await install();
  } catch {
    // A fresh image has no package lists yet (or stale ones): refresh them once and try again.
    try {
      await run(["update"]);
      await install();
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      const detail = stderr ? stderr.split("\n").slice(-3).join(" ") : String(error);
      throw new Error(`${MISSING} (apt-get install redis-server failed: ${detail})`);
    }
  }
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, for the client. */
  url: string;
  port: number;
  /** Ends the server for good and removes its folder; safe to call twice. */
  stop(): Promise<void>;
  /** Ends it with SIGKILL, as a crash would; `restart()` brings it back. */
  kill(): Promise<void>;
  /** Ends it if it runs and starts a new one on the same port, empty (nothing is persisted). */
  restart(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test worker that dies or exits without its `afterAll` must not leave servers behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A free loopback port, found by letting the system pick one and handing it back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port was assigned");
  return address.port;
}

/** Whether a server on the port answers PING, in the protocol's inline form (no client needed). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startRedis(): Promise<RedisServer> {
  const executablePath = await findRedisServer();
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "cmo-sim-redis-"));
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
    const started = spawn(
      executablePath,
      [...args, "--dir", dir, "--daemonize", "no", "--loglevel", "warning"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child = started;
    running.add(started);
    // The log is read as it comes (a full pipe would stall the server) and kept for the error below.
    let log = "";
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-2_000);
    };
    started.stdout?.on("data", keep);
    started.stderr?.on("data", keep);
    started.once("exit", () => running.delete(started));
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        started.kill("SIGKILL");
        await exited(started);
        throw new Error(`redis-server (${executablePath}) did not answer PING on 127.0.0.1:${port}:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child;
    child = undefined;
    if (!current) return;
    current.kill(signal);
    await exited(current);
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await end("SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
    kill: () => end("SIGKILL"),
    async restart() {
      await end("SIGTERM");
      await launch();
    },
  };
}
