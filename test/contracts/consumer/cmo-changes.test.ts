import { join } from "node:path";
import { MatchersV3 as M } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";
import { cmoCall, monitorLink } from "../support/cmo-client.js";
import {
  anyPlatform,
  BASE,
  bearer,
  ENTRY_STATES,
  EXAMPLE,
  echoedRequest,
  href,
  JSON_TYPE,
  LINK,
  MONITOR_SOURCE,
  monitor,
  monitorEntry,
  simCard,
} from "../support/cmo-shapes.js";
import { CMO_CONTRACTS, expectShipped, pactFor } from "../support/pacts.js";

/** Status changes, synchronous and asynchronous, batches and monitors (seed page; cmo-api.md §3–4). */
const { pact, file } = pactFor(CMO_CONTRACTS, "changes", "cmo-client", "cmo-sim");
const auth = { Authorization: bearer() };
const patchHeaders = { ...auth, "Content-Type": "application/json-patch+json" };
const suspend = [{ op: "replace", path: "/status", value: "SUSPENDED" }];
const subProductPath = (example: string) =>
  M.fromProviderState(`${BASE}/product/\${subProductId}`, `${BASE}/product/${example}-simCard`);
const acceptedHeaders = {
  ...JSON_TYPE,
  Link: LINK,
  Location: href("monitor/[0-9A-Za-z]+-\\d{9,}(-\\d+)?-monitor", `monitor/${EXAMPLE.monitorId}`),
};

describe("CMO consumer: status changes and monitors", () => {
  it("changes a SIM's status on a synchronous platform: 200 and the updated SIM card", async () => {
    await pact
      .addInteraction()
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .uponReceiving("a status change on a synchronous platform")
      .withRequest("PATCH", subProductPath(EXAMPLE.jasper), (b) => b.headers(patchHeaders).jsonBody(suspend))
      .willRespondWith(200, (b) => b.headers(JSON_TYPE).jsonBody(simCard("SUSPENDED", EXAMPLE.jasper)))
      .executeTest(async (server) => {
        const sim = await cmoCall(server.url, "PATCH", `${BASE}/product/${EXAMPLE.jasper}-simCard`, {
          body: suspend,
        });
        expect(sim.status).toBe(200);
        expect(sim.body.status).toBe("SUSPENDED");
      });
  });

  it("changes a SIM's status on an asynchronous platform: 202, a monitor and its Link", async () => {
    await pact
      .addInteraction()
      .given("a TMSP SIM in status ACTIVE", { platform: "TMSP", status: "ACTIVE" })
      .uponReceiving("a status change on an asynchronous platform")
      .withRequest("PATCH", subProductPath(EXAMPLE.tmsp), (b) => b.headers(patchHeaders).jsonBody(suspend))
      .willRespondWith(202, (b) =>
        b.headers(acceptedHeaders).jsonBody(
          monitor({
            state: "IN_PROGRESS",
            request: echoedRequest(suspend),
            response: [monitorEntry("TMSP", "IN_PROGRESS")],
          }),
        ),
      )
      .executeTest(async (server) => {
        const accepted = await cmoCall(server.url, "PATCH", `${BASE}/product/${EXAMPLE.tmsp}-simCard`, {
          body: suspend,
        });
        expect(accepted.status).toBe(202);
        expect(monitorLink(accepted.headers.get("link"))).toBe(accepted.body.href);
      });
  });

  for (const state of ["IN_PROGRESS", "DONE", "FAILED"] as const) {
    it(`reads a monitor that is ${state}`, async () => {
      await pact
        .addInteraction()
        .given(`a monitor in state ${state}`, { state, platform: "TMSP" })
        .uponReceiving(`a request for a monitor that is ${state}`)
        .withRequest(
          "GET",
          M.fromProviderState(`${BASE}/monitor/\${monitorId}`, `${BASE}/monitor/${EXAMPLE.monitorId}`),
          (b) => b.headers(auth),
        )
        .willRespondWith(200, (b) =>
          b.headers(JSON_TYPE).jsonBody(
            // Any monitor reads like this one, whichever platforms and request it is about.
            monitor({
              state,
              fromState: true,
              source: MONITOR_SOURCE,
              request: {
                method: "PATCH",
                headers: M.eachLike({
                  name: M.like("content-type"),
                  value: M.like("application/json-patch+json"),
                }),
              },
              response: M.eachLike(monitorEntry(anyPlatform("TMSP"), ENTRY_STATES[state], false)),
            }),
          ),
        )
        .executeTest(async (server) => {
          const read = await cmoCall(server.url, "GET", `${BASE}/monitor/${EXAMPLE.monitorId}`);
          expect(read.body.state).toBe(state);
          expect(read.body.errors.length > 0).toBe(state === "FAILED");
        });
    });
  }

  it("changes SIMs on a synchronous and an asynchronous platform in one batch", async () => {
    const batch = (ids: unknown[]) => ({
      productIdList: ids,
      request: {
        method: "PATCH",
        body: suspend,
        headers: [{ name: "Content-Type", value: "application/json-patch+json" }],
      },
    });
    await pact
      .addInteraction()
      .given("SIMs on JASPER,TMSP in status ACTIVE", { platforms: "JASPER,TMSP", status: "ACTIVE" })
      .uponReceiving("a batch status change over a synchronous and an asynchronous platform")
      .withRequest("PATCH", `${BASE}/product`, (b) =>
        b
          .headers({ ...auth, "Content-Type": "application/json" })
          .jsonBody(
            batch([
              M.fromProviderState(`\${subProductId1}`, `${EXAMPLE.jasper}-simCard`),
              M.fromProviderState(`\${subProductId2}`, `${EXAMPLE.tmsp}-simCard`),
            ]),
          ),
      )
      .willRespondWith(202, (b) =>
        b.headers(acceptedHeaders).jsonBody(
          monitor({
            state: "IN_PROGRESS",
            source: {
              pattern: "monitor/[0-9A-Za-z]+-\\d{9,}(-\\d+)?-monitor",
              example: `monitor/${EXAMPLE.monitorId}`,
            },
            request: {
              method: "PATCH",
              body: M.like(batch([`${EXAMPLE.jasper}-simCard`, `${EXAMPLE.tmsp}-simCard`])),
              headers: M.eachLike({ name: M.like("content-type"), value: M.like("application/json") }),
            },
            response: [monitorEntry("JASPER", "DONE"), monitorEntry("TMSP", "IN_PROGRESS")],
          }),
        ),
      )
      .executeTest(async (server) => {
        const accepted = await cmoCall(server.url, "PATCH", `${BASE}/product`, {
          body: batch([`${EXAMPLE.jasper}-simCard`, `${EXAMPLE.tmsp}-simCard`]),
          type: "application/json",
        });
        expect(accepted.status).toBe(202);
        expect(accepted.body.response.map((e: { platform: string }) => e.platform)).toEqual([
          "JASPER",
          "TMSP",
        ]);
      });
  });

  it("ships the pact the tests produce", () => {
    expectShipped(file, join(CMO_CONTRACTS, "changes.json"));
  });
});
