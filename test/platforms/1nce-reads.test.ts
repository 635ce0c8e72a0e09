import { beforeAll, describe, expect, it } from "vitest";
import { QUIET } from "../helpers/server.js";
import { onceServer } from "./1nce-support.js";

// Per-SIM reads as 1NCE documents them: status (v1 and v2), connectivity info and usage (v1), quotas.
const { clock, signIn, call, json } = await onceServer(
  {
    tenants: [{ id: "eos", accounts: [{ platform: "1NCE", id: "4711", name: "ONCE_ORG", size: 400 }] }],
    platforms: { "1NCE": { profile: QUIET } },
  },
  "4711",
);

interface Sim {
  iccid: string;
  status: string;
  current_quota: number;
  current_quota_SMS: number;
  ip_address: string;
  quota_status: { id: number };
}

const all: Sim[] = [];
const get = async <T>(path: string, status = 200): Promise<T> => json<T>(await call("GET", path), status);

beforeAll(async () => {
  await signIn();
  for (let page = 1; page <= 4; page++) all.push(...(await get<Sim[]>(`/v1/sims?page=${page}&pageSize=100`)));
});

interface StatusV2 {
  status: { description: string };
  data_traffic_limit_state: { description: string };
  location: Record<string, unknown> & { operator: { id: number; country: { iso_code: string } } };
  pdp_contexts: Array<Record<string, unknown>>;
  services: string[];
}

describe("1NCE SIM status", () => {
  it("v1: a status string, location with iso-code, one pdp_context while ONLINE", async () => {
    const seen = new Set<string>();
    for (const sim of all.slice(0, 40)) {
      const body = await get<Record<string, any>>(`/v1/sims/${sim.iccid}/status`);
      seen.add(body.status);
      expect(["OFFLINE", "ONLINE", "ATTACHED"]).toContain(body.status);
      if (sim.status === "Disabled") expect(body.status).toBe("OFFLINE");
      expect(body.location).toMatchObject({
        iccid: sim.iccid,
        imsi: expect.any(String),
        last_updated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/),
        operator: {
          id: expect.any(String),
          name: expect.any(String),
          country: { "iso-code": expect.any(String) },
        },
        country: { mcc: expect.stringMatching(/^\d{3}$/), "iso-code": expect.any(String) },
      });
      if (body.status === "ONLINE") {
        expect(body.pdp_context).toMatchObject({
          ue_ip_address: sim.ip_address,
          duration: expect.stringMatching(/^\d{2}:\d{2}:\d{2}$/),
          rat_type: { description: expect.stringMatching(/^(2G|3G|4G|5G|NB-IoT)$/) },
        });
        expect(body.services).toEqual(["GPRS"]);
      } else expect(body.pdp_context).toBeNull();
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it("v2: a status object, BLOCKED for a disabled SIM, pdp_contexts with exactly one ULI", async () => {
    const disabled = all.find((s) => s.status === "Disabled")!;
    expect((await get<StatusV2>(`/v2/sims/${disabled.iccid}/status`)).status).toEqual({
      description: "BLOCKED",
    });
    let online = 0;
    for (const sim of all.filter((s) => s.status === "Enabled").slice(0, 30)) {
      const body = await get<StatusV2>(`/v2/sims/${sim.iccid}/status`);
      expect(["ONLINE", "ATTACHED", "OFFLINE"]).toContain(body.status.description);
      expect(body.data_traffic_limit_state.description).toBe(
        sim.quota_status.id === 2 ? "REACHED" : "NOT_REACHED",
      );
      expect(body.location.last_updated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(body.location.operator.id).toEqual(expect.any(Number));
      expect(body.location.operator.country.iso_code).toMatch(/^[a-z]{2}$/);
      expect(body.location).not.toHaveProperty("iso-code");
      if (body.status.description !== "ONLINE") {
        expect(body.pdp_contexts).toEqual([]);
        continue;
      }
      online++;
      const [pdp] = body.pdp_contexts;
      expect(pdp).toMatchObject({
        apn: expect.any(String),
        region: expect.any(String),
        ue_ip_address: sim.ip_address,
      });
      expect(["gtp_v1_uli" in pdp!, "gtp_v2_uli" in pdp!].filter(Boolean)).toHaveLength(1);
    }
    expect(online).toBeGreaterThan(0);
  });
});

describe("1NCE connectivity info (v1 only)", () => {
  it("answers subscriber info by default, USSD info on request, and refuses other flag values", async () => {
    const sim = all[0]!;
    const plain = await get<Record<string, any>>(`/v1/sims/${sim.iccid}/connectivity_info`);
    expect(plain).toMatchObject({
      subscriber_info: {
        success: expect.any(Boolean),
        state: expect.any(String),
        location: { current_location_retrieved: expect.any(Boolean) },
      },
      request_timestamp: expect.stringMatching(/\+0000$/),
      reply_timestamp: expect.stringMatching(/\+0000$/),
    });
    expect(plain).not.toHaveProperty("ussd_info");
    const ussdOnly = await get<Record<string, any>>(
      `/v1/sims/${sim.iccid}/connectivity_info?subscriber=false&ussd=true`,
    );
    expect(ussdOnly.ussd_info).toHaveProperty("success", expect.any(Boolean));
    expect(ussdOnly.ussd_info).toHaveProperty("error");
    expect(ussdOnly).not.toHaveProperty("subscriber_info");
    expect(await get(`/v1/sims/${sim.iccid}/connectivity_info?ussd=yes`, 400)).toMatchObject({
      error_token: "BadRequest",
    });
    expect(await get(`/v2/sims/${sim.iccid}/connectivity_info`, 404)).toMatchObject({
      error_token: "NotFound",
    });
  });
});

describe("1NCE quotas", () => {
  interface QuotaV2 {
    id: number;
    status: { id: number; description: string };
    volume: number;
    total_volume: number;
    service: string;
    threshold_percentage: number;
    threshold_volume: number;
  }

  it("v1 and v2 agree with the SIM object; v2 adds status, service and threshold volume", async () => {
    const sim = all.find((s) => s.quota_status.id === 0)!;
    const data = await get<Record<string, unknown>>(`/v1/sims/${sim.iccid}/quota/data`);
    expect(data).toMatchObject({
      total_volume: 500,
      threshold_percentage: 20,
      peak_throughput: expect.any(Number),
    });
    expect(Math.round((data.volume as number) * 100) / 100).toBe(sim.current_quota);
    const sms = await get<Record<string, unknown>>(`/v1/sims/${sim.iccid}/quota/sms`);
    expect(sms).toMatchObject({ volume: sim.current_quota_SMS, total_volume: 250 });
    expect(sms).not.toHaveProperty("peak_throughput");
    const v2 = await get<QuotaV2>(`/v2/sims/${sim.iccid}/quota/data`);
    expect(v2).toMatchObject({
      status: { id: 1, description: "ACTIVE" },
      service: "data",
      total_volume: 500,
      threshold_percentage: 20,
      threshold_volume: 100,
    });
    expect(v2.id).toBeGreaterThanOrEqual(1);
    expect((await get<QuotaV2>(`/v2/sims/${sim.iccid}/quota/sms`)).service).toBe("sms");
  });

  it("v2 shows an overspent data quota below zero; v1 and the SIM object stop at zero", async () => {
    const spent = all.find((s) => s.quota_status.id === 2)!;
    expect(spent.current_quota).toBe(0);
    const v2 = await get<QuotaV2>(`/v2/sims/${spent.iccid}/quota/data`);
    expect(v2.volume).toBeLessThan(0);
    expect(v2.status).toEqual({ id: 0, description: "EXHAUSTED" });
    expect((await get<{ volume: number }>(`/v1/sims/${spent.iccid}/quota/data`)).volume).toBe(0);
    expect((await get<StatusV2>(`/v2/sims/${spent.iccid}/status`)).data_traffic_limit_state).toEqual({
      description: "REACHED",
    });
  });
});

describe("1NCE usage (v1 only)", () => {
  interface Daily {
    date: string;
    data: {
      volume: string;
      volume_rx: string;
      volume_tx: string;
      cost: string;
      traffic_type: { unit: string };
    };
    sms: { volume: string; volume_rx: string; volume_tx: string };
  }

  it("reports daily data and SMS as strings, within start_dt and end_dt, adding up to the quota spent", async () => {
    const sim = all.find((s) => s.current_quota < 499 && s.quota_status.id === 0)!;
    const { stats } = await get<{ stats: Daily[] }>(
      `/v1/sims/${sim.iccid}/usage?start_dt=2025-11-01&end_dt=2026-02-01`,
    );
    expect(stats.length).toBeGreaterThan(0);
    for (const day of stats) {
      expect(day.date).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
      expect(day.data.traffic_type.unit).toBe("MB");
      expect(Number(day.data.volume)).toBeCloseTo(Number(day.data.volume_rx) + Number(day.data.volume_tx), 5);
      expect(day.sms.volume).toBe("0");
    }
    const total = stats.reduce((sum, day) => sum + Number(day.data.volume), 0);
    expect(total).toBeCloseTo(500 - sim.current_quota, 1);

    const window = await get<{ stats: Daily[] }>(
      `/v1/sims/${sim.iccid}/usage?start_dt=2025-12-10&end_dt=2025-12-12`,
    );
    expect(window.stats.map((d) => d.date.slice(0, 10))).toEqual(["2025-12-10", "2025-12-11", "2025-12-12"]);
    expect(await get(`/v1/sims/${sim.iccid}/usage?start_dt=2025-12-12&end_dt=2025-12-10`, 400)).toMatchObject(
      {
        error_token: "BadRequest",
      },
    );
    expect(await get(`/v1/sims/${sim.iccid}/usage?start_dt=2025-02-30`, 400)).toMatchObject({
      error_token: "BadRequest",
    });
    expect(await get(`/v2/sims/${sim.iccid}/usage`, 404)).toMatchObject({ error_token: "NotFound" });
  });

  // Last in the file: it moves the clock half a year on.
  it("shows nothing older than six months", async () => {
    const sim = all.find((s) => s.current_quota < 499)!;
    const before = await get<{ stats: Daily[] }>(`/v1/sims/${sim.iccid}/usage?start_dt=2025-12-01`);
    expect(before.stats.length).toBeGreaterThan(0);
    await clock.advanceTo(Date.UTC(2026, 6, 15));
    await signIn();
    const after = await get<{ stats: Daily[] }>(`/v1/sims/${sim.iccid}/usage?start_dt=2025-12-01`);
    expect(after.stats).toEqual([]);
  });
});
