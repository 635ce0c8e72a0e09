import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exitOf, runCli, spawnCli, waitForOutput } from "../helpers/cli.js";

const BASE = "/api-gw/connection-management-orchestrator/v5/eos";
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

async function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnCli(["serve", "--port", "0", "--log-level", "warn", ...args]);
  children.push(child);
  const [, url] = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { child, url: url as string };
}

async function token(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/realms/iothub/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret",
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function firstDevice(url: string, code: string, status: string): Promise<string> {
  const body = (await (
    await fetch(`${url}/_sim/platforms/${code}/devices?status=${status}&limit=1`)
  ).json()) as { devices: Array<{ productId: string }> };
  return body.devices[0]!.productId;
}

describe("--state-file", () => {
  it("saves on shutdown and restores on start: inventory changes, custom properties, monitors in flight, tokens", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-state-"));
    const stateFile = join(dir, "state.json");
    const first = await start(["--state-file", stateFile, "--clock", "manual"]);
    const bearer = await token(first.url);
    const headers = { authorization: `Bearer ${bearer}`, "content-type": "application/json-patch+json" };
    const sync = await firstDevice(first.url, "JASPER", "SUSPENDED");
    const async = await firstDevice(first.url, "TMSP", "SUSPENDED");
    const patch = (id: string, ops: unknown) =>
      fetch(`${first.url}${BASE}/product/${id}`, { method: "PATCH", headers, body: JSON.stringify(ops) });
    expect(
      (await patch(`${sync}-simCard`, [{ op: "replace", path: "/status", value: "ACTIVE" }])).status,
    ).toBe(200);
    expect(
      (
        await patch(`${sync}-simCard`, [
          { op: "add", path: "/customProperty/-", value: { name: "site", value: "Bonn" } },
        ])
      ).status,
    ).toBe(200);
    const accepted = await patch(`${async}-simCard`, [{ op: "replace", path: "/status", value: "ACTIVE" }]);
    expect(accepted.status).toBe(202);
    const monitor = ((await accepted.json()) as { id: string }).id;
    first.child.kill("SIGTERM");
    expect(await exitOf(first.child)).toBe(0);
    expect(JSON.parse(await readFile(stateFile, "utf8"))).toMatchObject({
      kind: "cmo-sim-state",
      version: 2,
    });

    const second = await start(["--state-file", stateFile, "--clock", "manual"]);
    let current = bearer;
    const get = (path: string) =>
      fetch(`${second.url}${BASE}${path}`, { headers: { authorization: `Bearer ${current}` } }).then(
        async (r) => [r.status, await r.json()] as const,
      );
    const [status, simCard] = await get(`/product/${sync}-simCard`);
    expect(status).toBe(200);
    expect(simCard).toMatchObject({ status: "ACTIVE", customProperty: [{ name: "site", value: "Bonn" }] });
    expect((await get(`/monitor/${monitor}`))[1]).toMatchObject({ state: "IN_PROGRESS" });
    expect((await get(`/product/${async}-simCard`))[1]).toMatchObject({ status: "PENDING_ACTIVE" });
    await fetch(`${second.url}/_sim/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: 3_600_000 }),
    });
    expect(
      (await get(`/monitor/${monitor}`))[0],
      "the token from before the restart has expired on the clock",
    ).toBe(401);
    current = await token(second.url);
    const [, done] = await get(`/monitor/${monitor}`);
    expect(done.state).toBe("DONE");
    expect((await get(`/product/${async}-simCard`))[1]).toMatchObject({ status: "ACTIVE" });
    second.child.kill("SIGINT");
    expect(await exitOf(second.child)).toBe(0);
  });

  it("loses at most the last interval on SIGKILL", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-state-"));
    const stateFile = join(dir, "state.json");
    const first = await start(["--state-file", stateFile, "--state-interval", "200"]);
    const device = await firstDevice(first.url, "1NCE", "ACTIVE");
    const nativeId = device.split("-")[1];
    await fetch(`${first.url}/_sim/platforms/1NCE/devices/${nativeId}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "SUSPENDED" }),
    });
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const saved = await readFile(stateFile, "utf8").catch(() => "");
      if (saved.includes(nativeId as string)) break;
    }
    first.child.kill("SIGKILL");
    await exitOf(first.child);
    const second = await start(["--state-file", stateFile]);
    const body = (await (
      await fetch(`${second.url}/_sim/platforms/1NCE/devices?status=SUSPENDED&limit=1000`)
    ).json()) as { devices: Array<{ nativeId: string }> };
    expect(body.devices.map((d) => d.nativeId)).toContain(nativeId);
  });

  it("refuses a corrupt or foreign state file with a clear message and exit code 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-state-"));
    const corrupt = join(dir, "corrupt.json");
    await writeFile(corrupt, '{"kind": "cmo-sim-state", "versi');
    const bad = await runCli(["serve", "--port", "0", "--state-file", corrupt]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`state file ${corrupt} is corrupt`);

    const saved = join(dir, "seed1.json");
    const first = await start(["--state-file", saved, "--seed", "1"]);
    first.child.kill("SIGTERM");
    await exitOf(first.child);
    const foreign = await runCli(["serve", "--port", "0", "--state-file", saved, "--seed", "2"]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain("belongs to another inventory");
    const wiremock = join(dir, "wiremock.json");
    await writeFile(wiremock, JSON.stringify({ mappings: [] }));
    const other = await runCli(["serve", "--port", "0", "--state-file", wiremock]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("not a cmo-sim state file");
  });

  it("clears what a save cut short left behind, and refuses a path it cannot write or a bad signing secret", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cmo-sim-state-"));
    const stateFile = join(dir, "state.json");
    // A process killed mid-save leaves its temporary file; no process has this id.
    const leftover = join(dir, "state.json.2147483646.tmp");
    await writeFile(leftover, '{"kind": "cmo-sim-st');
    const first = await start(["--state-file", stateFile]);
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    first.child.kill("SIGTERM");
    expect(await exitOf(first.child)).toBe(0);

    // A path below a regular file can never be written: refused at start, not at the first save.
    const notADir = join(dir, "plain.txt");
    await writeFile(notADir, "");
    const unwritable = await runCli(["serve", "--port", "0", "--state-file", join(notADir, "state.json")]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain(
      `cannot write the state file ${join(notADir, "state.json")} (ENOTDIR)`,
    );

    const saved = JSON.parse(await readFile(stateFile, "utf8")) as Record<string, unknown>;
    await writeFile(stateFile, JSON.stringify({ ...saved, signingSecret: "" }));
    const emptySecret = await runCli(["serve", "--port", "0", "--state-file", stateFile]);
    expect(emptySecret.code).toBe(2);
    expect(emptySecret.stderr).toContain("signingSecret: signingSecret must be at least 32 characters");
  });
});
