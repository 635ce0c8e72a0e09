import type { Matcher, RuleList } from "./pact-file.js";
import { formatPlace, parseRulePath, pathWeight } from "./rule-paths.js";
import {
  applyMatcher,
  applyRuleList,
  deepEqual,
  isObject,
  type Json,
  lengthCheck,
  type Mismatch,
  show,
  text,
  typeName,
} from "./value-matchers.js";

/**
 * A JSON body against its example and matching rules, the way Pact's Rust core verifies a
 * provider's answer: a field without a rule must equal the example, rules cascade to what they
 * contain, arrays with a type rule compare every item with the first example, unexpected keys are
 * allowed.
 */

type Place = readonly string[];

interface Selected {
  list: RuleList;
  cascaded: boolean;
}

/** Whether a matcher applies to a whole map; Pact refuses the others there. */
const MAP_MATCHERS = new Set([
  "regex",
  "type",
  "equality",
  "notEmpty",
  "arrayContains",
  "eachKey",
  "eachValue",
  "values",
]);
const LIST_MATCHERS = new Set([
  ...MAP_MATCHERS,
  "number",
  "decimal",
  "integer",
  "time",
  "date",
  "timestamp",
  "datetime",
  "include",
  "contentType",
  "boolean",
  "semver",
]);

interface RuleEntry {
  tokens: NonNullable<ReturnType<typeof parseRulePath>>;
  list: RuleList;
}

/** Rules keyed by Pact path, with their parsed form, for one body. */
class Rules {
  readonly #entries: RuleEntry[];

  constructor(rules: Record<string, RuleList>) {
    this.#entries = Object.entries(rules).flatMap(([key, list]) => {
      const tokens = parseRulePath(key);
      return tokens ? [{ tokens, list }] : [];
    });
  }

  static of(entries: Array<[Place, RuleList]>): Rules {
    return new Rules(Object.fromEntries(entries.map(([place, list]) => [formatPlace(place), list])));
  }

  defined(place: Place): boolean {
    return this.#entries.some((e) => pathWeight(e.tokens, place) > 0);
  }

  /** The best rule list for a place, and whether it was inherited from a parent. */
  best(place: Place): Selected | undefined {
    let best: { score: number; entry: RuleEntry } | undefined;
    for (const entry of this.#entries) {
      const weight = pathWeight(entry.tokens, place);
      if (weight === 0) continue;
      const score = weight * entry.tokens.length;
      if (!best || score > best.score) best = { score, entry };
    }
    return best && { list: best.entry.list, cascaded: best.entry.tokens.length !== place.length };
  }

  /** Rule lists written for exactly this place. */
  direct(place: Place): RuleList[] {
    return this.#entries
      .filter((e) => e.tokens.length === place.length && pathWeight(e.tokens, place) > 0)
      .map((e) => e.list);
  }
}

class BodyMatcher {
  readonly mismatches: Mismatch[] = [];

  constructor(private readonly rules: Rules) {}

  #push(place: Place, rule: string, expected: Json, actual: Json, message: string): void {
    this.mismatches.push({
      path: formatPlace(place),
      rule,
      expected: text(expected),
      actual: text(actual),
      message,
    });
  }

  compare(place: Place, expected: Json, actual: Json): void {
    if (isObject(expected)) {
      if (isObject(actual)) this.#maps(place, expected, actual);
      else this.#typeMismatch(place, expected, actual);
    } else if (Array.isArray(expected)) {
      if (Array.isArray(actual)) this.#lists(place, expected, actual);
      else this.#typeMismatch(place, expected, actual);
    } else {
      this.#values(place, expected, actual);
    }
  }

  #typeMismatch(place: Place, expected: Json, actual: Json): void {
    this.#push(
      place,
      "type",
      expected,
      actual,
      `Type mismatch: Expected ${show(actual)} (${typeName(actual)}) to be the same type as ${show(expected)} (${typeName(expected)})`,
    );
  }

  #values(place: Place, expected: Json, actual: Json): void {
    const selected = this.rules.best(place);
    if (!selected) {
      if (!deepEqual(expected, actual)) {
        this.#push(
          place,
          "equality",
          expected,
          actual,
          `Expected ${show(actual)} (${typeName(actual)}) to be equal to ${show(expected)} (${typeName(expected)})`,
        );
      }
      return;
    }
    for (const f of applyRuleList(selected.list, expected, actual, selected.cascaded))
      this.#push(place, f.rule, expected, actual, f.message);
  }

  #matchKeys(place: Place, expected: Record<string, Json>, actual: Record<string, Json>): void {
    const direct = this.rules.direct(place).flatMap((l) => l.matchers);
    const keyedByValue = direct.some(
      (m) => m.match === "values" || m.match === "eachValue" || m.match === "eachKey",
    );
    if (!keyedByValue) {
      const missing = Object.keys(expected).filter((k) => !(k in actual));
      if (missing.length > 0) {
        for (const key of missing) {
          this.mismatches.push({
            path: formatPlace([...place, key]),
            rule: "missing key",
            expected: text(expected[key]),
            actual: "(absent)",
            message: `Actual map is missing the following keys: ${missing.join(", ")}`,
          });
        }
      }
    }
    for (const m of direct.filter((r) => r.match === "eachKey")) {
      const keyRules = definitionRules(m);
      for (const key of Object.keys(actual)) {
        for (const rule of keyRules) {
          const message = applyMatcher(rule, key, key, false);
          if (message) this.#push([...place, key], `eachKey/${rule.match}`, "", key, message);
        }
      }
    }
  }

  #maps(place: Place, expected: Record<string, Json>, actual: Record<string, Json>): void {
    const selected = this.rules.best(place);
    if (!selected) {
      this.#matchKeys(place, expected, actual);
      for (const [key, value] of Object.entries(expected))
        if (key in actual) this.compare([...place, key], value, actual[key]);
      return;
    }
    for (const m of selected.list.matchers) {
      if (!selected.cascaded && (m.match === "values" || m.match === "eachValue")) {
        const inner =
          m.match === "eachValue"
            ? new BodyMatcher(Rules.of([[[...place, "*"], { combine: "AND", matchers: definitionRules(m) }]]))
            : this;
        const first = Object.values(expected)[0];
        for (const [key, value] of Object.entries(actual)) {
          const example = key in expected ? expected[key] : first;
          if (example !== undefined || key in expected) inner.compare([...place, key], example, value);
        }
        if (inner !== this) this.mismatches.push(...inner.mismatches);
        continue;
      }
      this.#whole(m, selected.cascaded, place, expected, actual);
      this.#matchKeys(place, expected, actual);
      for (const [key, value] of Object.entries(expected))
        if (key in actual) this.compare([...place, key], value, actual[key]);
    }
  }

  #lists(place: Place, expected: Json[], actual: Json[]): void {
    const selected = this.rules.best(place);
    if (!selected) {
      if (expected.length === 0 && actual.length > 0) {
        this.#push(
          place,
          "equality",
          expected,
          actual,
          `Expected an empty List but received ${JSON.stringify(actual)}`,
        );
        return;
      }
      expected.forEach((value, i) => {
        if (i < actual.length) this.compare([...place, String(i)], value, actual[i]);
        else if (!this.rules.defined([...place, String(i)]))
          this.#push(place, "equality", expected, actual, `Expected ${text(value)} but was missing`);
      });
      if (expected.length !== actual.length)
        this.#push(
          place,
          "equality",
          expected,
          actual,
          `Expected a List with ${expected.length} elements but received ${actual.length} elements`,
        );
      return;
    }
    if (expected.length === 0) return;
    const perRule = selected.list.matchers.map((m) => {
      const scratch = new BodyMatcher(this.rules);
      scratch.#listRule(m, selected.cascaded, place, expected, actual);
      return scratch.mismatches;
    });
    const failed = perRule.filter((r) => r.length > 0);
    if (selected.list.combine === "AND" || failed.length === perRule.length)
      for (const r of failed) this.mismatches.push(...r);
  }

  #listRule(m: Matcher, cascaded: boolean, place: Place, expected: Json[], actual: Json[]): void {
    if (m.match === "arrayContains") {
      const variants =
        Array.isArray(m.variants) && m.variants.length > 0
          ? (m.variants as Array<{ index: number; rules?: Record<string, unknown> }>)
          : expected.map((_, index) => ({ index, rules: undefined }));
      for (const variant of variants) {
        const example = expected[variant.index];
        if (example === undefined) {
          this.#push(
            place,
            "arrayContains",
            expected,
            actual,
            `ArrayContains: variant ${variant.index} is missing from the expected list`,
          );
          continue;
        }
        const variantRules = new Rules(
          Object.fromEntries(
            Object.entries(
              ((variant.rules ?? {}) as { body?: Record<string, unknown> }).body ?? variant.rules ?? {},
            ).map(([k, v]) => [k, normaliseList(v)]),
          ),
        );
        const found = actual.some((item) => {
          const probe = new BodyMatcher(variantRules);
          probe.compare(["$"], example, item);
          return probe.mismatches.length === 0;
        });
        if (!found)
          this.#push(
            place,
            "arrayContains",
            example,
            actual,
            `Variant at index ${variant.index} (${text(example)}) was not found in the actual list`,
          );
      }
      return;
    }
    if (m.match === "eachValue") {
      if (cascaded) return;
      const inner = new BodyMatcher(
        Rules.of([[[...place, "*"], { combine: "AND", matchers: definitionRules(m) }]]),
      );
      inner.#listContents(place, expected, actual);
      this.mismatches.push(...inner.mismatches);
      return;
    }
    this.#whole(m, cascaded, place, expected, actual);
    this.#listContents(place, expected, actual);
  }

  /** A matcher on a whole list or map; its items are compared on their own. */
  #whole(
    m: Matcher,
    cascaded: boolean,
    place: Place,
    expected: Json,
    actual: Json[] | Record<string, Json>,
  ): void {
    const allowed = Array.isArray(actual) ? LIST_MATCHERS : MAP_MATCHERS;
    const empty = (Array.isArray(actual) ? actual.length : Object.keys(actual).length) === 0;
    let message: string | undefined;
    if (!allowed.has(m.match)) message = `Unable to match ${show(actual)} using ${m.match}`;
    else if (m.match === "type") message = lengthCheck(m, actual, cascaded);
    else if (m.match === "equality" && !deepEqual(expected, actual))
      message = `Expected ${show(actual)} to be equal to ${show(expected)}`;
    else if (m.match === "notEmpty" && empty)
      message = `Expected ${show(actual)} (${typeName(actual)}) to not be empty`;
    const rule = m.match === "type" && (m.min !== undefined || m.max !== undefined) ? "min/max" : m.match;
    if (message) this.#push(place, rule, expected, actual, message);
  }

  #listContents(place: Place, expected: Json[], actual: Json[]): void {
    const examples =
      actual.length > expected.length
        ? actual.map((_, i) => (i < expected.length ? expected[i] : expected[0]))
        : expected;
    examples.forEach((value, i) => {
      if (i < actual.length) this.compare([...place, String(i)], value, actual[i]);
      else if (!this.rules.defined([...place, String(i)]))
        this.#push(place, "min/max", expected, actual, `Expected ${text(value)} (${i}) but was missing`);
    });
  }
}

function normaliseList(raw: unknown): RuleList {
  const value = raw as { combine?: string; matchers?: Matcher[] };
  return { combine: value?.combine === "OR" ? "OR" : "AND", matchers: value?.matchers ?? [] };
}

/** The rules inside an eachKey/eachValue definition (`{rules: [...]}`, as pact-js writes them). */
function definitionRules(m: Matcher): Matcher[] {
  const definition = (m.definition ?? m) as { rules?: unknown[] };
  const rules = Array.isArray(m.rules) ? m.rules : Array.isArray(definition.rules) ? definition.rules : [];
  return rules.filter((r): r is Matcher => typeof (r as Matcher)?.match === "string");
}

/** Compares a JSON body with its example and rules; `[]` when the provider's answer satisfies the contract. */
export function matchBody(expected: Json, actual: Json, rules: Record<string, RuleList>): Mismatch[] {
  if (expected === undefined) return [];
  const matcher = new BodyMatcher(new Rules(rules));
  if (actual === undefined) {
    return [
      {
        path: "$",
        rule: "body",
        expected: text(expected),
        actual: "(no body)",
        message: "Expected a body but received none",
      },
    ];
  }
  matcher.compare(["$"], expected, actual);
  return matcher.mismatches;
}
