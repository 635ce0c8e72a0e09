import { describe, expect, it } from "vitest";
import { RealClock, VirtualClock } from "../../src/engine/clock.js";
import { MAX_JSON_DEPTH } from "../../src/http/json-depth.js";
import { createSimulator } from "../../src/server/simulator.js";
import {
  BASE_PATH,
  CmoTestClient,
  deviceIn,
  JSON_PATCH_QUERY,
  platformStatus,
  TOKEN_PATH,
} from "../helpers/cmo.js";
import { basic, quietPlatforms, startServer } from "../helpers/server.js";

/** `[[[…]]]`, `depth` levels deep, as text (building it as a value would be the recursion we guard against). */
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

const clock = new VirtualClock(Date.UTC(2026, 6, 1, 10));
const server = await startServer({ platforms: quietPlatforms() }, { clock });
const client = new CmoTestClient(server.request);

/** The whole state, as the admin API exports it: proof that nothing changed, and that export still works. */
async function snapshot(): Promise<Record<string, unknown>> {
  const res = await server.request("/_sim/snapshot");
  expect(res.status).toBe(200);
  const { savedAt: _saved, random: _random, ...rest } = (await res.json()) as Record<string, unknown>;
  return rest;
}

describe("no 500 that changes state", () => {
  it("refuses an unknown field in a patch operation, however deep it nests, before anything changes", async () => {
    const before = await snapshot();
    const tmsp = await deviceIn(server.sim, "TMSP", "ACTIVE");
    const body = `[{"op":"replace","path":"/status","value":"SUSPENDED","extra":${nested(6000)}}]`;
    const res = await client.patch(`${tmsp.productId}-simCard`, body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe(
      `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels, the most this endpoint accepts`,
    );
    const shallow = await client.patch(`${tmsp.productId}-simCard`, [
      { op: "replace", path: "/status", value: "SUSPENDED", extra: 1 },
    ]);
    expect(shallow.status).toBe(400);
    expect(shallow.body.detail).toBe(
      "Operation 0: unknown field extra (an operation has op, path, value and from)",
    );
    expect(await snapshot()).toEqual(before);
    expect(await platformStatus(server.sim, "TMSP", tmsp.nativeId)).toBe("ACTIVE");
  });

  it("refuses a batch whose request nests too deep, with no product changed", async () => {
    const jasper = await deviceIn(server.sim, "JASPER", "SUSPENDED");
    const res = await client.call("PATCH", "/product", {
      type: "application/json",
      body: `{"productIdList":["${jasper.productId}-simCard"],"request":{"method":"PATCH","body":[{"op":"replace","path":"/status","value":"ACTIVE","x":${nested(5000)}}]}}`,
    });
    expect(res.status).toBe(400);
    expect(await platformStatus(server.sim, "JASPER", jasper.nativeId)).toBe("SUSPENDED");
  });

  it("keeps every native fake's bodies as shallow as the CMO's", async () => {
    const res = await server.request("/platforms/1nce/management-api/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic("x", "y") },
      body: `{"grant_type":"client_credentials","deep":${nested(5000)}}`,
    });
    expect(res.status).toBeLessThan(500);
  });

  it("answers percent-encoding that does not decode with 400", async () => {
    const token = await server.request(TOKEN_PATH, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Basic JQ==" },
      body: "grant_type=client_credentials",
    });
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({ error: "invalid_request" });
    const once = await deviceIn(server.sim, "1NCE", "ACTIVE");
    const res = await client.patch(
      `${once.productId}-simCard`,
      [{ op: "replace", path: "customProperty[name=%]/value", value: "x" }],
      JSON_PATCH_QUERY,
    );
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/not validly percent-encoded/);
  });

  it("refuses an inventory the numbering plan cannot hold, naming the most it can, and keeps the old one", async () => {
    const before = server.sim.world;
    const res = await server.admin("POST", "/inventory", { size: 200_000 });
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toContain(
      "TMUS's numbering plan holds at most 50,000 products per account, not 200,000",
    );
    expect(server.sim.world).toBe(before);
  });
});

describe("snapshots that cannot half-load", () => {
  const put = (document: unknown) => server.admin("PUT", "/snapshot", document);

  it("refuses a document deep inside, or pointing at what does not exist, and changes nothing", async () => {
    const good = await (await server.request("/_sim/snapshot")).json();
    const before = await snapshot();
    const platforms = good.platforms as Record<string, Record<string, unknown>>;
    const device = (await deviceIn(server.sim, "TMSP", "ACTIVE")).nativeId;
    const cases: Array<[unknown, RegExp]> = [
      [`{"kind":"cmo-sim-state","deep":${nested(100_000)}}`, /nests deeper than 64 levels/],
      [
        {
          ...good,
          platforms: {
            ...platforms,
            TMSP: { ...platforms.TMSP, overlays: { [device]: { nativeStatus: "ASLEEP" } } },
          },
        },
        /platforms\.TMSP\.overlays\.\d+\.nativeStatus: ASLEEP is not a TMSP status/,
      ],
      [
        {
          ...good,
          platforms: {
            ...platforms,
            TMSP: { ...platforms.TMSP, owners: { "89490200000000000000": "100100001" } },
          },
        },
        /TMSP has no device 89490200000000000000/,
      ],
      [
        { ...good, platforms: { ...platforms, TMSP: { ...platforms.TMSP, owners: { [device]: "999" } } } },
        /TMSP has no account 999/,
      ],
    ];
    for (const [document, detail] of cases) {
      const res =
        typeof document === "string"
          ? await server.request("/_sim/snapshot", {
              method: "PUT",
              headers: { "content-type": "application/json" },
              body: document,
            })
          : await put(document);
      expect(res.status).toBe(400);
      expect((await res.json()).detail).toMatch(detail);
      expect(await snapshot()).toEqual(before);
    }
  });

  it("takes back a snapshot larger than the everyday body limit (it has its own)", async () => {
    const small = await startServer({ platforms: quietPlatforms(), server: { bodyLimitBytes: 65_536 } });
    const ops = Array.from({ length: 100 }, (_, i) => ({
      op: "add",
      path: "/customProperty/-",
      value: { name: `p${i}`, value: "v".repeat(400) },
    }));
    const tagged = new CmoTestClient(small.request);
    for (let n = 0; n < 3; n++)
      expect(
        (
          await tagged.patch(
            `${(await deviceIn(small.sim, "1NCE", "ACTIVE", "eos", n)).productId}-simCard`,
            ops,
          )
        ).status,
      ).toBe(200);
    const text = await (await small.request("/_sim/snapshot")).text();
    expect(text.length).toBeGreaterThan(65_536);
    const res = await small.request("/_sim/snapshot", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: text,
    });
    expect(res.status).toBe(204);
  });
});

describe("durations past what a Node timer holds", () => {
  it("arms a far timer in steps: it does not fire at once", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    const real = new RealClock();
    let fired = false;
    real.schedule(2 ** 32, () => {
      fired = true;
    });
    const near = new Promise<void>((resolve) => real.schedule(30, resolve));
    await near;
    await new Promise((resolve) => setTimeout(resolve, 30));
    real.stop();
    process.off("warning", onWarning);
    expect(fired).toBe(false);
    expect(warnings).not.toContain("TimeoutOverflowWarning");
  });

  it("keeps a platform with a latency of 10^13 ms waiting, not answering in a few ms", async () => {
    const slow = await startServer(
      { platforms: { ...quietPlatforms(), "1NCE": { profile: { latency: 1e13 } } } },
      { applyLatency: true },
    );
    const sim = await deviceIn(slow.sim, "1NCE", "ACTIVE");
    const token = await new CmoTestClient(slow.request).token();
    // It used to answer in 7 ms: Node fired the over-long timeout at once.
    const answer = slow
      .request(`${BASE_PATH}/eos/product/${sim.productId}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(300),
      })
      .then(
        (res) => res.status,
        (error: Error) => error.name,
      );
    expect(await answer).toBe("TimeoutError");
  });
});

describe("native tokens", () => {
  it("cannot be worked out from the seed, nor used for another account", async () => {
    const first = async (sim: ReturnType<typeof createSimulator>, n: number) => {
      const runtime = sim.world.platform("TMSP")!.runtime;
      return (await runtime.issueToken([...runtime.accounts.values()][n]!)).token;
    };
    const a = createSimulator({ clock: "manual" });
    const b = createSimulator({ clock: "manual" });
    expect(await first(a, 0)).not.toBe(await first(b, 0));
    const token = await first(a, 1);
    const runtime = a.world.platform("TMSP")!.runtime;
    expect(await runtime.accountForToken(token)).toMatchObject({ id: [...runtime.accounts.keys()][1] });
    expect(await first(a, 0)).not.toBe(token);
  });
});
