import { describe, expect, it } from "vitest";
import { AdminClient, AdminError } from "../../src/admin/client.js";
import { ADMIN_ROUTES, adminRoutes } from "../../src/admin/routes.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";

const sim = createSimulator({}, { clock: new VirtualClock(Date.UTC(2026, 2, 1)) });
const admin = new AdminClient({ base: "http://sim", fetch: async (request) => sim.fetch(request) });

describe("the typed admin client", () => {
  it("calls routes of the table with their path parameters, query and body", async () => {
    const platforms = await admin.call(adminRoutes.listPlatforms, {});
    expect(platforms.map((p) => p.code)).toEqual([...sim.world.platforms.keys()]);
    const page = await admin.call(adminRoutes.listDevices, {
      params: { code: "tmsp" },
      query: { limit: "2", status: "ACTIVE" },
    });
    expect(page.devices).toHaveLength(2);
    expect(page.devices.every((d) => d.status === "ACTIVE")).toBe(true);
    const down = await admin.call(adminRoutes.startOutage, {
      params: { code: "stc" },
      body: { status: 502 },
    });
    expect(down.outage).toMatchObject({ status: 502 });
    await admin.call(adminRoutes.stopOutage, { params: { code: "stc" } });
  });

  it("refuses an error answer, naming the call and the problem", async () => {
    await expect(admin.call(adminRoutes.getPlatform, { params: { code: "nope" } })).rejects.toThrow(
      new AdminError(
        "GET /_sim/platforms/nope: 404 No platform nope; platforms: TMSP, TMUS, INTELSAT, IOTA, JASPER, AIRLINQ, 1NCE, STC, TURKCELL, GALAXY1",
      ),
    );
    const answer = await admin.send(adminRoutes.stopOutage, { params: { code: "stc" } });
    expect(answer.status).toBe(409);
  });

  it("finds a cmo-sim behind an endpoint, and says when its admin API is locked", async () => {
    expect(await admin.detect()).toBe(true);
    const locked = createSimulator({ server: { adminToken: "a-long-enough-admin-token" } });
    const fetchLocked = async (request: Request) => locked.fetch(request);
    expect(await new AdminClient({ base: "http://sim", fetch: fetchLocked }).detect()).toBe("locked");
    expect(
      await new AdminClient({ base: "http://sim", fetch: fetchLocked }, "a-long-enough-admin-token").detect(),
    ).toBe(true);
  });

  it("lists in the /_sim index every route of the table, and the dashboard", async () => {
    const { endpoints } = await admin.call(adminRoutes.listEndpoints, {});
    for (const route of ADMIN_ROUTES.filter((r) => r.path !== "/_sim"))
      expect(
        endpoints
          .find((e) => e.endsWith(` ${route.path}`))
          ?.split(" ")[0]
          ?.split("|"),
      ).toContain(route.method);
    expect(endpoints.at(-1)).toBe("GET /_sim/ui");
  });
});
