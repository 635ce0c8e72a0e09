import type { RuleList } from "./pact-file.js";
import { applyRuleList, type Mismatch } from "./value-matchers.js";

/** An answer's headers and status against an interaction's, as Pact's verifier compares them. */

const PARAMETERISED = new Set(["content-type", "accept"]);

function mediaType(value: string): { type: string; params: Map<string, string> } {
  const [type = "", ...params] = value.split(";");
  return {
    type: type.trim().toLowerCase(),
    params: new Map(
      params.map((p) => {
        const [k = "", v = ""] = p.split("=");
        return [k.trim().toLowerCase(), v.trim().replace(/^"|"$/g, "")] as [string, string];
      }),
    ),
  };
}

const stripCommas = (value: string) =>
  value
    .split(",")
    .map((v) => v.trim())
    .join(",");

/** Without a rule: media types (and the expected parameters) for Content-Type and Accept, else the values. */
function headerEqual(key: string, expected: string, actual: string): boolean {
  if (!PARAMETERISED.has(key)) return stripCommas(expected) === stripCommas(actual);
  const e = mediaType(expected);
  const a = mediaType(actual);
  return (
    e.type === a.type && [...e.params].every(([k, v]) => a.params.get(k)?.toLowerCase() === v.toLowerCase())
  );
}

/** Each expected header must be present: matched by its rule, by media type for Content-Type, else exactly. */
export function matchHeaders(
  expected: Record<string, string>,
  actual: Record<string, string>,
  rules: Record<string, RuleList>,
): Mismatch[] {
  const lowerActual = new Map(Object.entries(actual).map(([k, v]) => [k.toLowerCase(), v]));
  const lowerRules = new Map(Object.entries(rules).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Mismatch[] = [];
  for (const [name, value] of Object.entries(expected)) {
    const key = name.toLowerCase();
    const got = lowerActual.get(key);
    if (got === undefined) {
      out.push({
        path: name,
        rule: "header",
        expected: value,
        actual: "(absent)",
        message: `Expected a header '${name}' but was missing`,
      });
      continue;
    }
    const list = lowerRules.get(key);
    const failures = list
      ? applyRuleList(list, value, got, false)
      : headerEqual(key, value, got)
        ? []
        : [
            {
              rule: "equality",
              message: `Expected header '${name}' to have value '${value}' but was '${got}'`,
            },
          ];
    for (const f of failures)
      out.push({ path: name, rule: f.rule, expected: value, actual: got, message: f.message });
  }
  return out;
}

export function matchStatus(expected: number, actual: number, rule?: RuleList): Mismatch[] {
  const ruled = rule !== undefined && rule.matchers.length > 0;
  const ok = ruled ? applyRuleList(rule, expected, actual, false).length === 0 : expected === actual;
  if (ok) return [];
  const message = `expected ${expected} but was ${actual}`;
  return [
    {
      path: "status",
      rule: ruled ? "statusCode" : "status",
      expected: String(expected),
      actual: String(actual),
      message,
    },
  ];
}
