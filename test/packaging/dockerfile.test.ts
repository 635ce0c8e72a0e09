import { execFile, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, waitForOutput } from "../helpers/cli.js";

const sh = promisify(execFile);

interface Stage {
  name: string;
  base: string;
  dir: string;
  workdir: string;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
}

/** Instructions of a Dockerfile with continuation lines joined. */
function instructions(text: string): Array<{ op: string; args: string }> {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const [op = "", ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

const scratch = await mkdtemp(join(tmpdir(), "cmo-sim-docker-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/**
 * No Docker engine runs here, so the Dockerfile's own instructions are carried out outside it:
 * each stage's WORKDIR becomes a folder, COPY copies (from the context or an earlier stage), RUN
 * runs its command there, ENV applies; then ENTRYPOINT + CMD start the image and /health is checked.
 */
describe("Dockerfile", () => {
  it("is multi-stage, slim Node 20, unprivileged, exposes 8080 and checks /health", async () => {
    const text = await readFile(join(ROOT, "Dockerfile"), "utf8");
    const ops = instructions(text);
    const froms = ops.filter((i) => i.op === "FROM");
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^node:20[.\w-]*-slim/);
    expect(ops.find((i) => i.op === "USER")?.args).toBe("node");
    expect(ops.find((i) => i.op === "EXPOSE")?.args).toBe("8080");
    expect(ops.find((i) => i.op === "HEALTHCHECK")?.args).toContain("/health");
    expect(ops.find((i) => i.op === "ENV")?.args).toContain("HOST=0.0.0.0");
    expect(text).toContain("npm prune --omit=dev");
  });

  it("builds and starts outside Docker with the Dockerfile's own commands, and answers /health", async () => {
    const stages: Stage[] = [];
    let stage: Stage | undefined;
    for (const { op, args } of instructions(await readFile(join(ROOT, "Dockerfile"), "utf8"))) {
      if (op === "FROM") {
        const [base = "", , name = `stage${stages.length}`] = args.split(/\s+/);
        stage = {
          name,
          base,
          dir: join(scratch, name),
          workdir: "/",
          env: { ...process.env, NODE_ENV: "" } as Record<string, string>,
          entrypoint: [],
          cmd: [],
        };
        await mkdir(stage.dir, { recursive: true });
        stages.push(stage);
        continue;
      }
      if (!stage) throw new Error(`${op} before FROM`);
      const here = join(stage.dir, stage.workdir);
      if (op === "WORKDIR") {
        stage.workdir = args;
        await mkdir(join(stage.dir, args), { recursive: true });
      } else if (op === "ENV") {
        for (const pair of args.split(/\s+/)) {
          const [k, v] = pair.split("=");
          if (k && v !== undefined) stage.env[k] = v;
        }
      } else if (op === "COPY") {
        const parts = args.split(/\s+/).filter((p) => !p.startsWith("--chown"));
        const from = parts[0]?.startsWith("--from=")
          ? stages.find((s) => s.name === parts.shift()?.slice(7))
          : undefined;
        const destination = parts.pop() as string;
        const target = join(here, destination);
        // As in Docker: a destination ending in `/` (or several sources) is a folder to copy into.
        const intoFolder = destination.endsWith("/") || parts.length > 1;
        for (const source of parts) {
          const origin = from
            ? join(from.dir, source.startsWith("/") ? source : join(from.workdir, source))
            : join(ROOT, source);
          await cp(origin, intoFolder ? join(target, basename(source)) : target, { recursive: true });
        }
      } else if (op === "RUN") {
        // Image-only plumbing (creating /data, chown) has no meaning outside a container.
        if (/^mkdir -p \/data/.test(args)) continue;
        await sh("bash", ["-c", args], {
          cwd: here,
          env: stage.env,
          timeout: 600_000,
          maxBuffer: 64 * 1024 * 1024,
        });
      } else if (op === "ENTRYPOINT" || op === "CMD") {
        stage[op === "ENTRYPOINT" ? "entrypoint" : "cmd"] = JSON.parse(args) as string[];
      }
    }
    const runtime = stages.at(-1) as Stage;
    const dir = join(runtime.dir, runtime.workdir);
    expect((await readFile(join(dir, "package.json"), "utf8")).length).toBeGreaterThan(0);
    await expect(readFile(join(dir, "node_modules/typescript/package.json"))).rejects.toThrow();
    const [command = "", ...args] = [...runtime.entrypoint, ...runtime.cmd];
    const child = spawn(
      command === "node" ? process.execPath : command,
      [...args, "--port", "0", "--host", "127.0.0.1"],
      { cwd: dir, env: runtime.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const [, url] = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
    } finally {
      child.kill("SIGTERM");
    }
  }, 600_000);
});
