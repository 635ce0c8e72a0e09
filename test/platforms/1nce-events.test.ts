import { beforeEach, describe, expect, it } from "vitest";
import { onceServer } from "./1nce-support.js";

// SIM events as 1NCE documents them (v1 envelope, v2 array), and everything the API changed
// surviving a snapshot of the simulator.
const { server, clock, account, signIn, fresh, call, json } = await onceServer();

interface Sim {
  iccid: string;
  ip_address: string;
  msisdn: string;
  status: string;
  label: string;
  imei_lock: boolean;
}
interface EventV1 {
  timestamp: string;
  event_type: string;
  iccid: string;
  alert: boolean;
  event_severity: string;
}

beforeEach(fresh);

const enabledSim = async () =>
  (await json<Sim[]>(await call("GET", "/v1/sims?pageSize=100"))).find((s) => s.status === "Enabled")!;

/** Three changes a second apart: status, label, IMEI lock. */
async function changeThreeTimes(sim: Sim): Promise<void> {
  await call("PUT", `/v1/sims/${sim.iccid}`, { iccid: sim.iccid, status: "Disabled" });
  await clock.advance(1000);
  await call("PUT", `/v2/sims/${sim.iccid}`, { label: "tracker-42" });
  await clock.advance(1000);
  await call("PUT", `/v2/sims/${sim.iccid}`, { imei_lock: true });
}

describe("1NCE SIM events", () => {
  it("v1: an envelope with totals and paging headers; one event per change made", async () => {
    const sim = await enabledSim();
    const untouched = await call("GET", `/v1/sims/${sim.iccid}/events`);
    expect(await json(untouched)).toEqual({ events: [], totalEvents: 0, totalPages: 0 });
    await changeThreeTimes(sim);
    // Setting what is already set is no change, and no event.
    await call("PUT", `/v1/sims/${sim.iccid}`, { status: "Disabled", label: "tracker-42" });

    const res = await call("GET", `/v1/sims/${sim.iccid}/events`);
    const body = await json<{ events: EventV1[]; totalEvents: number; totalPages: number }>(res);
    expect(body.events.map((e) => e.event_type)).toEqual([
      "Status of SIM changed from 'Enabled' to 'Disabled'",
      `Label of SIM changed from '${sim.label}' to 'tracker-42'`,
      "IMEI lock of SIM enabled",
    ]);
    expect(body).toMatchObject({ totalEvents: 3, totalPages: 1 });
    expect(body.events[0]).toEqual({
      timestamp: new Date(clock.now() - 2000).toISOString().replace("Z", "+0000"),
      event_type: expect.any(String),
      iccid: sim.iccid,
      imei: expect.any(String),
      imsi: expect.any(String),
      alert: false,
      event_severity: "Info",
    });
    expect(res.headers.get("x-total-count")).toBe("3");
    expect(res.headers.get("x-total-pages")).toBe("1");

    const second = await call("GET", `/v1/sims/${sim.iccid}/events?page=2&pageSize=1`);
    expect(await json(second)).toMatchObject({
      events: [{ event_type: expect.stringMatching(/^Label/) }],
      totalEvents: 3,
      totalPages: 3,
    });
    expect(second.headers.get("x-current-page")).toBe("2");
    const newest = await json<{ events: EventV1[] }>(
      await call("GET", `/v1/sims/${sim.iccid}/events?sort=-timestamp`),
    );
    expect(newest.events[0]!.event_type).toBe("IMEI lock of SIM enabled");
    for (const query of ["sort=severity", "pageSize=1001", "pageSize=0", "page=0"])
      expect(
        await json(await call("GET", `/v1/sims/${sim.iccid}/events?${query}`), 400),
        query,
      ).toMatchObject({
        error_token: "BadRequest",
      });
  });

  it("v2: a bare array of Event objects, without sort", async () => {
    const sim = await enabledSim();
    await changeThreeTimes(sim);
    await call("POST", `/v2/sims/${sim.iccid}/sms`, { payload: "ping" });
    const events = await json<Array<Record<string, any>>>(await call("GET", `/v2/sims/${sim.iccid}/events`));
    expect(events).toHaveLength(4);
    expect(events[0]).toEqual({
      id: expect.any(Number),
      event_type: { id: expect.any(Number), description: expect.any(String) },
      timestamp: new Date(clock.now() - 2000).toISOString(),
      alert: false,
      user: account.username,
      description: "Status of SIM changed from 'Enabled' to 'Disabled'",
      event_source: { id: expect.any(Number), description: "API" },
      event_severity: { id: 0, description: "INFO" },
      organisation: { id: Number(account.id), name: account.name },
      endpoint: {
        id: expect.any(Number),
        name: "tracker-42",
        ip_address: sim.ip_address,
        imei: expect.any(String),
      },
      sim: { id: expect.any(Number), iccid: sim.iccid, msisdn: sim.msisdn },
      imsi: { id: expect.any(Number), imsi: expect.any(String) },
    });
    expect(events[3]!.description).toMatch(/^MT-SMS \d+ submitted$/);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(
      await json<unknown[]>(await call("GET", `/v2/sims/${sim.iccid}/events?page=2&pageSize=3`)),
    ).toHaveLength(1);
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/events?sort=-id`), 400)).toMatchObject({
      error_token: "BadRequest",
    });
    expect((await call("GET", "/v2/sims/8988228066000000000/events")).status).toBe(404);
  });
});

describe("1NCE state in a snapshot", () => {
  it("GET then PUT /_sim/snapshot keeps edits, SMS, events and the bulk queue, and time moves them on", async () => {
    const sim = await enabledSim();
    await changeThreeTimes(sim);
    await call("PUT", `/v1/sims/${sim.iccid}`, { status: "Enabled" });
    const status = await json<{ status: { description: string } }>(
      await call("GET", `/v2/sims/${sim.iccid}/status`),
    );
    const sms = await json<{ id: string }>(
      await call("POST", `/v2/sims/${sim.iccid}/sms`, { payload: "kept" }),
      201,
    );
    const queued = await call("POST", "/v1/sims", [
      { iccid: sim.iccid, status: "Enabled", label: "from-the-queue" },
    ]);
    expect(queued.status).toBe(201);
    const events = await json(await call("GET", `/v2/sims/${sim.iccid}/events`));

    const saved = await (await server.admin("GET", "/snapshot")).json();
    expect((await server.admin("POST", "/reset", {})).ok).toBe(true);
    await signIn();
    expect(await json<Sim>(await call("GET", `/v1/sims/${sim.iccid}`))).toMatchObject({
      label: sim.label,
      imei_lock: false,
    });
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/sms`))).toEqual([]);

    expect((await server.admin("PUT", "/snapshot", saved)).ok).toBe(true);
    await signIn();
    expect(await json<Sim>(await call("GET", `/v1/sims/${sim.iccid}`))).toMatchObject({
      label: "tracker-42",
      imei_lock: true,
      status: "Enabled",
    });
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/events`))).toEqual(events);
    const [restored] = await json<Array<{ id: number; status: { description: string } }>>(
      await call("GET", `/v2/sims/${sim.iccid}/sms`),
    );
    expect(restored).toMatchObject({ id: Number(sms.id), status: { description: "PENDING" } });
    expect(
      (await json<{ volume: number }>(await call("GET", `/v1/sims/${sim.iccid}/quota/sms`))).volume,
    ).toBe(249);

    await clock.advance(30_000);
    expect((await json<Sim>(await call("GET", `/v1/sims/${sim.iccid}`))).label).toBe("from-the-queue");
    const after = await json<{ status: { description: string } }>(
      await call("GET", `/v2/sims/${sim.iccid}/sms/${sms.id}`),
    );
    expect(after.status.description).toBe(status.status.description === "OFFLINE" ? "PENDING" : "DELIVERED");
  });
});
