import { basename } from "node:path";
import { matchBody } from "./body-matching.js";
import type { CmoExchange, ExchangeChecker, Finding } from "./exchange.js";
import { matchHeaders, matchStatus } from "./header-matching.js";
import { type PactInteraction, pactFilesAt, type RuleList, readPact } from "./pact-file.js";
import { escapeRegex } from "./regex.js";
import { CMO_CONTRACTS_DIR } from "./shipped.js";
import type { Mismatch } from "./value-matchers.js";

/**
 * Contract drift: every CMO answer a scenario run sees is held against the interaction of the
 * shipped CMO contracts it corresponds to (same method, path shape, query, request and status),
 * and whatever breaks that interaction's matching rules is reported as drift.
 */

interface Contract {
  file: string;
  interaction: PactInteraction;
  path: RegExp;
  requestRules: Record<string, RuleList>;
}

/**
 * The form of a provider-state value, from its example: digits may differ, nothing else may.
 * `JASPER-8997112300000000047-simCard` stands for any JASPER SIM card, not for a GALAXY1 terminal.
 */
const shapeOf = (example: string) => example.split(/\d+/).map(escapeRegex).join("\\d+");

/** The request path as a pattern: each provider-state expression (`${productId}`) by the form of its example. */
function pathPattern(interaction: PactInteraction): RegExp {
  const { request } = interaction;
  const expression = request.expressions.path;
  if (expression) {
    const parts = expression.split(/\$\{[^}]+\}/);
    const example = new RegExp(`^${parts.map(escapeRegex).join("(.+?)")}$`).exec(request.path);
    const shapes = example ? example.slice(1).map((value) => shapeOf(value ?? "")) : [];
    return new RegExp(
      `^${parts.map((part, i) => escapeRegex(part) + (i < shapes.length ? shapes[i] : i < parts.length - 1 ? "[^/?#]+" : "")).join("")}$`,
    );
  }
  const regex = request.rules.path?.matchers.find((m) => m.match === "regex")?.regex;
  return typeof regex === "string" ? new RegExp(regex) : new RegExp(`^${escapeRegex(request.path)}$`);
}

/** Request body rules where values come from provider states: their example's form instead of any value. */
function requestBodyRules(interaction: PactInteraction): Record<string, RuleList> {
  const rules = { ...interaction.request.rules.body };
  for (const path of Object.keys(interaction.request.expressions.body)) {
    const example = valueAt(interaction.request.body, path);
    if (typeof example === "string") {
      rules[path] = { combine: "AND", matchers: [{ match: "regex", regex: shapeOf(example) }] };
    }
  }
  return rules;
}

/** The value at a simple rule path (`$.a[0].b`) of a document. */
function valueAt(document: unknown, path: string): unknown {
  const steps = path.replace(/^\$/, "").match(/[^.[\]]+/g) ?? [];
  let value: unknown = document;
  for (const step of steps)
    value = (value as Record<string, unknown> | undefined)?.[step.replace(/^'|'$/g, "")];
  return value;
}

/** The HTTP interactions of the pact files at `paths` (files or folders), in file then pact order. */
export function loadContracts(paths: readonly string[] = [CMO_CONTRACTS_DIR]): Contract[] {
  return paths
    .flatMap((p) => pactFilesAt(p))
    .flatMap((file) =>
      readPact(file).interactions.map((interaction) => ({
        file,
        interaction,
        path: pathPattern(interaction),
        requestRules: requestBodyRules(interaction),
      })),
    );
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Whether the exchange's request is the one the interaction describes. */
function corresponds(
  contract: Contract,
  exchange: CmoExchange,
  path: string,
  query: URLSearchParams,
): boolean {
  const { request, response } = contract.interaction;
  if (request.method !== exchange.method.toUpperCase() || !contract.path.test(path)) return false;
  for (const [name, values] of Object.entries(request.query)) {
    if (query.getAll(name).join(",") !== values.join(",")) return false;
  }
  if (matchStatus(response.status, exchange.status, response.rules.status).length > 0) return false;
  const headers = lowerKeys(exchange.requestHeaders);
  if (matchHeaders(request.headers, headers, request.rules.header).length > 0) return false;
  return (
    request.body === undefined ||
    matchBody(request.body, exchange.requestBody, contract.requestRules).length === 0
  );
}

/** Where an answer breaks an interaction's response: headers (`$.headers.link`) and body (`$.body.state`). */
export function responseMismatches(
  interaction: PactInteraction,
  answer: { headers: Record<string, string>; body: unknown },
): Array<Mismatch & { where: string }> {
  const { response } = interaction;
  return [
    ...matchHeaders(response.headers, lowerKeys(answer.headers), response.rules.header).map((m) => ({
      ...m,
      where: `$.headers.${m.path.toLowerCase()}`,
    })),
    ...matchBody(response.body, answer.body, response.rules.body).map((m) => ({
      ...m,
      where: `$.body${m.path.slice(1)}`,
    })),
  ];
}

function findings(contract: Contract, exchange: CmoExchange): Finding[] {
  const subject = `${contract.interaction.description} (${basename(contract.file)})`;
  return responseMismatches(contract.interaction, {
    headers: exchange.responseHeaders,
    body: exchange.responseBody,
  }).map((m) => ({
    kind: "contract-drift",
    subject,
    path: m.where,
    rule: m.rule,
    expected: m.expected,
    actual: m.actual,
  }));
}

/**
 * Checks one exchange: no findings when no interaction corresponds, or when one of those that do
 * accepts the answer; otherwise the findings of the closest one (fewest, then first in file order).
 */
export function checkExchange(contracts: readonly Contract[], exchange: CmoExchange): Finding[] {
  const url = new URL(exchange.path, "http://cmo-sim");
  let best: Finding[] | undefined;
  for (const contract of contracts) {
    if (!corresponds(contract, exchange, url.pathname, url.searchParams)) continue;
    const found = findings(contract, exchange);
    if (found.length === 0) return [];
    if (!best || found.length < best.length) best = found;
  }
  return best ?? [];
}

/** The drift checker scenario runs use: the shipped CMO contracts, loaded once. */
export function driftChecker(paths?: readonly string[]): ExchangeChecker {
  const contracts = loadContracts(paths);
  return (exchange) => checkExchange(contracts, exchange);
}
