import { beforeEach, describe, expect, it } from "vitest";
import { CUSTOM_FIELD_PREFIX } from "../../simulators/aeris/subscription.js";
import { API, aerisServer, REQUESTS } from "./aeris-support.js";

/** The Subscription Search API v1.0.5 (`GET` and `POST /iot/api/subscriptions/details`). */

const { server, clock, runtime, account, sibling, stranger, get, post, json } = await aerisServer();
const DETAILS = `${API}/subscriptions/details`;

interface Page {
  subscriptions: Array<Record<string, unknown>>;
  next?: string;
  size: number;
}
const search = async (query: string) => {
  const res = await get(`${DETAILS}?${query}`);
  expect(res.status).toBe(200);
  return { page: await json<Page>(res), total: res.headers.get("x-total-count") };
};
const field = (page: Page, name: string) => page.subscriptions.map((s) => s[name]);

/** `SubscriptionResponse` in the vendor's order, each grouped field with its additionalFields group. */
const FIELDS: Array<[string, string?]> = [
  ["arpTadigCode"],
  ["customFields", "CUSTOM_FIELDS"],
  ["enterprise"],
  ["enterpriseName", "ENTERPRISE"],
  ["region"],
  ["label", "LABEL"],
  ["firstActivatedAt", "DATES"],
  ["iccid"],
  ["detectedImei"],
  ["assignedImei"],
  ["imsi"],
  ["installationDateAt", "DATES"],
  ["apns", "INDIVIDUAL_APN"],
  ["ips"],
  ["lastSubscriptionPackageChangeAt", "DATES"],
  ["lastSubscriptionChangeDateAt", "DATES"],
  ["msisdn"],
  ["nsce"],
  ["pin1"],
  ["pin2"],
  ["puk1"],
  ["puk2"],
  ["remainingCommitmentTime"],
  ["nonHosted"],
  ["oldCompanyId"],
  ["operatorId"],
  ["organizationId"],
  ["monthlyData", "MONTHLY_DATA"],
  ["monthlySms", "MONTHLY_SMS"],
  ["parameterBasedRegistrationExitAt", "DATES"],
  ["poolId"],
  ["poolShortName"],
  ["resellerId"],
  ["schemeId"],
  ["state"],
  ["simSpecificationId", "SIM_SPEC"],
  ["simSpecificationType", "SIM_SPEC"],
  ["simSpecificationDescription", "SIM_SPEC"],
  ["profileSpecificationId"],
  ["subscriptionPackageName", "PACKAGE"],
  ["subscriptionPackageDescription", "PACKAGE"],
  ["subscriptionStateLocked", "LOCK_STATE"],
  ["subscriptionStateLockingReason", "LOCK_STATE"],
  ["subscriptionStateBeforeLock", "LOCK_STATE"],
  ["subscriptionSecurityLocked", "SECURITY_LOCK"],
  ["subscriptionSecurityLockingReason", "SECURITY_LOCK"],
  ["subscriptionStateBeforeSecurityLock", "SECURITY_LOCK"],
  ["provisionedAt", "DATES"],
];
const GROUPS = [...new Set(FIELDS.flatMap(([, group]) => (group ? [group] : [])))];
/** The fields an item has with these groups, in the vendor's order. */
const fieldsWith = (...groups: string[]) =>
  FIELDS.filter(([, group]) => group === undefined || groups.includes(group)).map(([name]) => name);

async function moveIntoAccount(from = sibling) {
  const moving = (await runtime.listDevices(from.id, 0, 20)).find((d) => d.nativeStatus === "ACTIVE")!;
  const res = await post(
    `${REQUESTS}/owner-changes`,
    {
      subscriptions: { identifier_type: "ICC", identifiers: [moving.record.iccid] },
      change: { owner: { organization_id: account.id } },
    },
    from,
  );
  expect(res.status).toBe(201);
  await clock.advance(4000);
  return moving;
}

describe("IOTA Subscription Search API", () => {
  beforeEach(() => server.sim.reset());

  it("pages an organisation by cursor: limit, next, size, ordered by IMSI unless told", async () => {
    const all = await runtime.listDevices(account.id, 0, 100);
    const { page, total } = await search("limit=30");
    expect(total).toBe("100");
    expect(page.size).toBe(30);
    expect(field(page, "imsi")).toEqual(all.slice(0, 30).map((d) => d.record.imsi));
    expect(page.next).toBe(`/details?order=IMSI&limit=30&cursor=${all[29]!.record.imsi}`);
    const second = await search(page.next!.slice("/details?".length));
    expect(field(second.page, "imsi")).toEqual(all.slice(30, 60).map((d) => d.record.imsi));
    const last = await search(`limit=30&cursor=${all[89]!.record.imsi}`);
    expect(last.page.size).toBe(10);
    expect(last.page).not.toHaveProperty("next");
    const defaults = await search("");
    expect(defaults.page.size).toBe(100);
    expect(defaults.page).not.toHaveProperty("next");
  });

  it("orders by ICC, IMSI or MSISDN, with SIMs moved in from another organisation in their place", async () => {
    const moved = await moveIntoAccount();
    const devices = await runtime.listDevices(account.id, 0, 200);
    expect(devices.map((d) => d.record.iccid)).toContain(moved.record.iccid);
    for (const [order, key] of [
      ["ICC", "iccid"],
      ["IMSI", "imsi"],
      ["MSISDN", "msisdn"],
    ] as const) {
      const expected = devices.map((d) => d.record[key] as string).sort();
      const { page, total } = await search(`order=${order}&limit=10000`);
      expect(total).toBe("101");
      expect(field(page, key)).toEqual(expected);
      // Paging by that key gives the same sequence.
      const firstPage = await search(`order=${order}&limit=60`);
      const rest = await search(firstPage.page.next!.slice("/details?".length));
      expect([...field(firstPage.page, key), ...field(rest.page, key)]).toEqual(expected);
    }
    const { total } = await search(`q=company==${sibling.id}`);
    expect(total).toBe("19");
  });

  it("returns each field group only when additionalFields asks for it", async () => {
    const keys = async (query: string) =>
      Object.keys((await search(`limit=1&${query}`)).page.subscriptions[0]!);
    expect(GROUPS).toHaveLength(11);
    expect(await keys("")).toEqual(fieldsWith());
    for (const group of GROUPS) expect(await keys(`additionalFields=${group}`)).toEqual(fieldsWith(group));
    const all = FIELDS.map(([name]) => name);
    expect(await keys(GROUPS.map((g) => `additionalFields=${g}`).join("&"))).toEqual(all);
    expect(await keys(`additionalFields=${GROUPS.join(",")}`)).toEqual(all);
    expect(await keys("additional_fields=LABEL&additionalFields=PACKAGE")).toEqual(
      fieldsWith("LABEL", "PACKAGE"),
    );

    const device = (await runtime.listDevices(account.id, 0, 1))[0]!;
    const { page } = await search("limit=2&additionalFields=PACKAGE,LABEL,INDIVIDUAL_APN,ENTERPRISE");
    expect(page.subscriptions[0]).toMatchObject({
      iccid: device.record.iccid,
      enterprise: account.id,
      enterpriseName: account.name,
      label: device.record.label,
      subscriptionPackageName: device.record.ratePlan,
      subscriptionPackageDescription: device.record.offering,
      apns: [{ ordinal: 1, apn: expect.any(String), apnId: 1, qosId: 1, type: "HSS", contextEntityId: 1 }],
      ips: [
        {
          apnName: expect.any(String),
          ip: expect.any(String),
          ipVersion: "IPV4",
          operatorId: "23203",
          server: "RADIUS1",
          subnet: expect.any(String),
        },
      ],
    });
    expect(page.next).toMatch(
      /&additionalFields=PACKAGE&additionalFields=LABEL&additionalFields=INDIVIDUAL_APN/,
    );
  });

  it("filters with q by label, company or custom fields", async () => {
    const device = (await runtime.listDevices(account.id, 0, 100))[42]!;
    for (const q of [`label==${device.record.label}`, `LABEL==${device.record.label}`]) {
      const { page, total } = await search(`q=${encodeURIComponent(q)}`);
      expect([field(page, "iccid"), total]).toEqual([[device.record.iccid], "1"]);
    }
    const company = await search(`q=${encodeURIComponent(`COMPANY==${sibling.id}`)}&limit=5`);
    expect(company.total).toBe("20");
    expect(field(company.page, "organizationId")).toEqual(Array(5).fill(sibling.id));
    expect(company.page.next).toMatch(
      new RegExp(`^/details\\?q=COMPANY%3D%3D${sibling.id}&order=IMSI&limit=5&cursor=\\d+$`),
    );

    const tagged = (await runtime.listDevices(account.id, 0, 100)).filter((_, i) => i % 10 === 3);
    for (const [i, d] of tagged.entries())
      await runtime.setFields(d.record.nativeId, {
        [`${CUSTOM_FIELD_PREFIX}test-field1`]: "value 1",
        [`${CUSTOM_FIELD_PREFIX}test-field2`]: i < 4 ? "value 2" : "other",
      });
    const both = await search(
      `q=${encodeURIComponent("customField IN (test-field1==value 1;test-field2==value 2)")}&limit=3&additionalFields=CUSTOM_FIELDS`,
    );
    expect(both.total).toBe("4");
    expect(field(both.page, "iccid")).toEqual(tagged.slice(0, 3).map((d) => d.record.iccid));
    expect(both.page.subscriptions[0]!.customFields).toEqual([
      { fieldName: "test-field1", fieldValue: "value 1" },
      { fieldName: "test-field2", fieldValue: "value 2" },
    ]);
    const rest = await search(both.page.next!.slice("/details?".length));
    expect(field(rest.page, "iccid")).toEqual([tagged[3]!.record.iccid]);
    expect(rest.page).not.toHaveProperty("next");
    const one = await search(`q=${encodeURIComponent("customField IN (test-field1==value 1)")}`);
    expect(one.total).toBe(String(tagged.length));
  });

  it("refuses what it does not model: other parameters, other q syntax, other orders, bad limits and cursors", async () => {
    const refusals = await Promise.all(
      [
        `q=company==${stranger.id}`,
        "q=company==999",
        "q=state==ACTIVE",
        "q=label==",
        "q=label==a;company==b",
        `q=${encodeURIComponent("customField IN (colour)")}`,
        "order=imsi",
        "order=EID",
        "limit=0",
        "limit=10001",
        "limit=ten",
        "cursor=abc",
        "limit=5&limit=6",
        "additionalFields=EVERYTHING",
        "sort=desc",
        "offset=10",
      ].map(async (query) => {
        const res = await get(`${DETAILS}?${query}`);
        return [query, res.status, (await json<{ code: string }>(res)).code];
      }),
    );
    expect(refusals).toEqual([
      [`q=company==${stranger.id}`, 403, "ACCESS_DENIED"],
      ["q=company==999", 404, "COMPANY_NOT_FOUND"],
      ...refusals.slice(2).map(([query]) => [query, 400, "INVALID_REQUEST_PARAMETERS"]),
    ]);
  });

  it("looks up a list of identifiers with POST, in the caller's organisation", async () => {
    const [a, b, c] = await runtime.listDevices(account.id, 5, 3);
    const theirs = (await runtime.listDevices(sibling.id, 0, 1))[0]!;
    const lookup = (body: unknown, query = "") => post(`${DETAILS}${query}`, body);
    for (const [type, key] of [
      ["ICC", "iccid"],
      ["IMSI", "imsi"],
      ["MSISDN", "msisdn"],
    ] as const) {
      const res = await lookup(
        {
          identifierType: type,
          identifierValues: [c!.record[key], a!.record[key], "0000", theirs.record[key], a!.record[key]],
        },
        "?additionalFields=LABEL",
      );
      expect(res.status).toBe(200);
      const body = await json<Page>(res);
      expect(Object.keys(body)).toEqual(["subscriptions"]);
      expect(field(body, "iccid")).toEqual([c!.record.iccid, a!.record.iccid]);
      expect(field(body, "label")).toEqual([c!.record.label, a!.record.label]);
    }
    const problems = await Promise.all(
      [
        [{ identifierValues: [b!.record.imsi] }, ""],
        [{ identifierType: "imsi", identifierValues: [b!.record.imsi] }, ""],
        [{ identifierType: "IMEI", identifierValues: [b!.record.imei] }, ""],
        [{ identifierType: "IMSI", identifierValues: [] }, ""],
        [{ identifierType: "IMSI", identifierValues: [1] }, ""],
        [{ identifierType: "IMSI", identifierValues: [b!.record.imsi], limit: 5 }, ""],
        [{ identifierType: "IMSI", identifierValues: [b!.record.imsi] }, "?limit=5"],
      ].map(async ([body, query]) => {
        const res = await lookup(body, query as string);
        return [res.status, (await json<{ detail: string }>(res)).detail];
      }),
    );
    expect(problems.map(([status]) => status)).toEqual(Array(7).fill(400));
    expect(problems[0]![1]).toBe("IdentifierType can not be null");
  });
});
