import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/engine/clock.js";
import { BASE_PATH, CmoTestClient, deviceIn, platformStatus } from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

const server = await startServer(
  { platforms: quietPlatforms() },
  { clock: new VirtualClock(Date.UTC(2026, 9, 1)) },
);
const clients = {
  eos: new CmoTestClient(server.request),
  acme: new CmoTestClient(server.request, "acme-client"),
};
type Tenant = keyof typeof clients;
const other = (t: Tenant): Tenant => (t === "eos" ? "acme" : "eos");

/** What one tenant owns: a sync and an async SIM, a custom property and a monitor of each kind. */
async function holdings(tenant: Tenant) {
  const client = clients[tenant];
  const sync = await deviceIn(server.sim, "JASPER", "ACTIVE", tenant);
  const async = await deviceIn(server.sim, "TMSP", "ACTIVE", tenant);
  await client.patch(`${sync.productId}-simCard`, [
    { op: "add", path: "/customProperty/-", value: { name: "owner", value: tenant } },
  ]);
  const single = await client.setStatus(`${async.productId}-simCard`, "SUSPENDED");
  const batch = await client.call("PATCH", "/product", {
    body: {
      productIdList: [`${sync.productId}-simCard`],
      request: {
        method: "PATCH",
        body: [{ op: "add", path: "/customProperty/-", value: { name: "batch", value: tenant } }],
      },
    },
  });
  expect(single.status).toBe(202);
  expect(batch.status).toBe(202);
  return { sync, async, monitor: single.body.id as string, batchMonitor: batch.body.id as string };
}

const owned = { eos: await holdings("eos"), acme: await holdings("acme") };

describe.each(["eos", "acme"] as const)("tenant isolation: %s's things through the other tenant", (owner) => {
  const mine = owned[owner];
  const intruder = other(owner);
  const client = clients[intruder];

  it("403 on every endpoint of the owner's tenant path", async () => {
    const paths: Array<[string, string, unknown?, string?]> = [
      ["GET", "/product"],
      ["POST", "/product/find", { iccidList: [mine.sync.nativeId] }, "application/json"],
      ["GET", `/product/${mine.sync.productId}`],
      ["GET", `/product/${mine.sync.productId}-simCard`],
      [
        "PATCH",
        `/product/${mine.sync.productId}-simCard`,
        [{ op: "replace", path: "/status", value: "SUSPENDED" }],
        "application/json-patch+json",
      ],
      [
        "PATCH",
        "/product",
        { productIdList: [`${mine.sync.productId}-simCard`], request: { method: "PATCH", body: [] } },
        "application/json",
      ],
      ["GET", `/monitor/${mine.monitor}`],
      ["GET", `/monitor/${mine.batchMonitor}`],
    ];
    for (const [method, path, body, type] of paths) {
      const res = await client.call(method, path, { tenant: owner, body, type });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it("nothing visible or changeable through the intruder's own tenant path", async () => {
    const list: string[] = [];
    for (let page = 1; page <= 12; page++)
      list.push(
        ...(await client.get(`/product?pageSize=100&pageNumber=${page}`)).body.entities.map(
          (e: { id: string }) => e.id,
        ),
      );
    expect(list).not.toContain(mine.sync.productId);
    expect(list).not.toContain(mine.async.productId);
    expect(
      (
        await client.call("POST", "/product/find", {
          body: { iccidList: [mine.sync.nativeId, mine.async.nativeId] },
        })
      ).body.entities,
    ).toEqual([]);
    expect((await client.get(`/product/${mine.sync.productId}`)).status).toBe(404);
    expect((await client.get(`/product/${mine.sync.productId}-simCard`)).status).toBe(404);
    expect((await client.get(`/monitor/${mine.monitor}`)).status).toBe(404);
    expect((await client.get(`/monitor/${mine.batchMonitor}`)).status).toBe(404);
    expect((await client.setStatus(`${mine.sync.productId}-simCard`, "SUSPENDED")).status).toBe(404);
    expect(
      (
        await client.patch(
          `${mine.sync.productId}-simCard`,
          [{ op: "replace", path: "customProperty[name=owner]/value", value: "stolen" }],
          "application/json-patch-query+json",
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await client.patch(mine.sync.productId, [
          { op: "replace", path: "/relatedParty/0/id", value: mine.sync.accountId },
        ])
      ).status,
    ).toBe(400);
    const batch = await client.call("PATCH", "/product", {
      body: {
        productIdList: [`${mine.sync.productId}-simCard`],
        request: { method: "PATCH", body: [{ op: "replace", path: "/status", value: "SUSPENDED" }] },
      },
    });
    expect(batch.status).toBe(202);
    expect(batch.body.response[0]).toMatchObject({ state: "FAILED" });
    expect(batch.body.errors[0].status).toBe(404);
    expect(await platformStatus(server.sim, "JASPER", mine.sync.nativeId)).toBe("ACTIVE");
    const own = await clients[owner].get(`/product/${mine.sync.productId}-simCard`);
    expect(own.body.customProperty).toEqual([
      { name: "owner", value: owner },
      { name: "batch", value: owner },
    ]);
  });
});

describe("tenant isolation at the base path", () => {
  it("refuses a tenant that does not exist, and a token for no tenant of the path", async () => {
    const res = await server.request(`${BASE_PATH}/nobody/product`, {
      headers: { authorization: `Bearer ${await clients.eos.token()}` },
    });
    expect(res.status).toBe(403);
  });
});
