import { beforeEach, describe, expect, it } from "vitest";
import { FIELD } from "../../simulators/aeris/subscription.js";
import { aerisServer, NEW_PACKAGE, requestCalls, TIMELINE } from "./aeris-support.js";

/**
 * The SICA owner, package, region and ARP change requests (state changes: aeris.test.ts): their
 * bodies, their refusals, and what each does to the subscriptions once it completes.
 */

const aeris = await aerisServer();
const { server, clock, runtime, account, sibling, stranger, deviceIn } = aeris;
const { simOf, detailsOf, submit, accepted, status, problemOf, actives, list } = requestCalls(aeris);

describe("IOTA SICA change requests", () => {
  beforeEach(() => server.sim.reset());

  it("moves subscriptions to another organisation with owner-changes (organization_id, or the deprecated company_id)", async () => {
    const [first, second] = await actives();
    const id = await accepted("owner-changes", {
      subscriptions: list("msisdn", [first!.record.msisdn]),
      change: { owner: { organization_id: sibling.id } },
    });
    expect(await status(id)).toMatchObject({
      subscriptionRequestType: "CHANGE_SUBSCRIPTIONOWNER",
      subscriptionRequestState: "PENDING",
      companyId: account.id,
      subscriptionRequestResources: [
        {
          resourceId: first!.record.iccid,
          resourceProperties: [{ type: "ICCID", value: first!.record.iccid }],
        },
      ],
    });
    await clock.advance(4000);
    expect(await status(id)).toMatchObject({ subscriptionRequestState: "COMPLETED" });
    expect(await simOf(first!.record.iccid!)).toBe(404);
    expect(await simOf(first!.record.iccid!, sibling)).toMatchObject({
      customer_no: sibling.id,
      customer_name: sibling.name,
      sim_subscription_status: "ACTIVE",
    });
    expect(await detailsOf(first!.record.iccid!, sibling)).toMatchObject({
      organizationId: sibling.id,
      oldCompanyId: account.id,
    });

    // The deprecated company_id, and a package that comes with the move.
    const moving = await accepted("owner-changes", {
      subscriptions: list("ICC", [second!.record.iccid]),
      change: { owner: { company_id: sibling.id, subscription_package_id: NEW_PACKAGE.id } },
    });
    await clock.advance(4000);
    expect(await status(moving)).toMatchObject({
      subscriptionRequestState: "COMPLETED",
      subscriptionRequestResources: [
        {
          resourceProperties: [
            { type: "ICCID", value: second!.record.iccid },
            {
              type: "TARGET_SUBSCRIPTION_PACKAGE",
              value: NEW_PACKAGE.id,
              operation: "SUBSCRIPTION_PACKAGE_CHANGE",
            },
          ],
        },
      ],
    });
    expect(await simOf(second!.record.iccid!, sibling)).toMatchObject({ price_profile_name: NEW_PACKAGE.id });
  });

  it("refuses owner changes to foreign, unknown or the same organisations, and the undocumented organization-changes", async () => {
    const iccid = (await actives())[0]!.record.iccid;
    const move = (owner: unknown) =>
      submit("owner-changes", { subscriptions: list("ICC", [iccid]), change: { owner } });
    expect(await problemOf(move({ organization_id: stranger.id }))).toMatchObject({
      status: 403,
      code: "ACCESS_DENIED",
    });
    expect(await problemOf(move({ organization_id: "3.78.38" }))).toMatchObject({
      status: 404,
      code: "COMPANY_NOT_FOUND",
    });
    expect(await problemOf(move({ organization_id: account.id }))).toMatchObject({ status: 400 });
    expect(await problemOf(move({}))).toMatchObject({ status: 400, code: "INVALID_REQUEST_PARAMETERS" });
    expect(await problemOf(move({ organization_id: sibling.id, colour: "red" }))).toMatchObject({
      status: 400,
      detail: "Unknown field(s) change.owner.colour",
    });
    expect(
      await problemOf(
        submit("organization-changes", {
          subscriptions: list("ICC", [iccid]),
          change: { organization_id: sibling.id },
        }),
      ),
    ).toMatchObject({ status: 404, code: "RESOURCE_NOT_FOUND" });
  });

  it("changes the subscription package once the request completes, and shows it in both views", async () => {
    const [a, b] = await actives();
    const created = clock.now();
    const id = await accepted("package-changes", {
      subscriptions: list("IMSI", [a!.record.imsi, b!.record.imsi]),
      change: { subscription_package_id: NEW_PACKAGE.id },
    });
    expect(await simOf(a!.record.iccid!)).toMatchObject({ price_profile_name: a!.record.ratePlan });
    expect(
      await problemOf(
        submit("state-changes", {
          subscriptions: list("ICC", [a!.record.iccid]),
          change: { state: "PAUSE" },
        }),
      ),
    ).toMatchObject({
      status: 409,
      code: "REQUEST_IN_PROGRESS",
    });
    expect(
      await problemOf(
        submit("region-changes", {
          subscriptions: list("ICC", [a!.record.iccid]),
          change: { region: "WORLD-ZONE2" },
        }),
      ),
    ).toMatchObject({ status: 409, code: "REQUEST_IN_PROGRESS" });
    await clock.advance(1500);
    expect(await status(id)).toMatchObject({
      subscriptionRequestType: "CHANGE_SUBSCRIPTIONPACKAGE",
      subscriptionRequestState: "IN_PROGRESS",
      size: 2,
      subscriptionRequestResourceCounters: { inProgress: 2 },
    });
    await clock.advance(2500);
    expect(await status(id)).toMatchObject({
      subscriptionRequestState: "COMPLETED",
      subscriptionRequestResources: [
        {
          resourceState: "COMPLETED",
          resourceProperties: [
            { type: "ICCID", value: a!.record.iccid, operation: "SUBSCRIPTION_PACKAGE_CHANGE" },
            {
              type: "TARGET_SUBSCRIPTION_PACKAGE",
              value: NEW_PACKAGE.id,
              operation: "SUBSCRIPTION_PACKAGE_CHANGE",
            },
          ],
        },
        { resourceId: b!.record.iccid, resourceState: "COMPLETED" },
      ],
    });
    for (const device of [a!, b!]) {
      expect(await simOf(device.record.iccid!)).toMatchObject({
        price_profile_name: NEW_PACKAGE.id,
        price_profile_desc: NEW_PACKAGE.description,
        product_offer_name: NEW_PACKAGE.description,
        subscription_package_description: NEW_PACKAGE.description,
        sim_subscription_status: "ACTIVE",
      });
      expect(await detailsOf(device.record.iccid!)).toMatchObject({
        subscriptionPackageName: NEW_PACKAGE.id,
        subscriptionPackageDescription: NEW_PACKAGE.description,
        lastSubscriptionPackageChangeAt: new Date(created + 4000).toISOString(),
      });
    }
  });

  it("refuses unknown packages and terminated subscriptions, and keeps the package when a request fails", async () => {
    const active = (await actives())[0]!;
    const change = (iccid: string, subscription_package_id: unknown) =>
      submit("package-changes", { subscriptions: list("ICC", [iccid]), change: { subscription_package_id } });
    expect(await problemOf(change(active.record.iccid!, "200200207_SP_01"))).toMatchObject({
      status: 400,
      detail: "change.subscription_package_id: subscription package 200200207_SP_01 does not exist",
    });
    expect(await problemOf(change(active.record.iccid!, undefined))).toMatchObject({ status: 400 });
    expect(
      await problemOf(change((await deviceIn("TERMINATED")).record.iccid!, NEW_PACKAGE.id)),
    ).toMatchObject({
      status: 400,
      code: "INVALID_STATE_TRANSITION",
    });

    await runtime.setProfileOverride({ asyncTimeline: [TIMELINE[0]!, { ...TIMELINE[1]!, failureRate: 1 }] });
    const id = await accepted("package-changes", {
      subscriptions: list("ICC", [active.record.iccid]),
      change: { subscription_package_id: NEW_PACKAGE.id },
    });
    await clock.advance(4000);
    expect(await status(id)).toMatchObject({
      subscriptionRequestState: "COMPLETED_WITH_FAILURES",
      subscriptionRequestResources: [{ resourceState: "FAILED" }],
    });
    expect(await simOf(active.record.iccid!)).toMatchObject({ price_profile_name: active.record.ratePlan });
  });

  it("changes the region of subscriptions to one of the regions available", async () => {
    const device = (await actives()).find((d) => d.record.communicationPlan === "EU-ZONE1")!;
    const change = (region: unknown) => ({
      subscriptions: list("icc", [device.record.iccid]),
      change: { region },
    });
    expect(await problemOf(submit("region-changes", change("ABC")))).toMatchObject({
      status: 400,
      detail: "change.region: region ABC does not exist",
    });
    const id = await accepted("region-changes", change("WORLD-ZONE2"));
    await clock.advance(4000);
    expect(await status(id)).toMatchObject({
      subscriptionRequestType: "CHANGE_SUBSCRIPTIONREGION",
      subscriptionRequestState: "COMPLETED",
      subscriptionRequestResources: [{ resourceProperties: [{ type: "ICCID", value: device.record.iccid }] }],
    });
    expect(await simOf(device.record.iccid!)).toMatchObject({
      region_short_name: "WORLD-ZONE2",
      roam_profile_name: "RP_WORLD-ZONE2",
    });
    expect(await detailsOf(device.record.iccid!)).toMatchObject({ region: "WORLD-ZONE2" });
  });

  it("sets the ARP of one subscription, named by IMSI or MSISDN, its code as given", async () => {
    const device = (await actives())[0]!;
    const body = (subscription: unknown, arp_tadig_code: unknown) => ({
      subscription,
      change: { arp_tadig_code },
    });
    const arp = (subscription: unknown, code: unknown) => submit("arp-changes", body(subscription, code));
    const created = clock.now();
    const id = await accepted(
      "arp-changes",
      body({ identifier_type: "msisdn", identifier: device.record.msisdn }, "fraF1"),
    );
    await clock.advance(4000);
    expect(await status(id)).toMatchObject({
      subscriptionRequestType: "CHANGE_ALTROAMINGPROVIDER",
      subscriptionRequestState: "COMPLETED",
    });
    expect(await simOf(device.record.iccid!)).toMatchObject({
      arp_tadig: "fraF1",
      arp_assignment_time: new Date(created + 4000).toISOString(),
    });
    expect(await detailsOf(device.record.iccid!)).toMatchObject({ arpTadigCode: "fraF1" });

    const refusals = await Promise.all(
      [
        arp({ identifier_type: "ICC", identifier: device.record.iccid }, "FRAF1"),
        arp({ identifier_type: "IMSI", identifier: device.record.imsi }, "FRAF1-2"),
        arp({ identifier_type: "IMSI", identifier: device.record.imsi }, "ABCDEFGHIJK"),
        arp({ identifier_type: "IMSI" }, "FRAF1"),
        submit("arp-changes", {
          subscriptions: list("IMSI", [device.record.imsi]),
          change: { arp_tadig_code: "FRAF1" },
        }),
      ].map(async (r) => (await r).status),
    );
    expect(refusals).toEqual([400, 400, 400, 400, 400]);
  });

  it("shows a completed request's edit before its timer has run, as it shows the request COMPLETED", async () => {
    const device = (await actives()).find((d) => d.record.communicationPlan === "EU-ZONE1")!;
    // Due now, not yet applied: what a busy event loop leaves for a moment on a real clock.
    await runtime.scheduleEdit({
      accountId: account.id,
      nativeId: device.record.nativeId,
      at: clock.now(),
      fields: { [FIELD.region]: "WORLD-ZONE2" },
    });
    expect((await runtime.findDevice(account.id, device.record.nativeId))!.fields).toEqual({});
    expect(await simOf(device.record.iccid!)).toMatchObject({ region_short_name: "WORLD-ZONE2" });
    expect(await detailsOf(device.record.iccid!)).toMatchObject({ region: "WORLD-ZONE2" });
  });
});
