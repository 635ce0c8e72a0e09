import { beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import type { PlatformCode } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import {
  BASE_PATH,
  CmoTestClient,
  deviceIn,
  deviceSuffix,
  JSON_PATCH_QUERY,
  platformStatus,
  withClock,
} from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

const clock = new VirtualClock(Date.UTC(2026, 4, 3, 9));
const server = await startServer({ platforms: quietPlatforms() }, { clock });
const client = new CmoTestClient(server.request);
const base = `${server.url}${BASE_PATH}/eos`;
const SYNC = ["TMUS", "IOTA", "JASPER", "1NCE"];
const HOUR = 3_600_000;

function profileOf(code: PlatformCode) {
  return server.sim.world.platform(code)!.runtime.profile;
}

/** Every async stage fails at its end: the platform's operation ends FAILED. */
async function failEveryOperation(code: PlatformCode) {
  const timeline = profileOf(code).asyncTimeline;
  await server.sim.world.platform(code)!.runtime.setProfileOverride({
    latency: 0,
    rateLimits: [],
    maxConcurrent: null,
    ...(timeline
      ? { asyncTimeline: timeline.map((s) => ({ ...s, failureRate: 1 })) }
      : { operations: { changeStatus: { faults: { errorRate: 1, errorStatus: 500 } } } }),
  });
}

beforeEach(async () => {
  await server.sim.reset();
  for (const slot of server.sim.world.platforms.values()) await slot.runtime.setProfileOverride(undefined);
});

describe.each(PLATFORMS.map((p) => p.code))("%s status change through the CMO", (code) => {
  const sync = SYNC.includes(code);
  const suffix = () => deviceSuffix(server.sim, code);

  it(`answers ${sync ? "200 with the updated sub-product" : "202 with a monitor"}, as the seed's table says`, async () => {
    const device = await deviceIn(server.sim, code, "ACTIVE");
    const productId = `${device.productId}-${suffix()}`;
    const sent = Math.floor(clock.now() / 1000);
    const res = await withClock(clock, client.setStatus(productId, "SUSPENDED"));
    if (sync) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: productId,
        href: `${base}/product/${productId}`,
        status: "SUSPENDED",
        "@type": suffix(),
      });
      expect(res.body.correlationId).toBeTruthy();
      expect(await platformStatus(server.sim, code, device.nativeId)).toBe("SUSPENDED");
      return;
    }
    expect(res.status).toBe(202);
    const monitor = res.body;
    // The id carries the second the platform took the request; the clock may have stepped while it travelled.
    const stamp = /^(.+)-(\d+)-monitor$/.exec(monitor.id);
    expect(stamp?.[1]).toBe(device.nativeId);
    expect(Number(stamp?.[2])).toBeGreaterThanOrEqual(sent);
    expect(Number(stamp?.[2])).toBeLessThanOrEqual(Math.floor(clock.now() / 1000));
    expect(res.headers.get("link")).toBe(
      `<${base}/monitor/${monitor.id}>; rel="related"; title="monitor", <${base}/product/${productId}>; rel="self", <${base}/product/${productId}>; rel="canonical"`,
    );
    expect(res.headers.get("location")).toBe(`${base}/monitor/${monitor.id}`);
    expect(monitor).toMatchObject({
      href: `${base}/monitor/${monitor.id}`,
      sourceHref: `${base}/product/${productId}`,
      state: "IN_PROGRESS",
      request: {
        method: "PATCH",
        body: [{ op: "replace", path: "/status", value: "SUSPENDED" }],
        headers: [
          { name: "accept", value: "application/json" },
          { name: "content-type", value: "application/json-patch+json" },
        ],
      },
      "@type": "monitor",
      errors: [],
    });
    expect(Object.keys(monitor)).toEqual([
      "id",
      "href",
      "sourceHref",
      "state",
      "request",
      "response",
      "@type",
      "errors",
      "correlationId",
    ]);
    expect(monitor.response).toHaveLength(1);
    expect(monitor.response[0]).toMatchObject({
      platform: code,
      message: "",
      state: "IN_PROGRESS",
      statusCode: expect.any(Number),
    });
    expect(monitor.response[0].headers.length).toBeGreaterThan(0);
    for (const h of monitor.response[0].headers) expect(Object.keys(h)).toEqual(["name", "value"]);

    expect(await platformStatus(server.sim, code, device.nativeId)).not.toBe("SUSPENDED");
    expect((await client.get(`/product/${productId}`)).body.status).toBe("ACTIVE");
    const second = await client.setStatus(productId, "ACTIVE");
    expect(second.status).toBe(409);
    // It names the monitor to wait for, and links to it.
    expect(second.body.detail).toBe(
      `${productId.replace(/-(simCard|terminal)$/, "")} has a change in progress: wait for monitor ${monitor.id} (${monitor.href}) to finish`,
    );
    expect(second.headers.get("link")).toBe(`<${monitor.href}>; rel="related"; title="monitor"`);

    await clock.advance(HOUR);
    const done = await client.get(`/monitor/${monitor.id}`);
    expect(done.body.state).toBe("DONE");
    expect(done.body.response[0].state).toBe("DONE");
    expect(done.body.errors).toEqual([]);
    expect(await platformStatus(server.sim, code, device.nativeId)).toBe("SUSPENDED");
    expect((await client.get(`/product/${productId}`)).body.status).toBe("SUSPENDED");
  });

  it("changes the product only when the platform completes, and shows PENDING_ACTIVE meanwhile", async () => {
    const device = await deviceIn(server.sim, code, "SUSPENDED");
    const productId = `${device.productId}-${suffix()}`;
    const res = await withClock(clock, client.setStatus(productId, "ACTIVE", JSON_PATCH_QUERY));
    if (sync) {
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("ACTIVE");
      return;
    }
    expect(res.status).toBe(202);
    expect((await client.get(`/product/${productId}`)).body.status).toBe("PENDING_ACTIVE");
    expect((await client.get(`/product/${device.productId}`)).body.status).toBe("INACTIVE");
    expect(await platformStatus(server.sim, code, device.nativeId)).not.toBe("ACTIVE");
    await clock.advance(HOUR);
    expect((await client.get(`/monitor/${res.body.id}`)).body.state).toBe("DONE");
    expect((await client.get(`/product/${productId}`)).body.status).toBe("ACTIVE");
  });

  it("reports a failed platform operation and leaves the product unchanged", async () => {
    await failEveryOperation(code);
    const device = await deviceIn(server.sim, code, "ACTIVE");
    const productId = `${device.productId}-${suffix()}`;
    const res = await withClock(clock, client.setStatus(productId, "SUSPENDED"));
    if (sync) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body["@type"]).toBe("problem");
      expect(res.body.externalErrors[0]).toMatchObject({ platform: code });
    } else {
      expect(res.status).toBe(202);
      await clock.advance(HOUR);
      const failed = await client.get(`/monitor/${res.body.id}`);
      expect(failed.body.state).toBe("FAILED");
      expect(failed.body.response[0].state).toBe("FAILED");
      expect(failed.body.errors).toHaveLength(1);
      expect(failed.body.errors[0]).toMatchObject({ "@type": "problem", status: expect.any(Number) });
      expect(failed.body.errors[0].externalErrors[0]).toMatchObject({ platform: code });
    }
    expect(await platformStatus(server.sim, code, device.nativeId)).toBe("ACTIVE");
    expect((await client.get(`/product/${productId}`)).body.status).toBe("ACTIVE");
  });

  it("refuses a transition the platform does not allow with 400 Invalid Action", async () => {
    const device = await deviceIn(server.sim, code, "ACTIVE");
    const allowed = profileOf(code).transitions.ACTIVE ?? [];
    const forbidden = ["INVENTORY", "CREATED", "INACTIVE", "BLOCKED", "PENDING_TERMINATE"].find(
      (s) => !allowed.includes(s as never),
    ) as string;
    const res = await client.setStatus(`${device.productId}-${suffix()}`, forbidden);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ title: "Invalid Action", "@type": "problem" });
    expect(res.body.detail).toContain(`${code} does not allow ACTIVE → ${forbidden}`);
    const same = await client.setStatus(`${device.productId}-${suffix()}`, "ACTIVE");
    expect(same.status).toBe(400);
    expect(same.body.detail).toMatch(/already ACTIVE/);
  });
});

describe("PATCH validation", () => {
  const device = () => deviceIn(server.sim, PLATFORMS[0]!.code, "ACTIVE");
  const simCard = async () => `${(await device()).productId}-${deviceSuffix(server.sim, PLATFORMS[0]!.code)}`;

  it("415 for a content type other than the two JSON Patch types", async () => {
    for (const type of ["application/json", "text/plain", "application/merge-patch+json"]) {
      const res = await client.patch(
        await simCard(),
        [{ op: "replace", path: "/status", value: "SUSPENDED" }],
        type,
      );
      expect(res.status, type).toBe(415);
      expect(res.body.detail).toMatch(/application\/json-patch\+json or application\/json-patch-query\+json/);
    }
  });

  it("400 naming the fault for malformed JSON and bad patches", async () => {
    const cases: Array<[unknown, RegExp]> = [
      ["[{", /Malformed JSON/],
      [{ op: "replace" }, /must be an array of operations/],
      [[], /empty/],
      [[{ op: "frobnicate", path: "/status", value: "ACTIVE" }], /unknown op 'frobnicate'/],
      [[{ op: "replace", path: "/imsi", value: "1" }], /path '\/imsi' cannot be changed/],
      [[{ op: "replace", path: "status", value: "ACTIVE" }], /must start with '\/'/],
      [[{ op: "replace", path: "/status", value: "SLEEPING" }], /'SLEEPING' is not a status/],
      [[{ op: "replace", path: "/status", value: 3 }], /must be a string/],
      [[{ op: "remove", path: "/status" }], /can only be replaced/],
      [[{ op: "add", path: "/customProperty/__proto__/x", value: 1 }], /not allowed/],
      [[{ op: "add", path: "/constructor/prototype", value: 1 }], /not allowed/],
      [
        [
          { op: "replace", path: "/status", value: "SUSPENDED" },
          { op: "add", path: "/customProperty/-", value: { name: "a", value: "b" } },
        ],
        /not several at once/,
      ],
      [[{ path: "/status" }], /'op' must be a string/],
      [["status"], /must be an object/],
    ];
    for (const [body, detail] of cases) {
      const res = await client.patch(await simCard(), typeof body === "string" ? body : body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.detail, JSON.stringify(body)).toMatch(detail);
      expect(res.body["@type"]).toBe("problem");
    }
    expect(await platformStatus(server.sim, PLATFORMS[0]!.code, (await device()).nativeId)).toBe("ACTIVE");
  });

  it("refuses a status change on a sub-product that has no status of its own", async () => {
    const res = await client.setStatus(`${(await device()).productId}-usageVolume-data`, "SUSPENDED");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ title: "Invalid Action" });
  });

  it("413 for an oversized body", async () => {
    const huge = [
      { op: "add", path: "/customProperty/-", value: { name: "big", value: "x".repeat(2_000_000) } },
    ];
    const res = await client.patch(await simCard(), huge);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, "@type": "problem" });
  });
});
