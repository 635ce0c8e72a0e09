import { describe, expect, it } from "vitest";
import { PactFileError, parsePact } from "../../src/contracts/pact-file.js";

/** Pact files of every specification version read into one shape. */
describe("reading pact files", () => {
  it("reads a V2 pact: one provider state, rules keyed by $.body and $.headers", () => {
    const pact = parsePact(
      JSON.stringify({
        consumer: { name: "c" },
        provider: { name: "p" },
        interactions: [
          {
            description: "d",
            providerState: "a JASPER SIM in status ACTIVE",
            request: { method: "get", path: "/x", query: "a=1&a=2&b=3" },
            response: {
              status: 200,
              headers: { Link: "<x>" },
              body: { id: "A1", list: [1] },
              matchingRules: {
                "$.body.id": { regex: "^A\\d$" },
                "$.body.list": { min: 1 },
                "$.headers.Link": { match: "regex", regex: "^<.+>$" },
              },
            },
          },
        ],
        metadata: { pactSpecification: { version: "2.0.0" } },
      }),
      "v2.json",
    );
    const [interaction] = pact.interactions;
    expect(interaction?.providerStates).toEqual([{ name: "a JASPER SIM in status ACTIVE", params: {} }]);
    expect(interaction?.request).toMatchObject({ method: "GET", query: { a: ["1", "2"], b: ["3"] } });
    expect(interaction?.response.rules.body).toEqual({
      "$.id": { combine: "AND", matchers: [{ match: "regex", regex: "^A\\d$" }] },
      "$.list": { combine: "AND", matchers: [{ match: "type", min: 1 }] },
    });
    expect(interaction?.response.rules.header.Link?.matchers[0]).toEqual({ match: "regex", regex: "^<.+>$" });
  });

  it("reads a V4 pact: bodies with their content type, generators as provider-state expressions, messages left out", () => {
    const pact = parsePact(
      JSON.stringify({
        consumer: { name: "c" },
        provider: { name: "p" },
        interactions: [
          { type: "Asynchronous/Messages", description: "m", contents: {} },
          {
            type: "Synchronous/HTTP",
            description: "h",
            providerStates: [{ name: "s", params: { platform: "TMSP" } }],
            request: {
              method: "PATCH",
              path: "/product/TMSP-1",
              headers: { "Content-Type": ["application/json-patch+json"] },
              body: {
                content: '[{"op":"replace"}]',
                contentType: "application/json-patch+json",
                encoded: "json",
              },
              generators: { path: { type: "ProviderState", expression: `/product/\${productId}` } },
            },
            response: {
              status: 202,
              body: { content: { state: "IN_PROGRESS" }, contentType: "application/json" },
            },
          },
        ],
        metadata: { pactSpecification: { version: "4.0" } },
      }),
      "v4.json",
    );
    expect(pact.interactions).toHaveLength(1);
    expect(pact.interactions[0]?.request.body).toEqual([{ op: "replace" }]);
    expect(pact.interactions[0]?.request.expressions.path).toBe(`/product/\${productId}`);
    expect(pact.interactions[0]?.response.body).toEqual({ state: "IN_PROGRESS" });
  });

  it("names the file and the field when it is not a pact", () => {
    expect(() => parsePact("{", "broken.json")).toThrow(PactFileError);
    expect(() => parsePact(JSON.stringify({ consumer: { name: "c" } }), "half.json")).toThrow(
      /half\.json.*provider/s,
    );
  });
});
