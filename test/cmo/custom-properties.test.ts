import { beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { CmoTestClient, deviceIn, deviceSuffix, JSON_PATCH, JSON_PATCH_QUERY } from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

const server = await startServer(
  { platforms: quietPlatforms() },
  { clock: new VirtualClock(Date.UTC(2026, 4, 4)) },
);
const client = new CmoTestClient(server.request);

beforeEach(() => server.sim.reset());

describe.each(PLATFORMS.map((p) => p.code))("%s custom properties", (code) => {
  it("adds, replaces and removes synchronously, kept by the CMO and never sent to the platform", async () => {
    const device = await deviceIn(server.sim, code, "ACTIVE");
    const id = `${device.productId}-${deviceSuffix(server.sim, code)}`;
    await server.sim.journal.clear();
    const added = await client.patch(
      id,
      [{ op: "add", path: "customProperty", value: { name: "MyFavoriteColour", value: "Blue" } }],
      JSON_PATCH_QUERY,
    );
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      id,
      customProperty: [{ name: "MyFavoriteColour", value: "Blue" }],
      status: "ACTIVE",
    });
    expect(added.body.correlationId).toBeTruthy();
    const writes = (await server.sim.journal.find({ face: "platform" })).filter(
      (e) => e.method !== "GET" && !e.path.includes("token"),
    );
    expect(writes).toEqual([]);

    const second = await client.patch(
      id,
      [{ op: "add", path: "/customProperty/-", value: { name: "site", value: "Bonn" } }],
      JSON_PATCH,
    );
    expect(second.body.customProperty).toEqual([
      { name: "MyFavoriteColour", value: "Blue" },
      { name: "site", value: "Bonn" },
    ]);
    const replaced = await client.patch(
      id,
      [{ op: "replace", path: "customProperty[name=MyFavoriteColour]/value", value: "Magenta" }],
      JSON_PATCH_QUERY,
    );
    expect(replaced.body.customProperty[0]).toEqual({ name: "MyFavoriteColour", value: "Magenta" });
    const byIndex = await client.patch(
      id,
      [{ op: "replace", path: "/customProperty/1/value", value: "Köln" }],
      JSON_PATCH,
    );
    expect(byIndex.body.customProperty[1]).toEqual({ name: "site", value: "Köln" });
    const removed = await client.patch(
      id,
      [{ op: "remove", path: "customProperty[name=site]" }],
      JSON_PATCH_QUERY,
    );
    expect(removed.body.customProperty).toEqual([{ name: "MyFavoriteColour", value: "Magenta" }]);

    const read = await client.get(`/product/${device.productId}`);
    const sub = read.body.productRelationship.find(
      (r: { product: { id: string } }) => r.product.id === id,
    ).product;
    expect(sub.customProperty).toEqual([{ name: "MyFavoriteColour", value: "Magenta" }]);
  });
});

describe("custom property rules", () => {
  const id = async () => {
    const code = PLATFORMS[0]!.code;
    return `${(await deviceIn(server.sim, code, "ACTIVE")).productId}-${deviceSuffix(server.sim, code)}`;
  };

  it("applies a patch all or nothing", async () => {
    const target = await id();
    await client.patch(target, [{ op: "add", path: "/customProperty/-", value: { name: "a", value: "1" } }]);
    const res = await client.patch(target, [
      { op: "add", path: "/customProperty/-", value: { name: "b", value: "2" } },
      { op: "remove", path: "/customProperty/7" },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(
      /Operation 1 \(remove \/customProperty\/7\): path \/customProperty\/7 does not exist/,
    );
    expect((await client.get(`/product/${target}`)).body.customProperty).toEqual([{ name: "a", value: "1" }]);
  });

  it("refuses duplicates, bad shapes, unknown names and unsupported ops with a detail that names them", async () => {
    const target = await id();
    await client.patch(target, [{ op: "add", path: "/customProperty/-", value: { name: "a", value: "1" } }]);
    const cases: Array<[unknown[], string, number, RegExp]> = [
      [
        [{ op: "add", path: "/customProperty/-", value: { name: "a", value: "2" } }],
        JSON_PATCH,
        400,
        /'a' already exists; use replace/,
      ],
      [
        [{ op: "add", path: "/customProperty/-", value: { name: "n", value: 5 } }],
        JSON_PATCH,
        400,
        /customProperty\[1\]\.value must be a string/,
      ],
      [
        [{ op: "add", path: "/customProperty/-", value: { name: "", value: "x" } }],
        JSON_PATCH,
        400,
        /name must be a non-empty string/,
      ],
      [
        [{ op: "add", path: "/customProperty/-", value: { name: "x", value: "y", colour: "z" } }],
        JSON_PATCH,
        400,
        /unknown field\(s\) colour/,
      ],
      [
        [{ op: "add", path: "/customProperty", value: { name: "x", value: "y" } }],
        JSON_PATCH,
        400,
        /must be an array/,
      ],
      [
        [{ op: "replace", path: "customProperty[name=ghost]/value", value: "x" }],
        JSON_PATCH_QUERY,
        404,
        /no custom property named 'ghost'/,
      ],
      [
        [{ op: "move", from: "/customProperty/0", path: "/customProperty/1" }],
        JSON_PATCH,
        400,
        /'move' is not supported/,
      ],
      [[{ op: "add", path: "/customProperty/-" }], JSON_PATCH, 400, /needs a value/],
    ];
    for (const [ops, type, status, detail] of cases) {
      const res = await client.patch(target, ops, type);
      expect(res.status, JSON.stringify(ops)).toBe(status);
      expect(res.body.detail, JSON.stringify(ops)).toMatch(detail);
    }
    expect((await client.get(`/product/${target}`)).body.customProperty).toEqual([{ name: "a", value: "1" }]);
  });

  it("keeps custom properties per tenant", async () => {
    const acme = new CmoTestClient(server.request, "acme-client");
    const code = PLATFORMS[0]!.code;
    const eosDevice = `${(await deviceIn(server.sim, code, "ACTIVE")).productId}-${deviceSuffix(server.sim, code)}`;
    await client.patch(eosDevice, [
      { op: "add", path: "/customProperty/-", value: { name: "owner", value: "eos" } },
    ]);
    const res = await acme.patch(eosDevice, [
      { op: "add", path: "/customProperty/-", value: { name: "owner", value: "acme" } },
    ]);
    expect(res.status).toBe(404);
    expect((await acme.get(`/product/${eosDevice}`)).status).toBe(404);
    expect((await client.get(`/product/${eosDevice}`)).body.customProperty).toEqual([
      { name: "owner", value: "eos" },
    ]);
  });
});
