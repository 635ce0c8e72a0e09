import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { Config } from "../../src/config/schema.js";
import { ProblemError } from "../../src/http/problem.js";
import { type ApiDocsSources, registerApiDocs } from "../../src/openapi/routes.js";

type DocumentedWorld = ReturnType<ApiDocsSources["world"]>;

/** A world with tenants and no platforms: what the CMO and admin documents need, and no more. */
const worldOf = (...tenants: string[]): DocumentedWorld => ({
  tenants: tenants.map((id) => ({ id, accounts: [] })),
  platforms: new Map(),
  platform: () => undefined,
});

function docs(world: () => DocumentedWorld) {
  const config = Config.parse({});
  const app = new Hono();
  registerApiDocs(app, { config: () => config, world });
  app.onError((error, c) => c.text(error.message, error instanceof ProblemError ? 404 : 500));
  return app;
}

const tenantParameter = async (res: Response) => {
  const document = (await res.json()) as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; description?: string }> }>>;
  };
  const [, operations] = Object.entries(document.paths).find(([path]) => path.includes("{tenant}")) ?? [];
  const parameters = Object.values(operations ?? {}).flatMap((op) => op.parameters ?? []);
  return parameters.find((p) => p.name === "tenant")?.description;
};

describe("the API documents, from their sources", () => {
  it("describe the current world's tenants, and follow a new world", async () => {
    let world = worldOf("eos", "acme");
    const app = docs(() => world);
    expect(await tenantParameter(await app.request("/openapi.json"))).toBe("Tenant id (eos, acme)");
    world = worldOf("other");
    expect(await tenantParameter(await app.request("/openapi.json"))).toBe("Tenant id (other)");
  });

  it("serve the admin document, and refuse a platform the world does not have", async () => {
    const app = docs(() => worldOf("eos"));
    const admin = (await (await app.request("/_sim/openapi.json")).json()) as { info: { title: string } };
    expect(admin.info.title).toBe("cmo-sim admin API");
    const missing = await app.request("/platforms/nope/openapi.json");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("No platform nope; platforms: ");
  });

  it("link the documents of the world's platforms from /docs", async () => {
    const page = await (await docs(() => worldOf("eos")).request("/docs")).text();
    expect(page).toContain("/openapi.json");
    expect(page).toContain("/_sim/openapi.json");
    expect(page).not.toContain("/platforms/");
  });
});
