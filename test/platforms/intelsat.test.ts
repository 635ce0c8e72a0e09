import { beforeEach, describe, expect, it } from "vitest";
import type { IntelsatTerminal } from "../../simulators/intelsat/model.js";
import { OPERATION_RETENTION_MS, type PlatformRuntime } from "../../simulators/shared/runtime.js";
import type { PlatformProfileInput } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { QUIET, startServer } from "../helpers/server.js";
import { expectInvalidClient } from "./oauth-support.js";
import { activationScript, characteristicNames, expectActivation } from "./terminal-support.js";

const START = Date.UTC(2026, 5, 1, 12);
const API = "/platforms/intelsat/iot/v1";
const MINUTE = 60_000;

type Page = { terminals: IntelsatTerminal[] };
type Accepted = { orderId: string };
type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

/** A caller of INTELSAT's native API as an integrator would write one: token first, then bearer calls. */
function intelsatCaller(fetcher: Fetch, runtime: PlatformRuntime) {
  const account = [...runtime.accounts.values()].find((a) => a.tenant === "eos")!;
  const token = (secret = account.secret) =>
    fetcher(`${API}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: account.username,
        client_secret: secret,
      }).toString(),
    });
  const call = async (path: string, method = "GET") => {
    const { access_token } = (await (await token()).json()) as { access_token: string };
    return fetcher(`${API}${path}`, { method, headers: { authorization: `Bearer ${access_token}` } });
  };
  const json = async <T = Record<string, unknown>>(path: string, method = "GET") =>
    (await call(path, method)).json() as Promise<T>;
  const firstIn = async (status: string) =>
    (await runtime.listDevices(account.id, 0, 100)).find((d) => d.nativeStatus === status)!.record.nativeId;
  return { account, token, call, json, firstIn };
}

const clock = new VirtualClock(START);
const server = await startServer({ platforms: { INTELSAT: { profile: QUIET } } }, { clock });
const runtime = server.sim.world.platform("INTELSAT")!.runtime;
const native = intelsatCaller(server.request, runtime);

describe("INTELSAT native API", () => {
  beforeEach(() => server.sim.reset());

  it("issues OAuth2 client-credentials tokens and refuses a bad secret as RFC 6749 says", async () => {
    const ok = await native.token();
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toEqual({
      access_token: expect.stringMatching(/^intelsat_/),
      token_type: "Bearer",
      expires_in: 3600,
      scope: "terminals orders",
    });
    await expectInvalidClient(await native.token("wrong"));
  });

  it("answers 401 in its {code, message, traceId} envelope, the trace id echoed in X-Trace-Id", async () => {
    const res = await server.request(`${API}/terminals`, { headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { traceId: string };
    expect(body).toEqual({
      code: "UNAUTHORIZED",
      message: "Invalid access token",
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(res.headers.get("x-trace-id")).toBe(body.traceId);
  });

  it("reads a terminal in INTELSAT's shape and answers TERMINAL_NOT_FOUND for an unknown one", async () => {
    const device = (await runtime.listDevices(native.account.id, 0, 100)).find(
      (d) => d.nativeStatus === "ACTIVE",
    )!;
    const r = device.record;
    const res = await native.call(`/terminals/${r.nativeId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      terminalId: r.nativeId,
      serialNumber: r.imei.slice(4, 14),
      name: r.terminal!.name,
      modemType: r.terminal!.model,
      antennaCode: r.terminal!.antennaCode,
      servicePlan: r.ratePlan,
      status: "ACTIVE",
      pendingOrderId: null,
      beamId: expect.stringMatching(/^(IS-18|IS-35e|IS-37e|IS-33e|Horizons-3e)-B\d{2}$/),
      mobilityType: r.terminal!.mobilityType,
      location: { latitude: r.terminal!.latitude, longitude: r.terminal!.longitude },
      vessel:
        r.terminal!.mobilityType === "Maritime"
          ? { imoNumber: r.terminal!.imoNumber, mmsi: r.terminal!.mmsi }
          : null,
      lastSeen: new Date(device.updatedAt).toISOString(),
      activatedAt: new Date(device.activatedAt!).toISOString(),
      provisionedAt: new Date(r.addedAt).toISOString(),
      updatedAt: new Date(device.updatedAt).toISOString(),
      usage: {
        periodStart: new Date(r.usageSince).toISOString(),
        periodEnd: new Date(clock.now()).toISOString(),
        dataBytes: r.usageBytes,
      },
    });
    expect(r.nativeId).toMatch(/^\d{7}$/);
    const missing = await native.call("/terminals/1000000");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      code: "TERMINAL_NOT_FOUND",
      message: "Terminal 1000000 not found",
    });
  });

  it("pages the terminal list by offset and limit, with the total", async () => {
    const page = await native.json<Page>("/terminals?offset=90&limit=20");
    expect(page).toMatchObject({ offset: 90, limit: 20, total: 100 });
    expect(page.terminals).toHaveLength(10);
    expect(page.terminals[0]!.terminalId).toBe(
      (await runtime.listDevices(native.account.id, 90, 1))[0]!.record.nativeId,
    );
    const first = await native.json<Page>("/terminals");
    expect(first).toMatchObject({ offset: 0, limit: 20, total: 100 });
    expect(first.terminals).toHaveLength(20);
    const tooMany = await native.call("/terminals?limit=101");
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({
      code: "VALIDATION_ERROR",
      message: "limit must be between 1 and 100",
    });
  });

  it("activates through an order that runs SUBMITTED → IN_PROGRESS → COMPLETED on the clock", async () => {
    const id = await native.firstIn("PROVISIONED");
    const accepted = await native.call(`/terminals/${id}/actions/activate`, "POST");
    expect(accepted.status).toBe(202);
    const { orderId, status } = (await accepted.json()) as { orderId: string; status: string };
    expect(orderId).toMatch(/^ORD-\d{8}-\d{6}$/);
    expect(status).toBe("SUBMITTED");
    expect(await native.json(`/terminals/${id}`)).toMatchObject({
      status: "PENDING_ACTIVATION",
      pendingOrderId: orderId,
      activatedAt: null,
    });

    const plan = (await runtime.getOperation(orderId))!.plan;
    expect(plan.outcome).toBe("succeeded");
    await clock.advanceTo(plan.stages[0]!.endsAt);
    expect(await native.json(`/orders/${orderId}`)).toMatchObject({
      status: "IN_PROGRESS",
      completedAt: null,
    });
    await clock.advanceTo(plan.endsAt);
    const done = await native.json(`/orders/${orderId}`);
    expect(done).toEqual({
      orderId,
      terminalId: id,
      action: "activate",
      status: "COMPLETED",
      submittedAt: new Date(plan.startedAt).toISOString(),
      updatedAt: new Date(plan.endsAt).toISOString(),
      completedAt: new Date(plan.endsAt).toISOString(),
    });
    expect(await native.json(`/terminals/${id}`)).toMatchObject({
      status: "ACTIVE",
      pendingOrderId: null,
      activatedAt: new Date(plan.endsAt).toISOString(),
      beamId: expect.any(String),
    });
  });

  it("ends a failed order in FAILED with its error, the terminal back where it was", async () => {
    await runtime.setProfileOverride({
      asyncTimeline: [
        { state: "SUBMITTED", duration: 1_000 },
        { state: "IN_PROGRESS", duration: 5 * MINUTE, failureRate: 1 },
      ],
    });
    const id = await native.firstIn("ACTIVE");
    const { orderId } = await native.json<Accepted>(`/terminals/${id}/actions/suspend`, "POST");
    // A suspension has no transitional status: the terminal reads ACTIVE, with the order noted.
    expect(await native.json(`/terminals/${id}`)).toMatchObject({
      status: "ACTIVE",
      pendingOrderId: orderId,
    });
    await clock.advance(5 * MINUTE + 1_000);
    expect(await native.json(`/orders/${orderId}`)).toMatchObject({
      status: "FAILED",
      error: {
        code: "PROVISIONING_FAILED",
        message: `The satellite network did not confirm the suspend of terminal ${id}`,
      },
    });
    expect(await native.json(`/terminals/${id}`)).toMatchObject({ status: "ACTIVE", pendingOrderId: null });
  });

  it("refuses an action the terminal's status does not allow with 409 INVALID_STATE_TRANSITION", async () => {
    const active = await native.firstIn("ACTIVE");
    const resume = await native.call(`/terminals/${active}/actions/resume`, "POST");
    expect(resume.status).toBe(409);
    expect(await resume.json()).toEqual({
      code: "INVALID_STATE_TRANSITION",
      message: "Action resume is not allowed for a terminal in status ACTIVE",
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const { orderId } = await native.json<Accepted>(`/terminals/${active}/actions/suspend`, "POST");
    const again = await native.call(`/terminals/${active}/actions/deactivate`, "POST");
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      code: "ORDER_IN_PROGRESS",
      message: `Terminal ${active} has order ${orderId} in progress`,
    });
    const unknown = await native.call(`/terminals/${active}/actions/reboot`, "POST");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      code: "UNSUPPORTED_ACTION",
      message: "Unknown action reboot; expected one of activate, resume, suspend, deactivate",
    });
    const noOrder = await native.call("/orders/ORD-20260601-999999");
    expect(noOrder.status).toBe(404);
    expect(await noOrder.json()).toMatchObject({ code: "ORDER_NOT_FOUND" });
  });

  it("answers 429 with Retry-After past 5 requests per second", async () => {
    await runtime.setProfileOverride({
      rateLimits: [{ name: "second", limit: 5, windowMs: 1000, algorithm: "fixed-window" }],
    });
    await clock.advanceTo(Math.ceil(clock.now() / 1000) * 1000);
    const { access_token } = (await (await native.token()).json()) as { access_token: string };
    const answers: Response[] = [];
    for (let i = 0; i < 7; i++) {
      answers.push(
        await server.request(`${API}/terminals?limit=1`, {
          headers: { authorization: `Bearer ${access_token}` },
        }),
      );
    }
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(answers[5]!.headers.get("retry-after")).toBe("1");
    expect(await answers[5]!.json()).toMatchObject({
      code: "RATE_LIMIT_EXCEEDED",
      message: "Rate limit exceeded: 5 requests per second",
    });
    await clock.advance(1000);
    expect(
      (
        await server.request(`${API}/terminals?limit=1`, {
          headers: { authorization: `Bearer ${access_token}` },
        })
      ).status,
    ).toBe(200);
  });
});

describe("INTELSAT completion on a virtual clock", () => {
  function simulator(profile: PlatformProfileInput) {
    const sim = createSimulator(
      { platforms: { INTELSAT: { profile: { ...QUIET, ...profile } } } },
      { clock: new VirtualClock(START), applyLatency: false },
    );
    const runtime = sim.world.platform("INTELSAT")!.runtime;
    const fetcher: Fetch = async (path, init) => sim.fetch(new Request(`http://cmo-sim.test${path}`, init));
    return { clock: sim.clock as VirtualClock, runtime, native: intelsatCaller(fetcher, runtime) };
  }

  /** Starts an activation and checks the order is still running 1 ms before its end and done at it. */
  async function activateAndWatch({ clock, runtime, native }: ReturnType<typeof simulator>) {
    const id = await native.firstIn("PROVISIONED");
    const { orderId } = await native.json<Accepted>(`/terminals/${id}/actions/activate`, "POST");
    const operation = (await runtime.getOperation(orderId))!;
    await clock.advanceTo(operation.plan.endsAt - 1);
    expect((await native.json(`/orders/${orderId}`)).status).toBe("IN_PROGRESS");
    expect((await native.json(`/terminals/${id}`)).status).toBe("PENDING_ACTIVATION");
    await clock.advance(1);
    expect(clock.now()).toBe(operation.plan.endsAt);
    return { id, orderId, operation };
  }

  it("completes a fixed 15-minute activation at exactly 15 minutes, with no wall time spent", async () => {
    const sim = simulator({
      asyncTimeline: [
        { state: "SUBMITTED", duration: { type: "fixed", milliseconds: 30_000 } },
        { state: "IN_PROGRESS", duration: { type: "fixed", milliseconds: 870_000 } },
      ],
    });
    const { id, orderId, operation } = await activateAndWatch(sim);
    expect(operation.plan.endsAt - operation.plan.startedAt).toBe(15 * MINUTE);
    expect(await sim.native.json(`/orders/${orderId}`)).toMatchObject({
      status: "COMPLETED",
      completedAt: new Date(START + 15 * MINUTE).toISOString(),
    });
    expect((await sim.native.json(`/terminals/${id}`)).status).toBe("ACTIVE");
  });

  it("keeps a finished order readable for a day after it ends, then answers ORDER_NOT_FOUND", async () => {
    const sim = simulator({});
    const { orderId, operation } = await activateAndWatch(sim);
    await sim.clock.advanceTo(operation.plan.endsAt + OPERATION_RETENTION_MS - 1);
    expect((await sim.native.json(`/orders/${orderId}`)).status).toBe("COMPLETED");
    const saved = await sim.runtime.snapshot();
    await sim.clock.advance(1);
    const gone = await sim.native.call(`/orders/${orderId}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: "ORDER_NOT_FOUND" });
    expect((await sim.runtime.snapshot()).operations).toEqual([]);
    // A state saved while the order was still kept lets it go as soon as it is restored past its time.
    await sim.runtime.restore(saved);
    expect((await sim.native.call(`/orders/${orderId}`)).status).toBe(404);
  });

  it("completes a sampled activation at exactly the end its plan drew", async () => {
    const sim = simulator({});
    const { id, orderId, operation } = await activateAndWatch(sim);
    const took = operation.plan.endsAt - operation.plan.startedAt;
    expect(took % 1000).not.toBe(0);
    expect(took).toBeGreaterThan(MINUTE / 2);
    expect(took).toBeLessThan(30 * MINUTE);
    expect(operation.plan.outcome).toBe("succeeded");
    expect((await sim.native.json(`/orders/${orderId}`)).status).toBe("COMPLETED");
    expect((await sim.native.json(`/terminals/${id}`)).status).toBe("ACTIVE");
  });
});

describe("INTELSAT CMO adapter", () => {
  it("gives identical results in-process and over HTTP, polling an activation to DONE", async () => {
    const { inProcess, http } = await runOverBothTransports(
      "INTELSAT",
      { platforms: { INTELSAT: { profile: QUIET } } },
      async (h) => {
        const { account, inactive, after, outcomes } = await activationScript(h, [95, 10], 150);
        return {
          ...outcomes,
          invalid: await h.adapter.changeStatus(account, after.ok ? after.value : inactive, "ACTIVE"),
          missing: await h.adapter.get(account, "1000000"),
          transfer: await h.adapter.transfer(account, inactive, account),
        };
      },
    );
    expect(inProcess.total).toBe(100);
    expect(inProcess.ids).toHaveLength(5);
    expect(inProcess.allIds).toHaveLength(100);
    expect(inProcess.allIds.slice(95)).toEqual(inProcess.ids);
    expect(inProcess.read).toMatchObject({
      ok: true,
      value: { status: "INACTIVE", nativeStatus: "PROVISIONED", startDate: expect.any(String) },
    });
    expect(characteristicNames(inProcess.read)).toEqual(
      "serialNumber name latitude longitude model state mobilityType imoNumber mmsi antennaCode lastUpdated lastSync beamId modemSerialNumber".split(
        " ",
      ),
    );
    expect(inProcess.ticket).toMatch(/^ORD-/);
    expectActivation(inProcess, "PENDING_ACTIVATION");
    expect(inProcess.invalid).toMatchObject({
      ok: false,
      failure: { kind: "invalid-transition", status: 409 },
    });
    expect(inProcess.missing).toMatchObject({ ok: false, failure: { kind: "not-found", status: 404 } });
    expect(inProcess.transfer).toMatchObject({ ok: false, failure: { kind: "invalid-transition" } });
    expect(http).toEqual(inProcess);
  });
});
