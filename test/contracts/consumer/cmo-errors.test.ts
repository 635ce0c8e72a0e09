import { join } from "node:path";
import { MatchersV3 as M } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";
import { cmoCall } from "../support/cmo-client.js";
import { BASE, bearer, EXAMPLE, externalError, JSON_TYPE, problem } from "../support/cmo-shapes.js";
import { CMO_CONTRACTS, expectShipped, pactFor, textBody } from "../support/pacts.js";

/** The errors of cmo-api.md §5 as a client meets them: status, title and the problem body. */
const { pact, file } = pactFor(CMO_CONTRACTS, "errors", "cmo-client", "cmo-sim");
const auth = { Authorization: bearer() };
const patchHeaders = { ...auth, "Content-Type": "application/json-patch+json" };
const statusTo = (value: string) => [{ op: "replace", path: "/status", value }];
const productPath = (variable: string, example: string) =>
  M.fromProviderState(`${BASE}/product/\${${variable}}`, `${BASE}/product/${example}`);

describe("CMO consumer: errors", () => {
  it("400 Invalid Action: a transition the platform does not allow", async () => {
    await pact
      .addInteraction()
      .given("a JASPER SIM in status TERMINATED", { platform: "JASPER", status: "TERMINATED" })
      .uponReceiving("a status change the platform does not allow")
      .withRequest("PATCH", productPath("subProductId", `${EXAMPLE.jasper}-simCard`), (b) =>
        b.headers(patchHeaders).jsonBody(statusTo("ACTIVE")),
      )
      .willRespondWith(400, (b) => b.headers(JSON_TYPE).jsonBody(problem(400, "Invalid Action")))
      .executeTest(async (server) => {
        const refused = await cmoCall(server.url, "PATCH", `${BASE}/product/${EXAMPLE.jasper}-simCard`, {
          body: statusTo("ACTIVE"),
        });
        expect(refused.body.title).toBe("Invalid Action");
      });
  });

  it("401: no bearer token", async () => {
    await pact
      .addInteraction()
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .uponReceiving("a product read without a token")
      .withRequest("GET", productPath("productId", EXAMPLE.jasper))
      .willRespondWith(401, (b) => b.headers(JSON_TYPE).jsonBody(problem(401, "Unauthorized")))
      .executeTest(async (server) => {
        const refused = await cmoCall(server.url, "GET", `${BASE}/product/${EXAMPLE.jasper}`, {
          token: null,
        });
        expect(refused.status).toBe(401);
      });
  });

  it("403: a write by a read-only client", async () => {
    await pact
      .addInteraction()
      .given("the client is cmo-sim-readonly", { clientId: "cmo-sim-readonly" })
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .uponReceiving("a status change by a read-only client")
      .withRequest("PATCH", productPath("subProductId", `${EXAMPLE.jasper}-simCard`), (b) =>
        b.headers(patchHeaders).jsonBody(statusTo("SUSPENDED")),
      )
      .willRespondWith(403, (b) => b.headers(JSON_TYPE).jsonBody(problem(403, "Forbidden")))
      .executeTest(async (server) => {
        const refused = await cmoCall(server.url, "PATCH", `${BASE}/product/${EXAMPLE.jasper}-simCard`, {
          body: statusTo("SUSPENDED"),
        });
        expect(refused.status).toBe(403);
      });
  });

  it("404: a product no account holds", async () => {
    await pact
      .addInteraction()
      .given("no JASPER SIM has the id asked for", { platform: "JASPER" })
      .uponReceiving("a request for a product that does not exist")
      .withRequest("GET", productPath("unknownProductId", EXAMPLE.unknown), (b) => b.headers(auth))
      .willRespondWith(404, (b) => b.headers(JSON_TYPE).jsonBody(problem(404, "Not Found")))
      .executeTest(async (server) => {
        const missing = await cmoCall(server.url, "GET", `${BASE}/product/${EXAMPLE.unknown}`);
        expect(missing.status).toBe(404);
      });
  });

  it("409: a second status change while one is in flight", async () => {
    await pact
      .addInteraction()
      .given("a status change to SUSPENDED is in flight for a TMSP SIM in status ACTIVE", {
        target: "SUSPENDED",
        platform: "TMSP",
        status: "ACTIVE",
      })
      .uponReceiving("a status change while another is in flight")
      .withRequest("PATCH", productPath("subProductId", `${EXAMPLE.tmsp}-simCard`), (b) =>
        b.headers(patchHeaders).jsonBody(statusTo("TERMINATED")),
      )
      .willRespondWith(409, (b) => b.headers(JSON_TYPE).jsonBody(problem(409, "Conflict")))
      .executeTest(async (server) => {
        const refused = await cmoCall(server.url, "PATCH", `${BASE}/product/${EXAMPLE.tmsp}-simCard`, {
          body: statusTo("TERMINATED"),
        });
        expect(refused.status).toBe(409);
      });
  });

  it("415: a PATCH that is not JSON Patch", async () => {
    await pact
      .addInteraction()
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .uponReceiving("a status change sent as plain text")
      .withRequest("PATCH", productPath("subProductId", `${EXAMPLE.jasper}-simCard`), (b) => {
        b.headers({ ...auth, "Content-Type": "text/plain" });
        textBody(b, "text/plain", "status=SUSPENDED");
      })
      .willRespondWith(415, (b) => b.headers(JSON_TYPE).jsonBody(problem(415, "Unsupported Media Type")))
      .executeTest(async (server) => {
        const refused = await cmoCall(server.url, "PATCH", `${BASE}/product/${EXAMPLE.jasper}-simCard`, {
          body: "status=SUSPENDED",
          type: "text/plain",
        });
        expect(refused.status).toBe(415);
      });
  });

  it("429: the platform's rate limit, with Retry-After and the platform's own error", async () => {
    await pact
      .addInteraction()
      .given("platform 1NCE is at its rate limit", { platform: "1NCE" })
      .uponReceiving("a product read while the platform is at its rate limit")
      .withRequest("GET", productPath("productId", EXAMPLE.once), (b) => b.headers(auth))
      .willRespondWith(429, (b) =>
        b
          .headers({ ...JSON_TYPE, "Retry-After": M.regex("^\\d+$", "60") })
          .jsonBody(problem(429, "Too Many Requests", externalError("1NCE", 429))),
      )
      .executeTest(async (server) => {
        const refused = await cmoCall(server.url, "GET", `${BASE}/product/${EXAMPLE.once}`);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      });
  });

  it("ships the pact the tests produce", () => {
    expectShipped(file, join(CMO_CONTRACTS, "errors.json"));
  });
});
