import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveServeConfig, type ServeOptions } from "../../src/cli/serve.js";
import { ConfigError } from "../../src/config/errors.js";
import { parseStoreUrl } from "../../src/config/store-url.js";

const flags = (more: Partial<ServeOptions> = {}): ServeOptions => ({ auth: true, logLevel: "info", ...more });

async function configFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "cmo-sim-store-")), "sim.yaml");
  await writeFile(path, text);
  return path;
}

describe("choosing the store", () => {
  it("is this process's memory unless named: flag over environment over file", async () => {
    const file = await configFile("store:\n  url: redis://from-file:6379\n");
    expect((await resolveServeConfig(flags(), {})).store.url).toBeUndefined();
    expect((await resolveServeConfig(flags({ config: file }), {})).store.url).toBe("redis://from-file:6379");
    const env = { CMO_SIM_STORE: "redis://from-env:6379" };
    expect((await resolveServeConfig(flags({ config: file }), env)).store.url).toBe("redis://from-env:6379");
    const flag = flags({ config: file, store: "rediss://from-flag:6380/2" });
    expect((await resolveServeConfig(flag, env)).store.url).toBe("rediss://from-flag:6380/2");
  });

  it("refuses what is not a Redis URL, naming the field and its line", async () => {
    const file = await configFile("seed: 3\nstore:\n  url: postgres://db/x\n");
    const error = await resolveServeConfig(flags({ config: file }), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(
        /sim\.yaml:3:8: store\.url: only redis:\/\/ and rediss:\/\/ stores are supported, not postgres:\/\//,
      ),
    ]);
    const flag = await resolveServeConfig(flags({ store: "localhost:6379" }), {}).catch((e: unknown) => e);
    expect((flag as ConfigError).problems[0]).toMatch(/store\.url: .*redis:\/\//);
  });

  it("takes --workers as a whole number of at least 1", async () => {
    expect((await resolveServeConfig(flags({ workers: "3" }), {})).server.workers).toBe(3);
    expect((await resolveServeConfig(flags(), {})).server.workers).toBe(1);
    const error = await resolveServeConfig(flags({ workers: "0" }), {}).catch((e: unknown) => e);
    expect((error as ConfigError).problems[0]).toMatch(/server\.workers: workers must be at least 1/);
  });
});

describe("a store URL", () => {
  it("names the world's key prefix (cmo-sim unless ?prefix= says) and masks a password", () => {
    expect(parseStoreUrl("redis://127.0.0.1:6379/2")).toEqual({
      connectUrl: "redis://127.0.0.1:6379/2",
      prefix: "cmo-sim",
      shown: "redis://127.0.0.1:6379/2",
    });
    expect(parseStoreUrl("rediss://u:secret@host:6380?prefix=team-a")).toEqual({
      connectUrl: "rediss://u:secret@host:6380",
      prefix: "team-a",
      shown: "rediss://u:***@host:6380?prefix=team-a",
    });
  });

  it("says what is wrong with a bad one", () => {
    expect(parseStoreUrl("redis://host/db")).toEqual({ problem: expect.stringMatching(/database number/) });
    expect(parseStoreUrl("redis://host?db=2")).toEqual({
      problem: expect.stringMatching(/unknown parameter db/),
    });
    expect(parseStoreUrl("redis://host?prefix=a b")).toEqual({
      problem: expect.stringMatching(/prefix must be/),
    });
    expect(parseStoreUrl("not a url")).toEqual({ problem: expect.stringMatching(/is not a URL/) });
  });
});
