import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driftChecker } from "../../src/contracts/drift.js";
import { contractConfig } from "../../src/contracts/provider-sim.js";
import { DEFAULT_BASE_PATH } from "../../src/contracts/sim-client.js";
import { planJobs, verifyPacts } from "../../src/contracts/verify.js";
import { createSimulator } from "../../src/server/simulator.js";
import { arrange, exchange } from "./support/exchanges.js";
import { CMO_CONTRACTS } from "./support/pacts.js";

/**
 * The checks can fail: a simulator whose monitors lose their `correlationId` fails Pact
 * verification and the drift check, and both name the field.
 */
let server: Server;
let url: string;

beforeAll(async () => {
  const sim = createSimulator(contractConfig());
  const broken = async (request: Request): Promise<Response> => {
    const response = await sim.fetch(request);
    if (!response.headers.get("content-type")?.includes("json")) return response;
    const body = (await response.json()) as Record<string, unknown>;
    if (body?.["@type"] === "monitor") delete body.correlationId;
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(JSON.stringify(body), { status: response.status, headers });
  };
  server = createAdaptorServer({ fetch: broken }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => server?.close());

describe("a provider with one field broken", () => {
  it("fails Pact verification, naming the field", async () => {
    const report = await verifyPacts(planJobs([join(CMO_CONTRACTS, "changes.json")], url));
    const failed = report.interactions.filter((i) => !i.passed);
    expect(report.passed).toBe(false);
    expect(failed.map((i) => i.description)).toContain("a request for a monitor that is DONE");
    for (const interaction of failed) expect(interaction.problems.join("\n")).toContain("correlationId");
    // Answers that are not monitors still verify.
    expect(
      report.interactions.find((i) => i.description === "a status change on a synchronous platform")?.passed,
    ).toBe(true);
  });

  it("fails the drift check on the same field", async () => {
    const { token, tmsp } = await arrange(url);
    const seen = await exchange(
      url,
      "PATCH",
      `${DEFAULT_BASE_PATH.replace("{tenant}", "eos")}/product/${tmsp.productId}-simCard`,
      {
        token,
        body: [{ op: "replace", path: "/status", value: "SUSPENDED" }],
      },
    );
    expect(seen.status).toBe(202);
    const findings = driftChecker()(seen);
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: "contract-drift",
        subject: expect.stringContaining("a status change on an asynchronous platform"),
        path: "$.body.correlationId",
      }),
    );
  });
});
