import { join } from "node:path";
import { MatchersV3 as M } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";
import { cmoCall } from "../support/cmo-client.js";
import {
  anyStatus,
  BASE,
  bearer,
  composite,
  EXAMPLE,
  href,
  JSON_TYPE,
  listedComposite,
  problem,
  simCard,
} from "../support/cmo-shapes.js";
import { CMO_CONTRACTS, expectShipped, pactFor, textBody } from "../support/pacts.js";

/** Signing in and reading products (cmo-api.md §1–3): what a CMO client reads and relies on. */
const { pact, file } = pactFor(CMO_CONTRACTS, "products", "cmo-client", "cmo-sim");
const auth = { Authorization: bearer() };

describe("CMO consumer: sign-in and products", () => {
  it("signs in with client credentials", async () => {
    const form = "grant_type=client_credentials&client_id=cmo-sim-client&client_secret=cmo-sim-secret";
    await pact
      .addInteraction()
      .uponReceiving("a client-credentials token request")
      .withRequest("POST", "/auth/realms/iothub/protocol/openid-connect/token", (b) =>
        textBody(b, "application/x-www-form-urlencoded", form),
      )
      .willRespondWith(200, (b) =>
        b.headers(JSON_TYPE).jsonBody({
          access_token: M.like("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"),
          expires_in: M.integer(300),
          refresh_expires_in: 0,
          token_type: "Bearer",
        }),
      )
      .executeTest(async (server) => {
        const res = await fetch(`${server.url}/auth/realms/iothub/protocol/openid-connect/token`, {
          method: "POST",
          // One connection per call, as cmoCall does (see there).
          headers: { "content-type": "application/x-www-form-urlencoded", connection: "close" },
          body: form,
        });
        const token = (await res.json()) as { access_token: string; expires_in: number };
        expect(token.expires_in).toBe(300);
      });
  });

  it("lists the tenant's products a page at a time", async () => {
    await pact
      .addInteraction()
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .uponReceiving("a request for the first page of products")
      .withRequest("GET", `${BASE}/product`, (b) => b.query({ pageSize: "2", pageNumber: "1" }).headers(auth))
      .willRespondWith(200, (b) =>
        b.headers(JSON_TYPE).jsonBody({
          entities: M.eachLike(listedComposite()),
          statistics: { currentPage: 1, pageSize: 2, totalCount: M.integer(1200) },
          links: M.eachLike({
            type: M.regex("^(self|next|prev)$", "self"),
            url: href("product\\?.*pageSize=2.*", "product?pageSize=2&pageNumber=1"),
          }),
        }),
      )
      .executeTest(async (server) => {
        const page = await cmoCall(server.url, "GET", `${BASE}/product?pageSize=2&pageNumber=1`);
        expect(page.body.statistics.pageSize).toBe(2);
        expect(page.body.entities[0]["@type"]).toBe("IoTConnection");
      });
  });

  it("finds products by ICCID, with a problem for each one not found", async () => {
    await pact
      .addInteraction()
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .given("no JASPER SIM has the id asked for", { platform: "JASPER" })
      .uponReceiving("a search for one known and one unknown ICCID")
      .withRequest("POST", `${BASE}/product/find`, (b) =>
        b.headers({ ...auth, "Content-Type": "application/json" }).jsonBody({
          iccidList: [
            M.fromProviderState(`\${iccid}`, EXAMPLE.jasperIccid),
            M.fromProviderState(`\${unknownIccid}`, EXAMPLE.unknownIccid),
          ],
        }),
      )
      .willRespondWith(200, (b) =>
        // A search may find all or none: both lists may be empty, their items are always like these.
        b.headers(JSON_TYPE).jsonBody({
          entities: M.atLeastLike(listedComposite(), 0, 1),
          errors: M.atLeastLike(
            // The spec fixes the status of these problems, not their title.
            {
              ...problem(404, "Not Found"),
              title: M.like("Not Found"),
              detail: M.like("8997112300000000104 not found"),
            },
            0,
            1,
          ),
        }),
      )
      .executeTest(async (server) => {
        const found = await cmoCall(server.url, "POST", `${BASE}/product/find`, {
          body: { iccidList: [EXAMPLE.jasperIccid, EXAMPLE.unknownIccid] },
          type: "application/json",
        });
        expect(found.body.entities).toHaveLength(1);
        expect(found.body.errors[0].status).toBe(404);
      });
  });

  it("reads a composite product with its sub-products", async () => {
    await pact
      .addInteraction()
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .uponReceiving("a request for a composite product")
      .withRequest(
        "GET",
        M.fromProviderState(`${BASE}/product/\${productId}`, `${BASE}/product/${EXAMPLE.jasper}`),
        (b) => b.headers(auth),
      )
      .willRespondWith(200, (b) => b.headers(JSON_TYPE).jsonBody(composite(EXAMPLE.jasper)))
      .executeTest(async (server) => {
        const product = await cmoCall(server.url, "GET", `${BASE}/product/${EXAMPLE.jasper}`);
        expect(product.body.productRelationship[0].type).toBe("BUNDLED");
      });
  });

  it("reads the SIM card sub-product", async () => {
    await pact
      .addInteraction()
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .uponReceiving("a request for a SIM card sub-product")
      .withRequest(
        "GET",
        M.fromProviderState(`${BASE}/product/\${subProductId}`, `${BASE}/product/${EXAMPLE.jasper}-simCard`),
        (b) => b.headers(auth),
      )
      .willRespondWith(200, (b) => b.headers(JSON_TYPE).jsonBody(simCard(anyStatus(), EXAMPLE.jasper)))
      .executeTest(async (server) => {
        const sim = await cmoCall(server.url, "GET", `${BASE}/product/${EXAMPLE.jasper}-simCard`);
        expect(sim.body.status).toBe("ACTIVE");
      });
  });

  it("assigns a custom property synchronously (seed page)", async () => {
    const body = [
      { op: "add", path: "/customProperty/-", value: { name: "MyFavoriteColour", value: "Blue" } },
    ];
    await pact
      .addInteraction()
      .given("a JASPER SIM in status ACTIVE", { platform: "JASPER", status: "ACTIVE" })
      .uponReceiving("a custom property assignment")
      .withRequest(
        "PATCH",
        M.fromProviderState(`${BASE}/product/\${subProductId}`, `${BASE}/product/${EXAMPLE.jasper}-simCard`),
        (b) => b.headers({ ...auth, "Content-Type": "application/json-patch+json" }).jsonBody(body),
      )
      .willRespondWith(200, (b) =>
        b
          .headers(JSON_TYPE)
          .jsonBody(
            simCard(
              anyStatus(),
              EXAMPLE.jasper,
              M.arrayContaining({ name: "MyFavoriteColour", value: "Blue" }),
            ),
          ),
      )
      .executeTest(async (server) => {
        const sim = await cmoCall(server.url, "PATCH", `${BASE}/product/${EXAMPLE.jasper}-simCard`, { body });
        expect(sim.body.customProperty).toContainEqual({ name: "MyFavoriteColour", value: "Blue" });
      });
  });

  it("ships the pact the tests produce", () => {
    expectShipped(file, join(CMO_CONTRACTS, "products.json"));
  });
});
