import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { MatchersV3 as M, PactV4 } from "@pact-foundation/pact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responseMismatches } from "../../src/contracts/drift.js";
import { matchStatus } from "../../src/contracts/header-matching.js";
import { readPact } from "../../src/contracts/pact-file.js";
import { type VerificationReport, verifyPacts } from "../../src/contracts/verify.js";

/**
 * The drift checker's rule evaluator must say what Pact says. Each case is one interaction (what
 * a contract expects) and one answer (what a provider sends); the real Pact verifier judges every
 * answer from a tiny provider, the evaluator judges the same answer from the same pact file.
 */

interface Case {
  name: string;
  expected: unknown;
  actual: unknown;
  /** What we expect Pact to decide; the test checks the case set exercises both verdicts. */
  pass: boolean;
  headers?: Record<string, unknown>;
  actualHeaders?: Record<string, string>;
  status?: number;
}

const LINK_EXAMPLE =
  '<http://a/monitor/1-monitor>; rel="related"; title="monitor", <http://a/product/X>; rel="self"';
const LINK = M.regex(
  '^<[^>]+/monitor/[^>]+>; rel="related"; title="monitor", <[^>]+>; rel="self"$',
  LINK_EXAMPLE,
);
const UUID = "08cf2679-a736-45bb-936d-7c00d1628f38";

const CASES: Case[] = [
  {
    name: "type: other values, extra keys",
    expected: { a: M.like("x"), b: M.like(1) },
    actual: { a: "y", b: 2, c: true },
    pass: true,
  },
  { name: "type: a string for a number", expected: { a: M.like(1) }, actual: { a: "1" }, pass: false },
  {
    name: "no rule: nested value differs",
    expected: { a: { b: "x" } },
    actual: { a: { b: "y" } },
    pass: false,
  },
  { name: "no rule: missing key", expected: { a: "x", b: "y" }, actual: { a: "x" }, pass: false },
  {
    name: "no rule: equal",
    expected: { a: [1, "x", null, true] },
    actual: { a: [1, "x", null, true] },
    pass: true,
  },
  { name: "no rule: list longer", expected: { a: [1, 2] }, actual: { a: [1, 2, 3] }, pass: false },
  { name: "no rule: empty list expected", expected: { a: [] }, actual: { a: [1] }, pass: false },
  { name: "no rule: null expected", expected: { a: null }, actual: { a: "x" }, pass: false },
  {
    name: "eachLike: every item like the first",
    expected: { a: M.eachLike({ id: M.integer(1) }) },
    actual: { a: [{ id: 1 }, { id: 2 }, { id: 3 }] },
    pass: true,
  },
  {
    name: "eachLike: below min",
    expected: { a: M.eachLike({ id: 1 }, 2) },
    actual: { a: [{ id: 1 }] },
    pass: false,
  },
  {
    name: "eachLike: one item of the wrong type",
    expected: { a: M.eachLike({ id: M.integer(1) }) },
    actual: { a: [{ id: 1 }, { id: "2" }] },
    pass: false,
  },
  { name: "eachLike: empty list", expected: { a: M.eachLike({ id: 1 }) }, actual: { a: [] }, pass: false },
  {
    name: "atMostLike: above max",
    expected: { a: M.atMostLike({ id: 1 }, 2) },
    actual: { a: [{ id: 1 }, { id: 2 }, { id: 3 }] },
    pass: false,
  },
  {
    name: "constrainedArrayLike: within",
    expected: { a: M.constrainedArrayLike({ id: 1 }, 1, 3) },
    actual: { a: [{ id: 5 }, { id: 6 }] },
    pass: true,
  },
  {
    name: "like cascades into a list",
    expected: M.like({ a: [1, 2] }),
    actual: { a: [5, 6, 7] },
    pass: true,
  },
  {
    name: "like cascades: expected list longer",
    expected: M.like({ a: [1, 2, 3] }),
    actual: { a: [1] },
    pass: true,
  },
  {
    name: "like cascades: a type changes deep down",
    expected: M.like({ a: { b: [{ c: "x" }] } }),
    actual: { a: { b: [{ c: 1 }] } },
    pass: false,
  },
  { name: "regex: matches", expected: { a: M.regex("^A\\d+$", "A1") }, actual: { a: "A22" }, pass: true },
  {
    name: "regex: does not match",
    expected: { a: M.regex("^A\\d+$", "A1") },
    actual: { a: "B1" },
    pass: false,
  },
  {
    name: "regex: the whole value must match",
    expected: { a: M.regex("\\d", "1") },
    actual: { a: "x1y" },
    pass: false,
  },
  { name: "regex: on a number", expected: { a: M.regex("^\\d+$", "1") }, actual: { a: 42 }, pass: true },
  {
    name: "equal inside like: same",
    expected: M.like({ s: M.equal("DONE"), n: 1 }),
    actual: { s: "DONE", n: 5 },
    pass: true,
  },
  {
    name: "equal inside like: differs",
    expected: M.like({ s: M.equal("DONE"), n: 1 }),
    actual: { s: "FAILED", n: 5 },
    pass: false,
  },
  {
    name: "equal on a map with more keys",
    expected: { a: M.equal({ x: 1 }) },
    actual: { a: { x: 1, y: 2 } },
    pass: false,
  },
  { name: "integer: a decimal", expected: { a: M.integer(1) }, actual: { a: 2.5 }, pass: false },
  { name: "decimal: an integer", expected: { a: M.decimal(1.5) }, actual: { a: 2 }, pass: false },
  { name: "decimal: a decimal", expected: { a: M.decimal(1.5) }, actual: { a: 2.25 }, pass: true },
  { name: "number: a decimal", expected: { a: M.number(1) }, actual: { a: 2.5 }, pass: true },
  { name: "number: a numeric string", expected: { a: M.number(1) }, actual: { a: "2.5" }, pass: false },
  { name: "decimal: a decimal string", expected: { a: M.decimal(1.5) }, actual: { a: "2.5" }, pass: false },
  {
    name: "boolean (a type matcher in pact-js): the string true",
    expected: { a: M.boolean(true) },
    actual: { a: "true" },
    pass: false,
  },
  { name: "boolean: a boolean", expected: { a: M.boolean(true) }, actual: { a: false }, pass: true },
  { name: "boolean: a number", expected: { a: M.boolean(true) }, actual: { a: 1 }, pass: false },
  { name: "null: null", expected: { a: M.nullValue() }, actual: { a: null }, pass: true },
  { name: "null: a string", expected: { a: M.nullValue() }, actual: { a: "x" }, pass: false },
  {
    name: "timestamp: matches the pattern",
    expected: { a: M.timestamp("yyyy-MM-dd'T'HH:mm:ss.SSSX", "2020-04-01T20:00:00.000Z") },
    actual: { a: "2026-11-26T18:19:15.145Z" },
    pass: true,
  },
  {
    name: "timestamp: another shape",
    expected: { a: M.timestamp("yyyy-MM-dd'T'HH:mm:ss.SSSX", "2020-04-01T20:00:00.000Z") },
    actual: { a: "2026-11-26 18:19" },
    pass: false,
  },
  {
    name: "date: matches",
    expected: { a: M.date("yyyy-MM-dd", "2020-01-01") },
    actual: { a: "2026-02-03" },
    pass: true,
  },
  {
    name: "date: another shape",
    expected: { a: M.date("yyyy-MM-dd", "2020-01-01") },
    actual: { a: "03.02.2026" },
    pass: false,
  },
  {
    name: "time: matches",
    expected: { a: M.time("HH:mm:ss", "10:00:00") },
    actual: { a: "23:59:01" },
    pass: true,
  },
  { name: "includes: yes", expected: { a: M.includes("bc") }, actual: { a: "abcd" }, pass: true },
  { name: "includes: no", expected: { a: M.includes("bc") }, actual: { a: "xyz" }, pass: false },
  {
    name: "uuid: yes",
    expected: { a: M.uuid(UUID) },
    actual: { a: "7b7b86c6-394d-4b01-85aa-55fc06309119" },
    pass: true,
  },
  { name: "uuid: no", expected: { a: M.uuid(UUID) }, actual: { a: "not-a-uuid" }, pass: false },
  {
    name: "arrayContaining: present among others",
    expected: { a: M.arrayContaining({ type: "self" }) },
    actual: { a: [{ type: "next" }, { type: "self", url: "u" }] },
    pass: true,
  },
  {
    name: "arrayContaining: absent",
    expected: { a: M.arrayContaining({ type: "self" }) },
    actual: { a: [{ type: "next" }] },
    pass: false,
  },
  {
    name: "arrayContaining: a variant with its own matcher",
    expected: { a: M.arrayContaining({ name: "SYSTEM", value: M.like("X") }) },
    actual: {
      a: [
        { name: "ICCID", value: "1" },
        { name: "SYSTEM", value: "JASPER" },
      ],
    },
    pass: true,
  },
  {
    name: "fromProviderState: any string",
    expected: { id: M.fromProviderState(`\${x}`, "A") },
    actual: { id: "B" },
    pass: true,
  },
  {
    name: "fromProviderState: a number",
    expected: { id: M.fromProviderState(`\${x}`, "A") },
    actual: { id: 5 },
    pass: false,
  },
  {
    name: "eachValueMatches: every value a string",
    expected: { m: M.eachValueMatches({ a: "x" }, M.like("x")) },
    actual: { m: { p: "1", q: "2" } },
    pass: true,
  },
  {
    name: "eachValueMatches: a number among strings",
    expected: { m: M.eachValueMatches({ a: "x" }, M.like("x")) },
    actual: { m: { p: "1", q: 2 } },
    pass: false,
  },
  {
    name: "header: JSON with a charset",
    expected: {},
    actual: {},
    headers: { "Content-Type": "application/json" },
    actualHeaders: { "content-type": "application/json; charset=utf-8" },
    pass: true,
  },
  {
    name: "header: HAL with its charset",
    expected: {},
    actual: {},
    headers: { "Content-Type": "application/hal+json;charset=UTF-8" },
    actualHeaders: { "content-type": "application/hal+json;charset=UTF-8" },
    pass: true,
  },
  {
    name: "header: another media type",
    expected: {},
    actual: {},
    headers: { "Content-Type": "application/hal+json;charset=UTF-8" },
    actualHeaders: { "content-type": "application/json" },
    pass: false,
  },
  {
    name: "header: Link as the seed page has it",
    expected: {},
    actual: {},
    headers: { Link: LINK },
    actualHeaders: { link: LINK_EXAMPLE },
    pass: true,
  },
  {
    name: "header: Link with the relations swapped",
    expected: {},
    actual: {},
    headers: { Link: LINK },
    actualHeaders: {
      link: '<http://a/product/X>; rel="self", <http://a/monitor/1-monitor>; rel="related"; title="monitor"',
    },
    pass: false,
  },
  {
    name: "header: Retry-After in seconds",
    expected: {},
    actual: {},
    headers: { "Retry-After": M.regex("^\\d+$", "60") },
    actualHeaders: { "retry-after": "60" },
    pass: true,
  },
  {
    name: "header: Retry-After as words",
    expected: {},
    actual: {},
    headers: { "Retry-After": M.regex("^\\d+$", "60") },
    actualHeaders: { "retry-after": "soon" },
    pass: false,
  },
  {
    name: "header: exact, spaced differently",
    expected: {},
    actual: {},
    headers: { "X-Pair": "a, b" },
    actualHeaders: { "x-pair": "a,b" },
    pass: true,
  },
  { name: "header: missing", expected: {}, actual: {}, headers: { "X-Needed": "yes" }, pass: false },
  { name: "status: another one", expected: {}, actual: {}, status: 201, pass: false },
];

const casePath = (i: number) => `/case/${i}`;
const dir = mkdtempSync(join(tmpdir(), "cmo-sim-matchers-"));
let server: Server;
let report: VerificationReport;
let pactFile: string;

beforeAll(async () => {
  const pact = new PactV4({ consumer: "matcher-cases", provider: "matcher-provider", dir, logLevel: "warn" });
  // Interactions pile up on one pact until a test runs: the last one's mock server serves them all.
  const added = CASES.map((c, i) =>
    pact
      .addInteraction()
      .uponReceiving(c.name)
      .withRequest("GET", casePath(i))
      .willRespondWith(200, (b) => b.headers((c.headers ?? {}) as never).jsonBody(c.expected)),
  );
  await added.at(-1)!.executeTest(async (mock) => {
    for (const [i] of CASES.entries()) await fetch(mock.url + casePath(i));
  });
  pactFile = join(dir, "matcher-cases-matcher-provider.json");

  server = createAdaptorServer({
    fetch: (request: Request) => {
      const path = new URL(request.url).pathname;
      const i = Number(path.split("/").at(-1));
      const c = CASES[i];
      if (!c) return new Response("no such case", { status: 404 });
      const headers = new Headers({ "content-type": "application/json", ...c.actualHeaders });
      return new Response(JSON.stringify(c.actual), { status: c.status ?? 200, headers });
    },
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  report = await verifyPacts([
    { provider: "matcher-provider", providerBaseUrl: `http://127.0.0.1:${port}`, pactFiles: [pactFile] },
  ]);
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the drift checker's rule evaluator", () => {
  it("reaches Pact's verdict on every case", () => {
    const interactions = readPact(pactFile).interactions;
    const table = CASES.map((c) => {
      const pact = report.interactions.find((o) => o.description === c.name);
      const interaction = interactions.find((x) => x.description === c.name)!;
      const headers = { "content-type": "application/json", ...c.actualHeaders };
      const mismatches = [
        ...matchStatus(interaction.response.status, c.status ?? 200, interaction.response.rules.status),
        ...responseMismatches(interaction, { headers, body: c.actual }),
      ];
      return { case: c.name, pact: pact?.passed, evaluator: mismatches.length === 0, intended: c.pass };
    });

    expect(table.filter((row) => row.pact !== row.evaluator)).toEqual([]);
    expect(table.filter((row) => row.pact !== row.intended)).toEqual([]);
  });

  it("exercises passing and failing answers alike", () => {
    const verdicts = report.interactions.map((o) => o.passed);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(15);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(15);
  });
});
