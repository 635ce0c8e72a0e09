import { beforeEach, describe, expect, it } from "vitest";
import { onceServer } from "./1nce-support.js";

// MT-SMS as 1NCE documents them: send, list, read, cancel, their delivery status and the SMS quota.
const { clock, signIn, fresh, call, json } = await onceServer();

interface Sim {
  iccid: string;
  status: string;
  current_quota_SMS: number;
  quota_status_SMS: { id: number; threshold_reached_date: string | null; quota_exceeded_date: string | null };
}
interface SmsV1 {
  id: number;
  status: { id: number; description: string };
  sms_type: { id: number; description: string };
  submit_date: string;
  delivery_date: string | null;
  final_date: string | null;
  expiry_date: string;
  retry_count: string;
  msc: string;
  payload: string;
  dcs: number;
  udh: string;
}

beforeEach(fresh);

const sims = async () => json<Sim[]>(await call("GET", "/v1/sims?pageSize=100"));

/** A SIM a message can reach (its v2 status says ONLINE or ATTACHED), and one it cannot (BLOCKED). */
async function reachableSim(): Promise<Sim> {
  for (const sim of (await sims()).filter((s) => s.status === "Enabled")) {
    const status = await json<{ status: { description: string } }>(
      await call("GET", `/v2/sims/${sim.iccid}/status`),
    );
    if (status.status.description !== "OFFLINE") return sim;
  }
  throw new Error("no reachable SIM");
}
const blockedSim = async () => (await sims()).find((s) => s.status === "Disabled")!;

const send = (sim: Sim, body: Record<string, unknown>, version = "v1") =>
  call("POST", `/${version}/sims/${sim.iccid}/sms`, body);

describe("1NCE MT-SMS lifecycle", () => {
  it("a message to a reachable SIM: 201 without body (v1), PENDING, then DELIVERED, one SMS off the quota", async () => {
    const sim = await reachableSim();
    expect(await json(await call("GET", `/v1/sims/${sim.iccid}/quota/sms`))).toMatchObject({ volume: 250 });
    const res = await send(sim, { source_address: "1234567890", payload: "This is an SMS message." });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe("");

    const [pending] = await json<SmsV1[]>(await call("GET", `/v1/sims/${sim.iccid}/sms`));
    expect(pending).toMatchObject({
      status: { id: 2, description: "PENDING" },
      sms_type: { id: 1, description: "MT" },
      payload: "This is an SMS message.",
      dcs: 0,
      udh: "",
      retry_count: "0",
      msc: expect.stringMatching(/^\d+$/),
      delivery_date: null,
      final_date: null,
      submit_date: new Date(clock.now()).toISOString(),
      expiry_date: new Date(clock.now() + 86_400_000).toISOString(),
    });
    expect(await json(await call("GET", `/v1/sims/${sim.iccid}/quota/sms`))).toMatchObject({ volume: 249 });
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/quota/sms`))).toMatchObject({ volume: 249 });
    expect((await json<Sim>(await call("GET", `/v1/sims/${sim.iccid}`))).current_quota_SMS).toBe(249);

    await clock.advance(30_000);
    const delivered = await json<SmsV1>(await call("GET", `/v1/sims/${sim.iccid}/sms/${pending!.id}`));
    expect(delivered.status).toEqual({ id: 4, description: "DELIVERED" });
    expect(delivered.delivery_date).toEqual(expect.any(String));
    expect(delivered.final_date).toBe(delivered.delivery_date);
    expect(Date.parse(delivered.delivery_date!)).toBeGreaterThan(Date.parse(delivered.submit_date));
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/sms/${pending!.id}`))).toMatchObject({
      id: pending!.id,
      retry_count: 0,
      msc: expect.any(Number),
      gsm_map_error: null,
      pid: 0,
      status: { id: 4, description: "DELIVERED" },
      source_address_type: { id: 145, description: "International" },
      endpoint: { id: expect.any(Number), name: expect.any(String) },
    });
    const late = await call("DELETE", `/v1/sims/${sim.iccid}/sms/${pending!.id}`);
    expect(await json(late, 400)).toMatchObject({
      message: expect.stringMatching(/DELIVERED and can no longer be cancelled/),
    });
  });

  it("v2 answers the new id; a message to a blocked SIM waits and can be cancelled (v2 answers {id})", async () => {
    const sim = await blockedSim();
    const created = await json<{ id: string }>(await send(sim, { payload: "wake up" }, "v2"), 201);
    expect(created.id).toMatch(/^\d+$/);
    await clock.advance(60_000);
    const detail = await json<{ status: unknown }>(
      await call("GET", `/v2/sims/${sim.iccid}/sms/${created.id}`),
    );
    expect(detail.status).toEqual({ id: 2, description: "PENDING" });
    expect(await json(await call("DELETE", `/v2/sims/${sim.iccid}/sms/${created.id}`))).toEqual({
      id: created.id,
    });
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/sms/${created.id}`), 404)).toMatchObject({
      error_token: "NotFound",
    });
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/sms`))).toEqual([]);
    // v1 cancels without a body.
    const second = await json<{ id: string }>(await send(sim, { payload: "again" }, "v2"), 201);
    const cancelled = await call("DELETE", `/v1/sims/${sim.iccid}/sms/${second.id}`);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.text()).toBe("");
  });

  it("a message that cannot be delivered fails after 24 hours, or expires first at its expiry_date", async () => {
    const sim = await blockedSim();
    const expiry = new Date(clock.now() + 3_600_000).toISOString().replace("Z", "+00:00");
    const kept = await json<{ id: string }>(await send(sim, { payload: "kept" }, "v2"), 201);
    const short = await json<{ id: string }>(
      await send(sim, { payload: "short", expiry_date: expiry }, "v2"),
      201,
    );
    await clock.advance(3_600_000);
    await signIn();
    const expired = await json<SmsV1>(await call("GET", `/v1/sims/${sim.iccid}/sms/${short.id}`));
    expect(expired).toMatchObject({ status: { id: 6, description: "EXPIRED" }, delivery_date: null });
    expect(Date.parse(expired.final_date!)).toBe(Date.parse(expiry));
    expect(
      (await json<SmsV1>(await call("GET", `/v1/sims/${sim.iccid}/sms/${kept.id}`))).status.description,
    ).toBe("PENDING");
    await clock.advance(23 * 3_600_000);
    await signIn();
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/sms/${kept.id}`))).toMatchObject({
      status: { id: 5, description: "FAILED" },
      gsm_map_error: expect.any(String),
      delivery_date: null,
    });
    expect(await json(await call("DELETE", `/v2/sims/${sim.iccid}/sms/${kept.id}`), 400)).toMatchObject({
      error_token: "BadRequest",
    });
  });

  it("refuses bodies outside SMSMessage and charges nothing for them", async () => {
    const sim = await reachableSim();
    const refused: Array<Record<string, unknown>> = [
      { payload: "x", priority: 1 },
      {},
      { payload: "" },
      { payload: "x", udh: "XYZ" },
      { payload: "x", udh: "050" },
      { payload: "x", dcs: 3 },
      { payload: "x".repeat(161) },
      { payload: "x".repeat(154), udh: "050003CC0301" },
      { payload: "ü".repeat(71), dcs: 8 },
      { payload: "not hex", dcs: 4 },
      { payload: "x", expiry_date: "2020-01-01T00:00:00Z" },
      { payload: "x", expiry_date: "tomorrow" },
      { payload: "x", source_address_type: { id: 1 } },
      { payload: "x", source_address: 1234 },
    ];
    for (const body of refused) {
      const res = await send(sim, body);
      expect(await json(res, 400), JSON.stringify(body)).toMatchObject({ error_token: "BadRequest" });
    }
    expect(await json(await call("POST", `/v1/sims/${sim.iccid}/sms`, ["x"]), 400)).toMatchObject({
      error_token: "BadRequest",
    });
    // The longest messages that do fit.
    for (const body of [
      { payload: "x".repeat(160) },
      { payload: "x".repeat(153), udh: "050003CC0301" },
      { payload: "ü".repeat(70), dcs: 8 },
      { payload: "AB".repeat(140), dcs: 4 },
    ])
      expect((await send(sim, body)).status).toBe(201);
    expect((await json<Sim>(await call("GET", `/v1/sims/${sim.iccid}`))).current_quota_SMS).toBe(246);
    expect((await send({ ...sim, iccid: "8988228066000000000" }, { payload: "x" })).status).toBe(404);
  });
});

describe("1NCE SMS lists", () => {
  it("page by pageSize (v1, sortable) and per_page (v2), and refuse the other version's parameters", async () => {
    const sim = await reachableSim();
    for (const payload of ["one", "two", "three"]) await send(sim, { payload });
    const v1 = await call("GET", `/v1/sims/${sim.iccid}/sms?pageSize=2`);
    expect((await json<SmsV1[]>(v1)).map((m) => m.payload)).toEqual(["one", "two"]);
    expect(v1.headers.get("x-total-count")).toBe("3");
    expect(
      (await json<SmsV1[]>(await call("GET", `/v1/sims/${sim.iccid}/sms?page=2&pageSize=2`))).map(
        (m) => m.payload,
      ),
    ).toEqual(["three"]);
    expect(
      (await json<SmsV1[]>(await call("GET", `/v1/sims/${sim.iccid}/sms?sort=-id`))).map((m) => m.payload),
    ).toEqual(["three", "two", "one"]);
    expect(
      (await json<SmsV1[]>(await call("GET", `/v2/sims/${sim.iccid}/sms?page=2&per_page=1`))).map(
        (m) => m.payload,
      ),
    ).toEqual(["two"]);
    expect(await json<unknown[]>(await call("GET", `/v2/sims/${sim.iccid}/sms`))).toHaveLength(3);
    for (const path of [
      `/v1/sims/${sim.iccid}/sms?per_page=2`,
      `/v1/sims/${sim.iccid}/sms?pageSize=101`,
      `/v1/sims/${sim.iccid}/sms?sort=payload`,
      `/v2/sims/${sim.iccid}/sms?pageSize=2`,
      `/v2/sims/${sim.iccid}/sms?per_page=1001`,
      `/v2/sims/${sim.iccid}/sms?sort=id`,
      `/v1/sims/${sim.iccid}/sms/abc`,
    ])
      expect(await json(await call("GET", path), 400), path).toMatchObject({ error_token: "BadRequest" });
    const other = (await sims()).find((s) => s.iccid !== sim.iccid)!;
    const [mine] = await json<SmsV1[]>(await call("GET", `/v1/sims/${sim.iccid}/sms`));
    expect((await call("GET", `/v1/sims/${other.iccid}/sms/${mine!.id}`)).status).toBe(404);
    expect((await call("GET", `/v1/sims/${sim.iccid}/sms/999999`)).status).toBe(404);
  });
});

describe("1NCE SMS quota", () => {
  it("reaches its 20 % threshold, is exhausted at 250, then refuses sending with 409", async () => {
    const sim = await blockedSim();
    for (let i = 0; i < 200; i++) expect((await send(sim, { payload: `#${i}` })).status).toBe(201);
    const low = await json<Sim>(await call("GET", `/v2/sims/${sim.iccid}`));
    expect(low.current_quota_SMS).toBe(50);
    expect(low.quota_status_SMS).toMatchObject({
      id: 1,
      threshold_reached_date: expect.any(String),
      quota_exceeded_date: null,
    });
    for (let i = 200; i < 250; i++) expect((await send(sim, { payload: `#${i}` })).status).toBe(201);
    const out = await json<Sim>(await call("GET", `/v1/sims/${sim.iccid}`));
    expect(out).toMatchObject({
      current_quota_SMS: 0,
      quota_status_SMS: { id: 2, quota_exceeded_date: expect.any(String) },
    });
    expect(await json(await call("GET", `/v1/sims/${sim.iccid}/quota/sms`))).toMatchObject({ volume: 0 });
    expect(await json(await call("GET", `/v2/sims/${sim.iccid}/quota/sms`))).toMatchObject({
      volume: 0,
      status: { id: 0, description: "EXHAUSTED" },
    });
    expect(await json(await send(sim, { payload: "one too many" }, "v2"), 409)).toMatchObject({
      error_token: "Conflict",
    });
  });
});
