import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isPeer, type PeerConfig, startPeer } from "./peers.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface Target {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `bench/serve-target.ts` in a child process (with Node's `nodeArgs`, `--cpu-prof` say) and
 * waits for its URL; a peer kind (Prism, Mockoon) runs its own CLI instead, with a `PeerConfig`.
 */
export function startTarget(kind: string, config?: unknown, nodeArgs: string[] = []): Promise<Target> {
  if (isPeer(kind)) return startPeer(kind, config as PeerConfig);
  const args = ["--import", "tsx", "bench/serve-target.ts", kind];
  if (config !== undefined) args.push(JSON.stringify(config));
  const child = spawn(process.execPath, ["--max-old-space-size=4096", ...nodeArgs, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PACT_DO_NOT_TRACK: "true" },
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = out.match(/READY (\S+)/);
      if (!match) return;
      child.stdout?.off("data", onData);
      resolve({
        url: match[1] as string,
        child,
        stop: () =>
          new Promise((done) => {
            child.once("exit", () => done());
            child.kill("SIGKILL");
          }),
      });
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${kind} target exited with ${code} before it was ready`)));
  });
}

/** Runs a bench script in a child process with --expose-gc and returns its last JSON line. */
export function runScript<T>(script: string, args: string[] = []): Promise<T> {
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", script, ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
    });
    child.once("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) reject(new Error(`${script} exited with ${code}: ${out}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}
