import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, runCli } from "../helpers/cli.js";

interface Service {
  profiles?: string[];
  image?: string;
  build?: string;
  command?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const load = async (file: string) => parse(await readFile(join(ROOT, file), "utf8")) as Compose;

/** No Docker engine runs here: the compose files are checked by reading, their commands against the CLI. */
describe("compose.yaml", () => {
  it("starts a fresh world by default: no state file, no volume", async () => {
    const compose = await load("compose.yaml");
    const sim = compose.services["cmo-sim"] as Service;
    expect(sim.build).toBe(".");
    expect(sim.command?.[0]).toBe("serve");
    expect(sim.command).not.toContain("--state-file");
    expect(sim.volumes).toBeUndefined();
    expect(compose.volumes).toBeUndefined();
  });

  it("publishes the port to this machine only, and lets the tools reach the admin API by service name", async () => {
    const sim = (await load("compose.yaml")).services["cmo-sim"] as Service & {
      ports: string[];
      environment: Record<string, string>;
    };
    expect(sim.ports).toEqual(["127.0.0.1:8080:8080"]);
    expect(sim.environment.CMO_SIM_ALLOWED_HOSTS).toBe("cmo-sim");
  });

  it("keeps state only when the state file is opted into, on a named volume", async () => {
    const state = await load("compose.state.yaml");
    const sim = state.services["cmo-sim"] as Service;
    const file = sim.command?.[(sim.command?.indexOf("--state-file") ?? -2) + 1];
    expect(file).toBe("/data/state.json");
    expect(sim.volumes).toEqual(["cmo-sim-data:/data"]);
    expect(state.volumes).toHaveProperty("cmo-sim-data");
  });

  it("mounts scenarios and pacts for run and verify, with commands the CLI takes", async () => {
    const { services } = await load("compose.yaml");
    const tools = Object.entries(services).filter(([, s]) => s.profiles?.includes("tools"));
    expect(tools.map(([name]) => name).sort()).toEqual(["scenario", "verify"]);
    const scenario = services.scenario as Service;
    expect(scenario.volumes).toContain("./scenarios:/scenarios:ro");
    expect(scenario.depends_on?.["cmo-sim"]?.condition).toBe("service_healthy");
    expect((services.verify as Service).volumes).toContain("./pacts:/pacts:ro");
    for (const [, service] of tools) {
      const [command, ...args] = service.command as string[];
      const help = await runCli([command as string, "--help"]);
      expect(help.code).toBe(0);
      for (const flag of args.filter((a) => a.startsWith("--"))) expect(help.stdout).toContain(flag);
      // The files it names are the mounted folders' own: the shipped scenario is there.
      for (const path of args.filter((a) => a.startsWith("/scenarios/")))
        expect(existsSync(join(ROOT, "scenarios", path.slice("/scenarios/".length)))).toBe(true);
    }
  }, 60_000);

  it("builds from a base image pinned by digest", async () => {
    const froms = (await readFile(join(ROOT, "Dockerfile"), "utf8")).match(/^FROM \S+/gm) ?? [];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:20-bookworm-slim@sha256:[0-9a-f]{64}$/);
  });
});
