import { beforeEach, describe, expect, it, vi } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import type { PlatformCode } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import {
  BASE_PATH,
  CmoTestClient,
  deviceIn,
  deviceSuffix,
  platformStatus,
  UNKNOWN_1NCE_ICCID,
  withClock,
} from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

const clock = new VirtualClock(Date.UTC(2026, 4, 5, 10));
const server = await startServer({ platforms: quietPlatforms() }, { clock });
const client = new CmoTestClient(server.request);
const base = `${server.url}${BASE_PATH}/eos`;
const SYNC = new Set(["TMUS", "IOTA", "JASPER", "1NCE"]);
const HOUR = 3_600_000;

beforeEach(async () => {
  await server.sim.reset();
  for (const slot of server.sim.world.platforms.values()) await slot.runtime.setProfileOverride(undefined);
});

async function ownerOf(code: PlatformCode, nativeId: string): Promise<string | undefined> {
  const runtime = server.sim.world.platform(code)!.runtime;
  for (const id of runtime.accounts.keys()) if (await runtime.findDevice(id, nativeId)) return id;
  return undefined;
}

describe("SIM transfer", () => {
  it.each(["TMSP", "JASPER"] as const)(
    "moves a %s SIM to the tenant's other account through a monitor",
    async (code) => {
      const [from, to] = server.sim.world.accountsOf("eos", code);
      const device = await deviceIn(server.sim, code, "ACTIVE");
      const res = await withClock(
        clock,
        client.patch(device.productId, [{ op: "replace", path: "/relatedParty/0/id", value: to!.id }]),
      );
      expect(res.status).toBe(202);
      expect(res.body.sourceHref).toBe(`${base}/product/${device.productId}`);
      await clock.advance(HOUR);
      const monitor = await client.get(`/monitor/${res.body.id}`);
      expect(monitor.body.state).toBe("DONE");
      expect(await ownerOf(code, device.nativeId)).toBe(to!.id);
      const read = await client.get(`/product/${device.productId}`);
      expect(read.body.relatedParty[0]).toMatchObject({ id: to!.id, name: to!.name });
      expect(from!.id).not.toBe(to!.id);
      const next = await withClock(clock, client.setStatus(`${device.productId}-simCard`, "SUSPENDED"));
      expect(next.status, "a finished transfer must not keep the product busy").toBeLessThan(300);
    },
  );

  it("refuses platforms without the capability, foreign accounts and the current account", async () => {
    const incapable = PLATFORMS.find((p) => p.code === "1NCE")!;
    const device = await deviceIn(server.sim, incapable.code, "ACTIVE");
    const other = server.sim.world.accountsOf("acme", incapable.code)[0]!;
    const res = await client.patch(device.productId, [
      { op: "replace", path: "/relatedParty/0/id", value: other.id },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.title).toBe("Invalid Action");
    expect(res.body.detail).toMatch(/is not a 1NCE account of tenant eos/);
    const tmsp = await deviceIn(server.sim, "TMSP", "ACTIVE");
    const own = server.sim.world.accountsOf("eos", "TMSP")[0]!;
    const same = await client.patch(tmsp.productId, [
      { op: "replace", path: "/relatedParty/0/id", value: own.id },
    ]);
    expect(same.status).toBe(400);
    expect(same.body.detail).toMatch(/already belongs/);
    const iotaAcme = server.sim.world.accountsOf("acme", "IOTA")[0]!;
    const foreign = await client.patch((await deviceIn(server.sim, "IOTA", "ACTIVE")).productId, [
      { op: "replace", path: "/relatedParty/0/id", value: iotaAcme.id },
    ]);
    expect(foreign.status).toBe(400);
    const onSub = await client.patch(`${tmsp.productId}-simCard`, [
      { op: "replace", path: "/relatedParty/0/id", value: "x" },
    ]);
    expect(onSub.status).toBe(400);
    expect(onSub.body.detail).toMatch(/composite product/);
  });
});

describe("batch PATCH /product", () => {
  it("answers 202 with one monitor over all ten platforms: sync entries DONE at once, async ones later", async () => {
    const devices = await Promise.all(
      PLATFORMS.map(async (p) => ({ code: p.code, ...(await deviceIn(server.sim, p.code, "ACTIVE")) })),
    );
    const productIdList = devices.map((d) => `${d.productId}-${deviceSuffix(server.sim, d.code)}`);
    const body = {
      productIdList,
      request: {
        method: "PATCH",
        body: [{ op: "replace", path: "/status", value: "SUSPENDED" }],
        headers: [{ name: "Content-Type", value: "application/json-patch+json" }],
      },
    };
    const res = await withClock(clock, client.call("PATCH", "/product", { body }), 500);
    expect(res.status).toBe(202);
    const monitor = res.body;
    expect(monitor.id).toMatch(new RegExp(`^${devices[0]!.nativeId}-\\d+-monitor$`));
    expect(monitor.sourceHref).toBe(monitor.href);
    expect(res.headers.get("link")).toContain(
      `<${base}/monitor/${monitor.id}>; rel="related"; title="monitor"`,
    );
    expect(monitor.request).toEqual({
      method: "PATCH",
      body,
      headers: [
        { name: "accept", value: "application/json" },
        { name: "content-type", value: "application/json" },
      ],
    });
    expect(monitor.response.map((r: { platform: string }) => r.platform)).toEqual(devices.map((d) => d.code));
    for (const [i, entry] of monitor.response.entries()) {
      expect(entry.state, devices[i]!.code).toBe(SYNC.has(devices[i]!.code) ? "DONE" : "IN_PROGRESS");
    }
    expect(monitor.state).toBe("IN_PROGRESS");
    const tmspEntry = monitor.response[devices.findIndex((d) => d.code === "TMSP")];
    expect(tmspEntry.headers).toContainEqual({
      name: "Content-Type",
      value: "application/hal+json;charset=UTF-8",
    });

    await clock.advance(HOUR);
    const done = await client.get(`/monitor/${monitor.id}`);
    expect(done.body.state).toBe("DONE");
    expect(done.body.response.every((r: { state: string }) => r.state === "DONE")).toBe(true);
    for (const d of devices)
      expect(await platformStatus(server.sim, d.code, d.nativeId), d.code).toBe("SUSPENDED");
  });

  it("rolls up to FAILED with one problem per failed entry when some fail", async () => {
    const tmsp = await deviceIn(server.sim, "TMSP", "ACTIVE");
    const once = await deviceIn(server.sim, "1NCE", "ACTIVE");
    const runtime = server.sim.world.platform("TMSP")!.runtime;
    await runtime.setProfileOverride({
      latency: 0,
      rateLimits: [],
      asyncTimeline: runtime.profile.asyncTimeline!.map((s) => ({ ...s, failureRate: 1 })),
    });
    const body = {
      productIdList: [
        `${tmsp.productId}-simCard`,
        `${once.productId}-simCard`,
        "VODAFONE-123-simCard",
        `1NCE-${UNKNOWN_1NCE_ICCID}-simCard`,
      ],
      request: { method: "PATCH", body: [{ op: "replace", path: "/status", value: "SUSPENDED" }] },
    };
    const res = await client.call("PATCH", "/product", { body });
    expect(res.status).toBe(202);
    expect(res.body.response.map((r: { state: string }) => r.state)).toEqual([
      "IN_PROGRESS",
      "DONE",
      "FAILED",
      "FAILED",
    ]);
    expect(res.body.response[2]).toMatchObject({ platform: "UNKNOWN", statusCode: 0 });
    await clock.advance(HOUR);
    const done = await client.get(`/monitor/${res.body.id}`);
    expect(done.body.state).toBe("FAILED");
    expect(done.body.errors).toHaveLength(3);
    expect(done.body.errors.map((e: { status: number }) => e.status)).toEqual([expect.any(Number), 404, 404]);
    expect(done.body.errors[0].externalErrors[0].platform).toBe("TMSP");
    expect(await platformStatus(server.sim, "TMSP", tmsp.nativeId)).toBe("ACTIVE");
    expect(await platformStatus(server.sim, "1NCE", once.nativeId)).toBe("SUSPENDED");
  });

  it("is always a monitor, even when every product is synchronous, and batches custom properties", async () => {
    const ids = [
      await deviceIn(server.sim, "1NCE", "ACTIVE"),
      await deviceIn(server.sim, "JASPER", "ACTIVE"),
    ].map((d) => `${d.productId}-simCard`);
    const res = await client.call("PATCH", "/product", {
      body: {
        productIdList: ids,
        request: {
          method: "PATCH",
          body: [{ op: "add", path: "customProperty", value: { name: "fleet", value: "north" } }],
          headers: [{ name: "Content-Type", value: "application/json-patch-query+json" }],
        },
      },
    });
    expect(res.status).toBe(202);
    expect(res.body.state).toBe("DONE");
    for (const id of ids)
      expect((await client.get(`/product/${id}`)).body.customProperty).toEqual([
        { name: "fleet", value: "north" },
      ]);
  });

  it("rejects malformed batches with 400 and changes nothing", async () => {
    const id = `${(await deviceIn(server.sim, "1NCE", "ACTIVE")).productId}-simCard`;
    const status = [{ op: "replace", path: "/status", value: "SUSPENDED" }];
    const cases: Array<[unknown, RegExp]> = [
      [{ productIdList: [], request: { method: "PATCH", body: status } }, /at least one product id/],
      [{ productIdList: [id, id], request: { method: "PATCH", body: status } }, /names .* twice/],
      [
        {
          productIdList: Array.from({ length: 101 }, (_, i) => `1NCE-${i}`),
          request: { method: "PATCH", body: status },
        },
        /at most 100 products/,
      ],
      [{ productIdList: [id], request: { method: "POST", body: status } }, /request\.method must be PATCH/],
      [
        {
          productIdList: [id],
          request: {
            method: "PATCH",
            body: status,
            headers: [{ name: "Content-Type", value: "text/plain" }],
          },
        },
        /request\.headers Content-Type/,
      ],
      [
        {
          productIdList: [id],
          request: { method: "PATCH", body: [{ op: "replace", path: "/relatedParty/0/id", value: "1" }] },
        },
        /composite product/,
      ],
      [{ productIdList: [id] }, /request/],
    ];
    for (const [body, detail] of cases) {
      const res = await client.call("PATCH", "/product", { body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.detail).toMatch(detail);
    }
    expect(await platformStatus(server.sim, "1NCE", id.split("-")[1]!)).toBe("ACTIVE");
    expect(
      (
        await client.call("PATCH", "/product", {
          body: { productIdList: [id] },
          type: "application/json-patch+json",
        })
      ).status,
    ).toBe(415);
  });
});

describe("monitors", () => {
  it("404 for an unknown monitor and for another tenant's monitor", async () => {
    const device = await deviceIn(server.sim, "TMSP", "ACTIVE");
    const res = await client.setStatus(`${device.productId}-simCard`, "SUSPENDED");
    expect(res.status).toBe(202);
    expect((await client.get("/monitor/nope")).status).toBe(404);
    const acme = new CmoTestClient(server.request, "acme-client");
    expect((await acme.get(`/monitor/${res.body.id}`)).status).toBe(404);
    expect((await client.get(`/monitor/${res.body.id}`)).status).toBe(200);
  });

  it("gives every monitor of the same product and second a distinct id", async () => {
    const device = await deviceIn(server.sim, "TMSP", "ACTIVE");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await client.call("PATCH", "/product", {
        body: {
          productIdList: [`${device.productId}-simCard`],
          request: {
            method: "PATCH",
            body: [{ op: "add", path: "/customProperty/-", value: { name: `p${i}`, value: "x" } }],
          },
        },
      });
      ids.push(res.body.id);
    }
    const seconds = Math.floor(clock.now() / 1000);
    expect(ids).toEqual([
      `${device.nativeId}-${seconds}-monitor`,
      `${device.nativeId}-${seconds}-1-monitor`,
      `${device.nativeId}-${seconds}-2-monitor`,
    ]);
  });

  it("completes in the background without being polled, and is evicted after its retention", async () => {
    const device = await deviceIn(server.sim, "TMSP", "ACTIVE");
    const res = await client.setStatus(`${device.productId}-simCard`, "SUSPENDED");
    await clock.advance(HOUR);
    expect(await platformStatus(server.sim, "TMSP", device.nativeId)).toBe("SUSPENDED");
    // On one process the poll has finished when the clock stops; across replicas its store writes
    // may still be travelling, and the clock does not wait for them.
    await vi.waitFor(async () => {
      const record = (await server.sim.cmo.monitors.all()).find((m) => m.id === res.body.id);
      expect(record?.finishedAt).toBeDefined();
      expect(await server.sim.cmo.monitors.inFlightCount()).toBe(0);
    });
    await clock.advance(server.sim.config.cmo.monitorRetentionMs);
    expect((await client.get(`/monitor/${res.body.id}`)).status).toBe(404);
  });
});
