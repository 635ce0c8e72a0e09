import { beforeEach, describe, expect, it } from "vitest";
import { aerisServer, SICA } from "./aeris-support.js";

/**
 * The SICA reads, from the vendor's "Subscription Management Additional Functions API" v1.0.6
 * (`SimResource`, `Apn`, `FixedIp`, the identifier_type parameter, `/regions`).
 */

const { server, runtime, account, sibling, stranger, get, json, deviceIn } = await aerisServer();

/**
 * The `SimResource` properties in the vendor's order, with their types, and below the vendor's
 * `sim_resource_status` enum: copied from the vendor's document, not imported from the fake, so
 * that the fake is checked against the document rather than against itself.
 */
const SIM_RESOURCE: Array<[string, "string" | "boolean" | "date-time" | "array"]> = [
  ["fixed_ips", "array"],
  ["access_control_class", "string"],
  ["apns", "array"],
  ["assigned_imei", "string"],
  ["charge_code_for_pp_move", "boolean"],
  ["charge_code_non_pp_move", "boolean"],
  ["clip", "boolean"],
  ["consumer_connectivity", "boolean"],
  ["csd", "boolean"],
  ["customer_label", "string"],
  ["customer_no", "string"],
  ["delivery_date", "date-time"],
  ["device_terminal_type", "string"],
  ["disposal_date", "date-time"],
  ["first_activation_date", "date-time"],
  ["freeze_duration", "string"],
  ["gprs", "boolean"],
  ["icc", "string"],
  ["imei", "string"],
  ["imsi", "string"],
  ["installation_date", "date-time"],
  ["last_subscription_date_change", "date-time"],
  ["move_to_permitted", "boolean"],
  ["msisdn", "string"],
  ["pbr_exit_date", "date-time"],
  ["pdp_context_profile_name", "string"],
  ["pin1", "string"],
  ["pin2", "string"],
  ["price_profile_desc", "string"],
  ["price_profile_name", "string"],
  ["product_offer_name", "string"],
  ["puk1", "string"],
  ["puk2", "string"],
  ["region_short_name", "string"],
  ["roam_profile_desc", "string"],
  ["roam_profile_name", "string"],
  ["sim_card_description", "string"],
  ["sim_resource_status", "string"],
  ["sim_specification", "string"],
  ["sim_subscription_status", "string"],
  ["site", "string"],
  ["sms_mo", "boolean"],
  ["sms_mt", "boolean"],
  ["trigger_package", "string"],
  ["voice", "boolean"],
  ["lte", "boolean"],
  ["user_profile_id", "string"],
  ["tenant_id", "string"],
  ["arp_tadig", "string"],
  ["arp_assignment_time", "date-time"],
  ["customer_name", "string"],
  ["subscription_package_description", "string"],
  ["operator_id", "string"],
  ["enable_5g", "boolean"],
];
const RESOURCE_STATUSES = [
  "BEING_ASSEMBLED",
  "DELETE",
  "DEPLOYED",
  "DISPOSED",
  "DOWN",
  "END_OF_LIFE",
  "IN_INVENTORY",
  "IN_REPAIR",
  "ON_LOAN",
  "ORDERED",
  "RECEIVED",
  "RESERVED",
  "RETURN_TO_VENDOR",
  "TRANSFERRED",
];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

type Sim = Record<string, unknown>;
const sims = async (res: Response | Promise<Response>) => (await json<{ sims: Sim[] }>(res)).sims;
const simBy = (id: string, type: string, who = account) =>
  get(`${SICA}/sim-resource/${encodeURIComponent(id)}?identifier_type=${type}`, who);

/** Every value has the documented type; a value the SIM does not have is null. */
function typeProblems(sim: Sim): string[] {
  return SIM_RESOURCE.flatMap(([name, type]) => {
    const value = sim[name];
    if (value === null) return [];
    const fits =
      type === "date-time"
        ? typeof value === "string" && ISO.test(value)
        : type === "array"
          ? Array.isArray(value)
          : typeof value === type;
    return fits ? [] : [`${name}: ${JSON.stringify(value)} is not ${type}`];
  });
}

describe("IOTA SICA sim-resource", () => {
  beforeEach(() => server.sim.reset());

  it("serves every documented SimResource field with its documented type, apns and fixed_ips as objects", async () => {
    const device = await deviceIn("ACTIVE");
    const res = await simBy(device.record.iccid!, "ICC");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const [sim, ...more] = await sims(res);
    expect(more).toEqual([]);
    expect(Object.keys(sim!)).toEqual(SIM_RESOURCE.map(([name]) => name));
    expect(typeProblems(sim!)).toEqual([]);
    expect(sim!.apns).toEqual([{ name: expect.any(String), description: expect.any(String) }]);
    const [ip] = sim!.fixed_ips as Array<Record<string, string>>;
    expect(Object.keys(ip!)).toEqual(["ip", "ip_version", "radius", "apn_name", "sub_net"]);
    expect(["IPV4", "IPV6"]).toContain(ip!.ip_version);
    expect(["RADIUS1", "RADIUS2"]).toContain(ip!.radius);
    expect(ip!.apn_name).toBe((sim!.apns as Array<{ name: string }>)[0]!.name);
    expect(sim).toMatchObject({
      icc: device.record.iccid,
      imsi: device.record.imsi,
      msisdn: device.record.msisdn,
      imei: device.record.imei,
      sim_subscription_status: "ACTIVE",
      sim_resource_status: "DEPLOYED",
      customer_label: device.record.label,
      customer_no: account.id,
      customer_name: account.name,
      price_profile_name: device.record.ratePlan,
      product_offer_name: device.record.offering,
      subscription_package_description: device.record.offering,
      region_short_name: device.record.communicationPlan,
      first_activation_date: new Date(device.activatedAt!).toISOString(),
      arp_tadig: null,
      arp_assignment_time: null,
    });
  });

  it("shows sim_resource_status only from the documented enum: stock, deployed, end of life", async () => {
    const stock = (await runtime.listDevices(account.id, 0, 100)).find(
      (d) => d.activatedAt === undefined && d.nativeStatus !== "TERMINATED",
    )!;
    const expected: Array<[string, string]> = [
      [(await deviceIn("ACTIVE")).record.iccid!, "DEPLOYED"],
      [(await deviceIn("DEACTIVATED")).record.iccid!, "DEPLOYED"],
      [stock.record.iccid!, "IN_INVENTORY"],
      [(await deviceIn("TERMINATED")).record.iccid!, "END_OF_LIFE"],
    ];
    for (const [iccid, status] of expected) {
      const [sim] = await sims(simBy(iccid, "ICC"));
      expect(RESOURCE_STATUSES).toContain(sim!.sim_resource_status);
      expect([iccid, sim!.sim_resource_status]).toEqual([iccid, status]);
      expect(typeProblems(sim!)).toEqual([]);
    }
  });

  it("finds a SIM by ICC, IMSI, MSISDN or IMEI, the identifier type in any letter case", async () => {
    const device = (await deviceIn("PAUSE")) ?? (await deviceIn("DEACTIVATED"));
    const { iccid, imsi, msisdn, imei } = device.record;
    const expected = await sims(simBy(iccid!, "ICC"));
    const ways: Array<[string, string]> = [
      [imsi!, "IMSI"],
      [msisdn!, "MSISDN"],
      [imei, "IMEI"],
      [iccid!, "icc"],
      [imsi!, "imsi"],
      [msisdn!, "Msisdn"],
      [imei, "iMeI"],
    ];
    for (const [id, type] of ways) expect(await sims(simBy(id, type))).toEqual(expected);
  });

  it("refuses undocumented identifier types and unknown parameters, and answers 404 outside the organisation", async () => {
    const device = await deviceIn("ACTIVE");
    for (const type of ["ICCID", "EID", "", "IMSI,ICC"]) {
      const res = await simBy(device.record.iccid!, type);
      expect(res.status).toBe(400);
      expect(await json(res)).toMatchObject({
        title: "Bad Request",
        detail: "identifier_type must be one of IMSI, IMEI, MSISDN, ICC (case insensitive)",
        code: "INVALID_REQUEST_PARAMETERS",
      });
    }
    const extra = await get(`${SICA}/sim-resource/${device.record.iccid}?identifier_type=ICC&range=2`);
    expect(extra.status).toBe(400);
    expect((await json(extra)).detail).toMatch(/^Unknown query parameter\(s\) range/);

    expect(await json(simBy("89430300000000000000", "ICC"))).toMatchObject({
      status: 404,
      code: "SUBSCRIPTION_NOT_FOUND",
    });
    for (const who of [sibling, stranger])
      expect((await simBy(device.record.imei, "IMEI", who)).status).toBe(404);
  });

  it("returns a SIM and the next ones in the identifier's order with `range` (sim-resources to 50, sims to 500)", async () => {
    const all = await runtime.listDevices(account.id, 0, 100);
    const from = all[10]!;
    const ranged = await sims(get(`${SICA}/sim-resources/${from.record.imsi}?identifier_type=IMSI&range=3`));
    expect(ranged.map((s) => s.imsi)).toEqual(all.slice(10, 13).map((d) => d.record.imsi));
    const single = await sims(get(`${SICA}/sims/${from.record.msisdn}?identifier_type=msisdn`));
    expect(single.map((s) => s.icc)).toEqual([from.record.iccid]);
    const byImei = await sims(get(`${SICA}/sims/${from.record.imei}?identifier_type=IMEI&range=2`));
    const nextImei = all
      .map((d) => d.record.imei)
      .filter((imei) => imei > from.record.imei)
      .sort()[0];
    expect(byImei.map((s) => s.imei)).toEqual([from.record.imei, nextImei]);
    const tail = await sims(get(`${SICA}/sims/${all[98]!.record.iccid}?identifier_type=ICC&range=500`));
    expect(tail).toHaveLength(2);

    expect(
      (await get(`${SICA}/sim-resources/${from.record.imsi}?identifier_type=IMSI&range=51`)).status,
    ).toBe(400);
    expect((await get(`${SICA}/sims/${from.record.imsi}?identifier_type=IMSI&range=501`)).status).toBe(400);
    expect((await get(`${SICA}/sims/${from.record.imsi}?identifier_type=IMSI&range=0`)).status).toBe(400);
  });

  it("pages SIMs by customer label, for an organisation named by organization_id or company_id", async () => {
    const device = (await runtime.listDevices(sibling.id, 0, 20))[4]!;
    const label = encodeURIComponent(device.record.label);
    const query = (extra: string, path = "sim-resources") =>
      get(`${SICA}/${path}?label=${label}&start_number=0&chunk_size=50&${extra}`);
    expect((await sims(query(`organization_id=${sibling.id}`))).map((s) => s.icc)).toEqual([
      device.record.iccid,
    ]);
    expect((await sims(query(`company_id=${sibling.id}`, "sims"))).map((s) => s.icc)).toEqual([
      device.record.iccid,
    ]);
    const past = await get(
      `${SICA}/sims?label=${label}&start_number=1&chunk_size=500&organization_id=${sibling.id}`,
    );
    expect(await sims(past)).toEqual([]);

    const refused = await Promise.all(
      [
        query(""),
        query(`organization_id=${stranger.id}`),
        query("organization_id=999"),
        get(
          `${SICA}/sim-resources?label=${label}&start_number=0&chunk_size=51&organization_id=${sibling.id}`,
        ),
        get(`${SICA}/sim-resources?label=${label}&chunk_size=5&organization_id=${sibling.id}`),
        get(`${SICA}/sim-resources?start_number=0&chunk_size=5&organization_id=${sibling.id}`),
      ].map(async (res) => (await res).status),
    );
    expect(refused).toEqual([400, 403, 404, 400, 400, 400]);
  });

  it("lists the regions a subscription can change to, filtered by status in any letter case", async () => {
    const device = await deviceIn("ACTIVE");
    const regions = (query: string) => get(`${SICA}/regions?${query}`);
    const res = await regions(`identifier_type=imsi&identifier=${device.record.imsi}`);
    expect(res.status).toBe(200);
    const body = await json<{ regions: Array<Record<string, unknown>> }>(res);
    expect(body.regions.map((r) => r.short_name)).toEqual(["EU-ZONE1", "WORLD-ZONE2"]);
    expect(body.regions[0]).toEqual({
      short_name: "EU-ZONE1",
      description: expect.any(String),
      quarantine_period: expect.any(Number),
      number_length: device.record.msisdn!.length,
      pool_id: expect.any(String),
      status: "ACTIVE",
    });
    const inactive = await regions(`identifier_type=ICC&identifier=${device.record.iccid}&status=inactive`);
    expect(await json(inactive)).toEqual({ regions: [] });
    expect((await regions(`identifier_type=ICC&identifier=${device.record.iccid}&status=gone`)).status).toBe(
      400,
    );
    expect((await regions(`identifier_type=IMEI&identifier=${device.record.imei}`)).status).toBe(400);
    expect((await regions("identifier_type=ICC&identifier=89430300000000000000")).status).toBe(404);
  });
});
