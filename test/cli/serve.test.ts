import type { ChildProcess } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exitOf, runCli, spawnCli, waitForOutput } from "../helpers/cli.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

async function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnCli(["serve", "--port", "0", "--host", "127.0.0.1", ...args]);
  children.push(child);
  const [, url] = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { child, url: url as string };
}

describe("cmo-sim serve", () => {
  it("starts with embedded defaults, prints how to use it, and answers /health", async () => {
    const child = spawnCli(["serve", "--port", "0"]);
    children.push(child);
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    await waitForOutput(child, /client_secret=cmo-sim-secret/);
    const url = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1] as string;
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect(out).toContain(`${url}/api-gw/connection-management-orchestrator/v5/{tenant}`);
    expect(out).toMatch(/tenants\s+eos \(.*\), acme \(/);
    expect(out).toContain("cmo-sim-client / cmo-sim-secret");
    expect(out).toContain(`curl -s -X POST ${url}/auth/realms/iothub/protocol/openid-connect/token`);
    const token = await fetch(`${url}/auth/realms/iothub/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
    });
    expect(token.status).toBe(200);
    child.kill("SIGINT");
    expect(await exitOf(child)).toBe(0);
  });

  it("finishes a request in flight on SIGTERM, then exits 0", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-serve-"));
    const config = join(dir, "sim.yaml");
    await writeFile(config, "platforms:\n  1NCE:\n    profile:\n      latency: 1500\n      rateLimits: []\n");
    const { child, url } = await start(["--config", config]);
    const api = `${url}/platforms/1nce/management-api`;
    const platforms = (await (await fetch(`${url}/_sim/platforms`)).json()) as Array<{
      code: string;
      accounts: Array<{ id: string }>;
    }>;
    const account = `1nce-${platforms.find((p) => p.code === "1NCE")?.accounts[0]?.id}`;
    const tokenRes = await fetch(`${api}/oauth/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${account}:${account}-secret`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const slow = fetch(`${api}/v1/sims?pageSize=1`, { headers: { authorization: `Bearer ${access_token}` } });
    await new Promise((r) => setTimeout(r, 300));
    const stoppedAt = Date.now();
    child.kill("SIGTERM");
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await exitOf(child)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("applies flags over environment over file, and refuses a bad file with its line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-serve-"));
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "seed: 3\nclock: sundial\n");
    const result = await runCli(["serve", "--config", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}:2:8: clock: clock must be real or manual`);
    const { url } = await start(["--seed", "42", "--clock", "manual", "--time-scale", "0.5", "--no-auth"]);
    const clock = (await (await fetch(`${url}/_sim/clock`)).json()) as Record<string, unknown>;
    expect(clock).toMatchObject({ kind: "virtual", mode: "manual", timeScale: 0.5 });
    expect(((await (await fetch(`${url}/_sim/inventory`)).json()) as { seed: number }).seed).toBe(42);
    const open = await fetch(`${url}/api-gw/connection-management-orchestrator/v5/eos/product?pageSize=1`);
    expect(open.status).toBe(200);
    expect(open.headers.get("x-cmo-sim-auth")).toBe("disabled");
    const flagError = await runCli(["serve", "--time-scale", "fast"]);
    expect(flagError.code).toBe(2);
    expect(flagError.stderr).toContain("--time-scale: 'fast' is not a number");
  });
});
