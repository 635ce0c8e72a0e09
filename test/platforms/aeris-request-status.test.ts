import { beforeEach, describe, expect, it } from "vitest";
import { API, aerisServer, NEW_PACKAGE, REQUESTS, requestCalls, SICA, type Sim } from "./aeris-support.js";

/**
 * Around the SICA change requests: the request status (the DCP `SubscriptionRequest`, paged with
 * `page`/`perPage`), request bodies refused field by field, documented endpoints the fake refuses,
 * and request effects kept through a snapshot.
 */

const aeris = await aerisServer();
const { server, clock, account, stranger, bearer, get } = aeris;
const { simOf, submit, accepted, status, problemOf, actives, list } = requestCalls(aeris);

describe("IOTA SICA request status and refusals", () => {
  beforeEach(() => server.sim.reset());

  it("pages a request's resources with page and perPage, counting all of them", async () => {
    const five = (await actives()).slice(0, 5);
    const id = await accepted("state-changes", {
      subscriptions: list(
        "ICC",
        five.map((d) => d.record.iccid),
      ),
      change: { state: "PAUSE" },
      on_behalf_of: { company_id: account.id },
    });
    const page = await status(id, "?page=1&perPage=2");
    expect(page).toMatchObject({ size: 5, subscriptionRequestResourceCounters: { pending: 5 } });
    expect((page.subscriptionRequestResources as Sim[]).map((r) => r.resourceId)).toEqual(
      five.slice(2, 4).map((d) => d.record.iccid),
    );
    expect((await status(id, "?page=3&perPage=2")).subscriptionRequestResources).toEqual([]);
    for (const query of ["?perPage=0", "?page=-1", "?page=1", "?expand=all"])
      expect((await get(`${REQUESTS}/${id}${query}`)).status).toBe(400);
    expect((await get(`${REQUESTS}/REQ000000000000`)).status).toBe(404);
    expect((await get(`${REQUESTS}/${id}`, stranger)).status).toBe(404);
  });

  it("refuses fields and identifier types the request bodies do not document", async () => {
    const iccid = (await actives())[0]!.record.iccid;
    const bodies = [
      { subscriptions: list("ICC", [iccid]), change: { state: "PAUSE", reason: "test" } },
      { subscriptions: list("ICC", [iccid]), change: { state: "PAUSE" }, comment: "x" },
      { subscriptions: { ...list("ICC", [iccid]), range: 2 }, change: { state: "PAUSE" } },
      { subscriptions: list("IMEI", [iccid]), change: { state: "PAUSE" } },
      { subscriptions: list("ICCID", [iccid]), change: { state: "PAUSE" } },
      { subscriptions: list("ICC", []), change: { state: "PAUSE" } },
      { subscriptions: list("ICC", [iccid]), change: { state: "PAUSE" }, on_behalf_of: { tenant: "x" } },
      { subscriptions: list("ICC", [iccid]) },
    ];
    const answers = await Promise.all(bodies.map((body) => problemOf(submit("state-changes", body))));
    expect(answers.map((a) => [a.status, a.code])).toEqual(
      bodies.map(() => [400, "INVALID_REQUEST_PARAMETERS"]),
    );
    expect(answers[0]!.detail).toBe("Unknown field(s) change.reason");
    expect(
      await problemOf(
        submit("state-changes", {
          subscriptions: list("ICC", [iccid]),
          change: { state: "PAUSE" },
          on_behalf_of: { organization_id: stranger.id },
        }),
      ),
    ).toMatchObject({
      status: 403,
    });
  });

  it("refuses documented endpoints it does not simulate, in Aeris' problem envelope", async () => {
    const headers = { ...(await bearer()), "enterprise-id": account.id };
    const calls: Array<[string, string]> = [
      ["DELETE", `${SICA}/sim-orders/REQ201234567890`],
      ["POST", `${API}/subscriptions/changes/requests`],
      ["GET", `${API}/subscriptions/changes/requests/REQ201234567890`],
    ];
    for (const [method, path] of calls) {
      const res = await server.request(path, {
        method,
        headers,
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await problemOf(res)).toMatchObject({ status: 400, code: "NOT_SIMULATED" });
      expect((await server.request(path, { method })).status).toBe(401);
    }
  });

  it("keeps package, region and ARP edits, and a request in flight, through a snapshot round trip", async () => {
    const [done, inFlight] = await actives();
    const change = (kind: string, iccid: string, body: Record<string, unknown>) =>
      accepted(kind, { subscriptions: list("ICC", [iccid]), change: body });
    await change("package-changes", done!.record.iccid!, { subscription_package_id: NEW_PACKAGE.id });
    await clock.advance(4000);
    await change("region-changes", done!.record.iccid!, { region: "WORLD-ZONE2" });
    await clock.advance(4000);
    await accepted("arp-changes", {
      subscription: { identifier_type: "IMSI", identifier: done!.record.imsi },
      change: { arp_tadig_code: "FRAF1" },
    });
    await clock.advance(4000);
    const pending = await change("package-changes", inFlight!.record.iccid!, {
      subscription_package_id: NEW_PACKAGE.id,
    });
    await clock.advance(2000);

    const saved = await server.admin("GET", "/snapshot");
    expect(saved.status).toBe(200);
    const snapshot = await saved.json();
    expect((await server.admin("POST", "/reset")).status).toBe(204);
    expect(await simOf(done!.record.iccid!)).toMatchObject({ price_profile_name: done!.record.ratePlan });
    expect((await server.admin("PUT", "/snapshot", snapshot)).status).toBe(204);

    expect(await simOf(done!.record.iccid!)).toMatchObject({
      price_profile_name: NEW_PACKAGE.id,
      region_short_name: "WORLD-ZONE2",
      arp_tadig: "FRAF1",
    });
    expect(await status(pending)).toMatchObject({ subscriptionRequestState: "IN_PROGRESS" });
    expect(await simOf(inFlight!.record.iccid!)).toMatchObject({
      price_profile_name: inFlight!.record.ratePlan,
    });
    await clock.advance(2000);
    expect(await status(pending)).toMatchObject({ subscriptionRequestState: "COMPLETED" });
    expect(await simOf(inFlight!.record.iccid!)).toMatchObject({ price_profile_name: NEW_PACKAGE.id });
  });
});
