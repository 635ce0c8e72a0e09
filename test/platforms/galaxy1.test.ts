import { beforeEach, describe, expect, it } from "vitest";
import type { Galaxy1Terminal } from "../../simulators/galaxy1/model.js";
import type { PlatformRuntime } from "../../simulators/shared/runtime.js";
import { TERMINAL_CHARACTERISTICS } from "../../simulators/shared/terminal-view.js";
import type { ConfigInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { QUIET, startServer } from "../helpers/server.js";
import { expectInvalidClient } from "./oauth-support.js";
import { activationScript, characteristicNames, expectActivation } from "./terminal-support.js";

type Page = { terminals: Galaxy1Terminal[]; next: string | null; totalCount: number };

const START = Date.UTC(2026, 5, 1, 12);
const API = "/platforms/galaxy1/api/v1";
const PROBLEMS = "https://galaxy1.viasat.example/problems/";
const MINUTE = 60_000;

const clock = new VirtualClock(START);
const server = await startServer({ platforms: { GALAXY1: { profile: QUIET } } }, { clock });
const runtime = server.sim.world.platform("GALAXY1")!.runtime;
const accountOf = (tenant: string) => [...runtime.accounts.values()].find((a) => a.tenant === tenant)!;
const account = accountOf("eos");

function token(who = account, secret = who.secret): Promise<Response> {
  return server.request("/platforms/galaxy1/oauth2/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: who.username,
      client_secret: secret,
    }).toString(),
  });
}

async function call(path: string, init: { method?: string; json?: unknown; who?: typeof account } = {}) {
  const { access_token } = (await (await token(init.who)).json()) as { access_token: string };
  return server.request(`${API}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${access_token}`,
      ...(init.json === undefined ? {} : { "content-type": "application/merge-patch+json" }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
}

const json = async <T = Record<string, unknown>>(path: string, init?: Parameters<typeof call>[1]) =>
  (await call(path, init)).json() as Promise<T>;
const patch = (id: string, status: string) => call(`/terminals/${id}`, { method: "PATCH", json: { status } });
const firstIn = async (status: string, rt: PlatformRuntime = runtime) =>
  (await rt.listDevices(account.id, 0, 100)).find((d) => d.nativeStatus === status)!.record.nativeId;
const planOf = async (id: string) =>
  (await runtime.getOperation((await runtime.findDevice(account.id, id))!.pendingOperation!))!.plan;

describe("GALAXY1 native API", () => {
  beforeEach(() => server.sim.reset());

  it("issues OAuth2 client-credentials tokens and refuses a bad secret as RFC 6749 says", async () => {
    const ok = await token();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      access_token: expect.stringMatching(/^galaxy1_/),
      token_type: "Bearer",
      expires_in: 1800,
    });
    await expectInvalidClient(await token(account, "wrong"));
  });

  it("answers 401 as an RFC 7807 problem with a Bearer challenge", async () => {
    const res = await server.request(`${API}/terminals`, { headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer realm="galaxy1", error="invalid_token", error_description="Invalid access token"',
    );
    expect(await res.json()).toEqual({
      type: `${PROBLEMS}unauthorized`,
      title: "Unauthorized",
      status: 401,
      detail: "Invalid access token",
      instance: "/api/v1/terminals",
    });
    const bare = await server.request(`${API}/terminals`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe('Bearer realm="galaxy1"');
  });

  it("reads a terminal in GALAXY1's shape and answers 404 as a problem", async () => {
    const device = (await runtime.listDevices(account.id, 0, 100)).find((d) => d.nativeStatus === "ACTIVE")!;
    const r = device.record;
    const t = r.terminal!;
    expect(r.nativeId).toMatch(/^VT\d{9}$/);
    expect(await json(`/terminals/${r.nativeId}`)).toEqual({
      terminalId: r.nativeId,
      imei: r.imei,
      serviceType: { Fixed: "FIXED", Maritime: "MARITIME", "Land mobile": "LAND_MOBILE" }[t.mobilityType],
      status: "ACTIVE",
      plan: r.ratePlan,
      lastRegistration: new Date(device.updatedAt).toISOString(),
      label: t.name,
      model: t.model,
      antennaCode: t.antennaCode,
      position: { lat: t.latitude, lon: t.longitude },
      vessel: t.mobilityType === "Maritime" ? { imo: t.imoNumber, mmsi: t.mmsi } : null,
      createdAt: new Date(r.addedAt).toISOString(),
      activatedAt: new Date(device.activatedAt!).toISOString(),
      updatedAt: new Date(device.updatedAt).toISOString(),
      usage: {
        from: new Date(r.usageSince).toISOString(),
        to: new Date(clock.now()).toISOString(),
        kilobytes: r.usageBytes / 1024,
      },
    });
    const missing = await call("/terminals/VT000000000");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(await missing.json()).toEqual({
      type: `${PROBLEMS}not-found`,
      title: "Resource not found",
      status: 404,
      detail: "Terminal VT000000000 does not exist",
      instance: "/api/v1/terminals/VT000000000",
    });
  });

  it("pages the list with opaque, deterministic cursors bound to the caller", async () => {
    const first = await json<Page>("/terminals?limit=40");
    expect(first.totalCount).toBe(100);
    expect(first.terminals).toHaveLength(40);
    expect(first.next).toMatch(/^[\w-]+$/);
    expect((await json<Page>("/terminals?limit=40")).next).toBe(first.next);
    const second = await json<Page>(`/terminals?limit=40&cursor=${first.next}`);
    expect(second.terminals[0]!.terminalId).toBe(
      (await runtime.listDevices(account.id, 40, 1))[0]!.record.nativeId,
    );
    const last = await json<Page>(`/terminals?limit=40&cursor=${second.next}`);
    expect(last.terminals).toHaveLength(20);
    expect(last.next).toBeNull();
    expect((await json<Page>("/terminals")).terminals).toHaveLength(25);

    const forged = await call(`/terminals?cursor=${Buffer.from("40.AAAAAAAAAAAA").toString("base64url")}`);
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({
      type: `${PROBLEMS}invalid-request`,
      detail: "cursor is not one this API issued to you",
    });
    const foreign = await call(`/terminals?cursor=${first.next}`, { who: accountOf("acme") });
    expect(foreign.status).toBe(400);
    expect((await call("/terminals?limit=101")).status).toBe(400);
  });

  it("activates through ACTIVATING and suspends through SUSPENDING, exactly when the plan ends", async () => {
    const id = await firstIn("INACTIVE");
    const accepted = await patch(id, "ACTIVE");
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ terminalId: id, status: "ACTIVATING", activatedAt: null });
    const activation = await planOf(id);
    expect(activation.outcome).toBe("succeeded");
    await clock.advanceTo(activation.endsAt - 1);
    expect((await json(`/terminals/${id}`)).status).toBe("ACTIVATING");
    await clock.advance(1);
    expect(await json(`/terminals/${id}`)).toMatchObject({
      status: "ACTIVE",
      activatedAt: new Date(activation.endsAt).toISOString(),
      lastRegistration: new Date(activation.endsAt).toISOString(),
    });

    const suspending = await patch(id, "SUSPENDED");
    expect(suspending.status).toBe(202);
    expect((await suspending.json()).status).toBe("SUSPENDING");
    await clock.advanceTo((await planOf(id)).endsAt);
    expect((await json(`/terminals/${id}`)).status).toBe("SUSPENDED");
    const unchanged = await patch(id, "SUSPENDED");
    expect(unchanged.status).toBe(200);
    expect((await unchanged.json()).status).toBe("SUSPENDED");
  });

  it("falls back to the old status when a change fails", async () => {
    await runtime.setProfileOverride({
      asyncTimeline: [{ state: "PROVISIONING", duration: 3 * MINUTE, failureRate: 1 }],
    });
    const id = await firstIn("SUSPENDED");
    expect((await (await patch(id, "ACTIVE")).json()).status).toBe("ACTIVATING");
    await clock.advance(3 * MINUTE);
    expect((await json(`/terminals/${id}`)).status).toBe("SUSPENDED");
  });

  it("refuses a transition its states do not allow with 422, and a second change with 409", async () => {
    const inactive = await firstIn("INACTIVE");
    const invalid = await patch(inactive, "SUSPENDED");
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("content-type")).toBe("application/problem+json");
    expect(await invalid.json()).toEqual({
      type: `${PROBLEMS}invalid-status-transition`,
      title: "Status transition not allowed",
      status: 422,
      detail: "Status change from INACTIVE to SUSPENDED is not allowed",
      instance: `/api/v1/terminals/${inactive}`,
    });
    expect((await patch(await firstIn("ACTIVE"), "DEACTIVATED")).status).toBe(422);
    await patch(inactive, "ACTIVE");
    const busy = await patch(inactive, "ACTIVE");
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({
      type: `${PROBLEMS}transition-in-progress`,
      detail: `Terminal ${inactive} is ACTIVATING; wait until that change completes`,
    });
    const readOnly = await call(`/terminals/${inactive}`, {
      method: "PATCH",
      json: { status: "ACTIVE", plan: "x" },
    });
    expect(readOnly.status).toBe(400);
    expect(await readOnly.json()).toMatchObject({ detail: "Only status can be changed; read-only: plan" });
  });

  it("answers 429 with Retry-After and RateLimit-* headers when the minute's bucket is empty", async () => {
    await runtime.setProfileOverride({
      rateLimits: [{ name: "minute", limit: 3, windowMs: MINUTE, algorithm: "token-bucket" }],
    });
    const { access_token } = (await (await token()).json()) as { access_token: string };
    const answers: Response[] = [];
    for (let i = 0; i < 4; i++) {
      answers.push(
        await server.request(`${API}/terminals?limit=1`, {
          headers: { authorization: `Bearer ${access_token}` },
        }),
      );
    }
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((r) => r.headers.get("ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
    expect(answers.map((r) => r.headers.get("ratelimit-reset"))).toEqual(["20", "40", "60", "60"]);
    expect(answers[0]!.headers.get("ratelimit-limit")).toBe("3");
    const refused = answers[3]!;
    expect(refused.headers.get("retry-after")).toBe("20");
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({
      type: `${PROBLEMS}rate-limit-exceeded`,
      status: 429,
      detail: "Rate limit exceeded: 3 requests per minute",
    });
  });
});

const LARGE: ConfigInput = {
  tenants: [
    { id: "eos", accounts: [{ platform: "GALAXY1", id: "100190101", name: "GALAXY1_EOS_1", size: 250 }] },
  ],
  platforms: { GALAXY1: { profile: QUIET } },
};

describe("GALAXY1 CMO adapter", () => {
  it("walks each cursor once and reuses it for later windows", async () => {
    const sim = createSimulator(LARGE, { clock: new VirtualClock(START), applyLatency: false });
    const adapter = sim.world.platform("GALAXY1")!.adapter;
    const rt = sim.world.platform("GALAXY1")!.runtime;
    const own = [...rt.accounts.values()][0]!;
    const listCalls = async () =>
      (await sim.journal.find({ platform: "GALAXY1" })).filter((e) => e.path.endsWith("/api/v1/terminals"))
        .length;
    const window = await adapter.list(own, 220, 20);
    expect(window.ok && window.value.items.map((d) => d.nativeId)).toEqual(
      (await rt.listDevices(own.id, 220, 20)).map((d) => d.record.nativeId),
    );
    expect(await listCalls()).toBe(3);
    const later = await adapter.list(own, 230, 5);
    expect(later.ok && later.value.total).toBe(250);
    expect(await listCalls()).toBe(4);
  });

  it("gives identical results in-process and over HTTP, polling changes to DONE and FAILED", async () => {
    const { inProcess, http } = await runOverBothTransports("GALAXY1", LARGE, async (h) => {
      const { account, devices, inactive, outcomes } = await activationScript(h, [195, 10], 250);
      const suspended = devices.find((d) => d.status === "SUSPENDED")!;
      await h.runtime.setProfileOverride({
        asyncTimeline: [{ state: "PROVISIONING", duration: MINUTE, failureRate: 1 }],
      });
      const resume = await h.adapter.changeStatus(account, suspended, "ACTIVE");
      if (!resume.ok || resume.value.mode !== "pending") throw new Error("expected a pending resume");
      await h.advance(MINUTE);
      const failedPoll = await h.adapter.poll(account, resume.value.ticket);
      const otherInactive = devices.find((d) => d.status === "INACTIVE" && d.nativeId !== inactive.nativeId)!;
      return {
        ...outcomes,
        failedPoll: failedPoll.ok && failedPoll.value,
        invalid: await h.adapter.changeStatus(account, otherInactive, "SUSPENDED"),
        missing: await h.adapter.get(account, "VT000000000"),
      };
    });
    expect(inProcess.total).toBe(250);
    expect(inProcess.ids).toEqual(inProcess.allIds.slice(195, 205));
    expect(inProcess.allIds).toHaveLength(250);
    expect(inProcess.read).toMatchObject({
      ok: true,
      value: {
        status: "INACTIVE",
        nativeStatus: "INACTIVE",
        startDate: expect.any(String),
        usage: expect.any(Object),
      },
    });
    expect(characteristicNames(inProcess.read)).toEqual([...TERMINAL_CHARACTERISTICS, "imei", "serviceType"]);
    expect(inProcess.ticket).toMatch(/^VT\d{9}@ACTIVE$/);
    expectActivation(inProcess, "ACTIVATING");
    expect(inProcess.failedPoll).toMatchObject({
      state: "FAILED",
      failure: {
        kind: "server-error",
        message: expect.stringMatching(/fell back to SUSPENDED instead of reaching ACTIVE$/),
      },
    });
    expect(inProcess.invalid).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 422 },
    });
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 404 } });
    expect(http).toEqual(inProcess);
  });
});
