import { beforeEach, describe, expect, it } from "vitest";
import { API, onceServer } from "./1nce-support.js";

// What a client reading 1NCE's SIM Management specs (v1 and v2) expects of SIM lists, reads and updates.
const { server, clock, fresh, auth, call, json } = await onceServer();

interface Sim {
  iccid: string;
  iccid_with_luhn: string;
  imei: string;
  imei_lock: boolean;
  ip_address: string;
  label: string;
  status: string;
}

beforeEach(fresh);

const sims = async (query = "pageSize=100", version = "v1") =>
  json<Sim[]>(await call("GET", `/${version}/sims?${query}`));

describe("1NCE SIM updates: label and imei_lock", () => {
  it("stores what PUT /v1/sims/{iccid} sets and shows it in every SIM read, v1 and v2", async () => {
    const [sim] = await sims("pageSize=1");
    const put = await call("PUT", `/v1/sims/${sim!.iccid}`, {
      iccid: sim!.iccid,
      status: sim!.status,
      label: "pump-station-7",
      imei_lock: true,
    });
    expect(put.status).toBe(200);
    expect(await put.text()).toBe("");
    for (const version of ["v1", "v2"]) {
      const read = await json<Sim>(await call("GET", `/${version}/sims/${sim!.iccid}`));
      expect(read).toMatchObject({ label: "pump-station-7", imei_lock: true, status: sim!.status });
      const [listed] = await sims("pageSize=1", version);
      expect(listed).toMatchObject({ iccid: sim!.iccid, label: "pump-station-7", imei_lock: true });
    }
    // Left out, a field keeps its value; given again, it changes.
    await call("PUT", `/v1/sims/${sim!.iccid}`, { iccid: sim!.iccid, status: sim!.status, imei_lock: false });
    expect(await json<Sim>(await call("GET", `/v1/sims/${sim!.iccid}`))).toMatchObject({
      label: "pump-station-7",
      imei_lock: false,
    });
  });

  it("keeps status changes working as before, and refuses what the v1 body may not hold", async () => {
    const enabled = (await sims()).find((s) => s.status === "Enabled")!;
    expect((await call("PUT", `/v1/sims/${enabled.iccid_with_luhn}`, { status: "Disabled" })).status).toBe(
      200,
    );
    expect((await json<Sim>(await call("GET", `/v1/sims/${enabled.iccid}`))).status).toBe("Disabled");

    const refusals: Array<[unknown, RegExp]> = [
      [{ label: "no status" }, /status is required/],
      [{ status: "ENABLED" }, /status must be one of Enabled, Disabled/],
      [{ status: "Enabled", imeiLock: true }, /unknown field imeiLock/],
      [{ status: "Enabled", imei_lock: "yes" }, /imei_lock must be true or false/],
      [{ status: "Enabled", label: 7 }, /label must be a string/],
      [{ status: "Enabled", label: "x".repeat(256) }, /at most 255/],
      [{ status: "Enabled", iccid: "8988228066000000000" }, /is not the SIM/],
      [[{ status: "Enabled" }], /must be a JSON object/],
    ];
    for (const [body, message] of refusals) {
      const res = await call("PUT", `/v1/sims/${enabled.iccid}`, body);
      expect(await json(res, 400)).toMatchObject({
        error_token: "BadRequest",
        message: expect.stringMatching(message),
      });
    }
    expect(await json<Sim>(await call("GET", `/v1/sims/${enabled.iccid}`))).toMatchObject({
      status: "Disabled",
      label: enabled.label,
      imei_lock: false,
    });
    const missing = await call("PUT", "/v1/sims/8988228066000000000", { status: "Enabled" });
    expect(await json(missing, 404)).toMatchObject({ error_token: "NotFound" });
  });
});

describe("1NCE v2 SIMs beside v1", () => {
  it("lists and reads SIMs with the same fields and paging headers", async () => {
    const res = await call("GET", "/v2/sims?page=3&pageSize=20");
    const page = await json<Sim[]>(res);
    expect(page).toHaveLength(20);
    expect(res.headers.get("x-total-count")).toBe("100");
    expect(res.headers.get("x-total-pages")).toBe("5");
    expect(res.headers.get("x-current-page")).toBe("3");
    expect(res.headers.get("x-count-per-page")).toBe("20");
    const v1 = await sims("page=3&pageSize=20");
    expect(page).toEqual(v1);
    expect(await json(await call("GET", `/v2/sims/${v1[0]!.iccid}`))).toEqual(v1[0]);
    expect(await json(await call("GET", "/v2/sims/8988228066000000000"), 404)).toMatchObject({
      error_code: 1000,
      error_token: "NotFound",
    });
    expect(await json(await call("GET", "/v2/sims?pageSize=101"), 400)).toMatchObject({
      error_token: "BadRequest",
    });
  });

  it("PUT needs nothing: no body, a label alone, a status alone", async () => {
    const sim = (await sims()).find((s) => s.status === "Enabled")!;
    const bare = await server.request(`${API}/v2/sims/${sim.iccid}`, {
      method: "PUT",
      headers: auth(),
    });
    expect(bare.status).toBe(200);
    expect(await call("PUT", `/v2/sims/${sim.iccid}`, {})).toHaveProperty("status", 200);
    expect(await call("PUT", `/v2/sims/${sim.iccid}`)).toHaveProperty("status", 200);
    expect(await json<Sim>(await call("GET", `/v2/sims/${sim.iccid}`))).toEqual(sim);

    expect((await call("PUT", `/v2/sims/${sim.iccid}`, { label: "v2-label" })).status).toBe(200);
    expect((await call("PUT", `/v2/sims/${sim.iccid}`, { status: "Disabled" })).status).toBe(200);
    expect(await json<Sim>(await call("GET", `/v1/sims/${sim.iccid}`))).toMatchObject({
      label: "v2-label",
      status: "Disabled",
    });
    expect(await json(await call("PUT", `/v2/sims/${sim.iccid}`, { status: "Blocked" }), 400)).toMatchObject({
      error_code: 1001,
      error_token: "BadRequest",
    });
  });
});

describe("1NCE SIM list: q and sort", () => {
  it("filters by imei and ip_address, exact values, all criteria at once", async () => {
    const all = await sims();
    const target = all[37]!;
    const byImei = await call("GET", `/v1/sims?q=imei:${target.imei}`);
    expect((await json<Sim[]>(byImei)).map((s) => s.iccid)).toEqual(
      all.filter((s) => s.imei === target.imei).map((s) => s.iccid),
    );
    expect(byImei.headers.get("x-total-count")).toBe(
      String(all.filter((s) => s.imei === target.imei).length),
    );
    const both = await sims(`q=ip_address:${target.ip_address},imei:${target.imei}`, "v2");
    expect(both.map((s) => s.iccid)).toEqual([target.iccid]);
    const none = await call("GET", `/v1/sims?q=ip_address:${target.ip_address},imei:${all[0]!.imei}`);
    expect(await json(none)).toEqual([]);
    expect(none.headers.get("x-total-count")).toBe("0");
    expect(await sims(`q=imei:${target.imei.slice(0, 8)}`)).toEqual([]);
  });

  it("refuses filters 1NCE does not document instead of ignoring them", async () => {
    for (const q of ["label:pump", "status:Enabled", "imei", "imei:", "q=", ""]) {
      const res = await call("GET", `/v1/sims?q=${encodeURIComponent(q)}`);
      expect(await json(res, 400), q).toMatchObject({ error_token: "BadRequest" });
    }
    expect((await call("GET", "/v1/sims?q=imei:1&q=imei:2")).status).toBe(400);
  });

  it("sorts by imei and ip_address, ascending or with a leading minus descending, across pages", async () => {
    const all = await sims();
    const byImei = [...all].sort((a, b) => (a.imei < b.imei ? -1 : a.imei > b.imei ? 1 : 0));
    expect((await sims("pageSize=100&sort=imei")).map((s) => s.imei)).toEqual(byImei.map((s) => s.imei));
    expect((await sims("pageSize=100&sort=-imei")).map((s) => s.imei)).toEqual(
      byImei.map((s) => s.imei).reverse(),
    );
    const second = await call("GET", "/v1/sims?page=2&pageSize=30&sort=imei");
    expect((await json<Sim[]>(second)).map((s) => s.iccid)).toEqual(byImei.slice(30, 60).map((s) => s.iccid));
    expect(second.headers.get("x-total-count")).toBe("100");

    const ipNumber = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const byIpDown = await sims("pageSize=100&sort=-ip_address,imei");
    expect(byIpDown.map((s) => ipNumber(s.ip_address))).toEqual(
      all.map((s) => ipNumber(s.ip_address)).sort((a, b) => b - a),
    );

    const filtered = await sims(`sort=-imei&q=ip_address:${all[3]!.ip_address}`);
    expect(filtered.map((s) => s.iccid)).toEqual([all[3]!.iccid]);
  });

  it("refuses sort fields 1NCE does not document", async () => {
    for (const sort of ["label", "-status", "imei,imei", "imei,,ip_address"]) {
      const res = await call("GET", `/v2/sims?sort=${encodeURIComponent(sort)}`);
      expect(await json(res, 400), sort).toMatchObject({ error_token: "BadRequest" });
    }
  });
});

describe("1NCE bulk update: POST /v1/sims", () => {
  it("queues the changes (201, no body) and applies them on the clock, each with its event", async () => {
    const all = await sims();
    const a = all.find((s) => s.status === "Enabled")!;
    const b = all.find((s) => s.status === "Disabled")!;
    const res = await call("POST", "/v1/sims", [
      { iccid: a.iccid, status: "Disabled", label: "bulk-a" },
      { iccid: b.iccid_with_luhn, status: "Enabled", imei_lock: true },
    ]);
    expect(res.status).toBe(201);
    expect(await res.text()).toBe("");
    // Queued only: nothing has changed yet.
    expect(await json<Sim>(await call("GET", `/v1/sims/${a.iccid}`))).toEqual(a);

    await clock.advance(10_000);
    expect(await json<Sim>(await call("GET", `/v1/sims/${a.iccid}`))).toMatchObject({
      status: "Disabled",
      label: "bulk-a",
    });
    expect(await json<Sim>(await call("GET", `/v2/sims/${b.iccid}`))).toMatchObject({
      status: "Enabled",
      imei_lock: true,
      label: b.label,
    });
    const { events } = await json<{ events: Array<{ event_type: string }> }>(
      await call("GET", `/v1/sims/${a.iccid}/events`),
    );
    expect(events.map((e) => e.event_type)).toEqual([
      "Queued SIM configuration applied: status 'Disabled', label 'bulk-a'",
    ]);
  });

  it("refuses the whole request for one bad item, and queues nothing", async () => {
    const [first, second] = await sims("pageSize=2");
    // The good items would change the SIM, so one queued despite the bad item would show.
    const flip = first!.status === "Enabled" ? "Disabled" : "Enabled";
    const cases: Array<[unknown, number, RegExp]> = [
      [{ iccid: first!.iccid, status: flip }, 400, /JSON array/],
      [[], 400, /at least one/],
      [[{ iccid: first!.iccid, status: flip }, { iccid: second!.iccid }], 400, /item 1: status is required/],
      [[{ status: "Disabled" }], 400, /item 0: iccid is required/],
      [
        [
          { iccid: first!.iccid, status: flip },
          { iccid: "8988228066000000000", status: "Enabled" },
        ],
        404,
        /item 1/,
      ],
      [Array.from({ length: 1001 }, () => ({ iccid: first!.iccid, status: flip })), 400, /At most 1000/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call("POST", "/v1/sims", body);
      expect(await json(res, status)).toMatchObject({ message: expect.stringMatching(message) });
    }
    await clock.advance(60_000);
    expect(await json<Sim>(await call("GET", `/v1/sims/${first!.iccid}`))).toEqual(first);
    // v2 has no bulk update.
    expect(
      await json(await call("POST", "/v2/sims", [{ iccid: first!.iccid, status: "Enabled" }]), 404),
    ).toMatchObject({
      error_token: "NotFound",
    });
  });
});

describe("1NCE endpoints documented but not simulated", () => {
  it("answer 400 in 1NCE's envelope saying so, never a 200 that did nothing", async () => {
    const [sim] = await sims("pageSize=1");
    const refused: Array<[string, string]> = [
      ["POST", `/v1/sims/${sim!.iccid}/reset`],
      ["POST", `/v2/sims/${sim!.iccid}/reset`],
      ["POST", `/v1/sims/${sim!.iccid}/topup?payment_method=creditcard`],
      ["POST", `/v2/sims/${sim!.iccid}/topup`],
      ["POST", "/v1/sims/topup"],
      ["POST", "/v1/sims/autoTopup"],
      ["GET", "/v1/sims/limits"],
      ["POST", "/v1/sims/limits"],
      ["GET", "/v1/sims/smsMT/limits"],
      ["POST", "/v1/sims/simTransfer"],
      ["POST", "/v1/sims/extension"],
    ];
    for (const [method, path] of refused) {
      const res = await call(method, path, method === "POST" ? {} : undefined);
      expect(await json(res, 400), `${method} ${path}`).toEqual({
        error_code: 1001,
        error_token: "BadRequest",
        message: expect.stringMatching(/documented by 1NCE but not simulated/),
      });
    }
    const anonymous = await server.request(`${API}/v1/sims/${sim!.iccid}/reset`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });
});
