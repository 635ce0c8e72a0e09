import { matchesDateFormat } from "./date-format.js";
import type { Matcher, RuleList } from "./pact-file.js";

/**
 * One Pact matcher against one value, as Pact's Rust core decides it (regexes match the whole
 * value; integers, decimals and numbers must be JSON numbers), and a rule list's AND/OR.
 */

export interface Mismatch {
  /** Pact's name for the place, e.g. `$.response[0].state`; for headers the header name. */
  path: string;
  /** The matcher that failed (`type`, `regex`, `equality`, `missing key`…). */
  rule: string;
  expected: string;
  actual: string;
  message: string;
}

export type Json = unknown;

export const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function typeName(value: Json): string {
  if (value === null) return "Null";
  if (Array.isArray(value)) return "Array";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "Decimal";
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "string") return "String";
  return "Object";
}

export const show = (value: Json): string =>
  typeof value === "string" ? `'${value}'` : (JSON.stringify(value) ?? "undefined");
export const text = (value: Json): string =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? "");
const sameType = (a: Json, b: Json) =>
  (typeof a === "number" && typeof b === "number") || typeName(a) === typeName(b);

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
    );
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Pact's regex matcher wants the whole value to match, not a part of it. */
function testRegex(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

const isSemver = (v: string) =>
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.test(
    v,
  );

const DEFAULT_FORMATS: Record<string, string> = {
  date: "yyyy-MM-dd",
  time: "HH:mm:ss",
  timestamp: "yyyy-MM-dd'T'HH:mm:ssXXX",
  datetime: "yyyy-MM-dd'T'HH:mm:ssXXX",
};

export function lengthCheck(
  m: Matcher,
  actual: Json[] | Record<string, Json>,
  cascaded: boolean,
): string | undefined {
  if (cascaded) return undefined;
  const size = Array.isArray(actual) ? actual.length : Object.keys(actual).length;
  const min = typeof m.min === "number" ? m.min : undefined;
  const max = typeof m.max === "number" ? m.max : undefined;
  if (min !== undefined && size < min) return `Expected ${show(actual)} to have at least ${min} item(s)`;
  if (max !== undefined && size > max) return `Expected ${show(actual)} to have at most ${max} item(s)`;
  return undefined;
}

/** One matcher against one value (leaf, or a list or map as a whole); the failure message, or undefined. */
export function applyMatcher(
  m: Matcher,
  expected: Json,
  actual: Json,
  cascaded: boolean,
): string | undefined {
  const actualText = text(actual);
  switch (m.match) {
    case "regex":
      return testRegex(String(m.regex), actualText)
        ? undefined
        : `Expected ${show(actual)} to match '${m.regex}'`;
    case "include":
      return actualText.includes(String(m.value))
        ? undefined
        : `Expected ${show(actual)} to include '${m.value}'`;
    case "type":
      if (Array.isArray(expected) && Array.isArray(actual)) return lengthCheck(m, actual, cascaded);
      return sameType(expected, actual)
        ? undefined
        : `Expected ${show(actual)} (${typeName(actual)}) to be the same type as ${show(expected)} (${typeName(expected)})`;
    case "equality":
    case "values":
      return deepEqual(expected, actual)
        ? undefined
        : `Expected ${show(actual)} (${typeName(actual)}) to be equal to ${show(expected)} (${typeName(expected)})`;
    case "null":
      return actual === null
        ? undefined
        : `Expected ${show(actual)} (${typeName(actual)}) to be a null value`;
    case "integer":
      if (typeof actual === "number" && Number.isInteger(actual)) return undefined;
      return `Expected ${show(actual)} (${typeName(actual)}) to be an integer`;
    case "decimal":
      if (typeof actual === "number" && !Number.isInteger(actual)) return undefined;
      return `Expected ${show(actual)} (${typeName(actual)}) to be a decimal number`;
    case "number":
      if (typeof actual === "number") return undefined;
      return `Expected ${show(actual)} (${typeName(actual)}) to be a number`;
    case "boolean":
      if (typeof actual === "boolean" || actual === "true" || actual === "false") return undefined;
      return `Expected ${show(actual)} (${typeName(actual)}) to match a boolean`;
    case "date":
    case "time":
    case "timestamp":
    case "datetime": {
      const format =
        typeof m.format === "string" && m.format !== "" ? m.format : (DEFAULT_FORMATS[m.match] as string);
      return matchesDateFormat(actualText, format)
        ? undefined
        : `Expected '${actualText}' to match a ${m.match === "datetime" ? "timestamp" : m.match} pattern of '${format}'`;
    }
    case "notEmpty":
      if (actual === null) return "Expected non-empty but got a NULL";
      if ((typeof actual === "string" || Array.isArray(actual)) && actual.length === 0)
        return `Expected ${show(actual)} (${typeName(actual)}) to not be empty`;
      if (isObject(actual) && Object.keys(actual).length === 0) return "Expected {} (Object) to not be empty";
      return undefined;
    case "semver":
      return typeof actual === "string" && isSemver(actual)
        ? undefined
        : `'${actualText}' is not a valid semantic version`;
    case "statusCode":
      return statusMatches(m, Number(actual))
        ? undefined
        : `Expected status code ${actualText} to be a ${JSON.stringify(m.status)}`;
    default:
      // contentType, arrayContains, eachKey, eachValue: nothing to check at a single value.
      return undefined;
  }
}

export function statusMatches(m: Matcher, status: number): boolean {
  const spec = m.status;
  if (Array.isArray(spec)) return spec.map(Number).includes(status);
  switch (spec) {
    case "info":
      return status >= 100 && status < 200;
    case "success":
      return status >= 200 && status < 300;
    case "redirect":
      return status >= 300 && status < 400;
    case "clientError":
      return status >= 400 && status < 500;
    case "serverError":
      return status >= 500 && status < 600;
    case "nonError":
      return status < 400;
    case "error":
      return status >= 400;
    default:
      return false;
  }
}

/** The failures of a rule list against one value: all of them (AND), or all when none passed (OR). */
export function applyRuleList(list: RuleList, expected: Json, actual: Json, cascaded: boolean) {
  const failures = list.matchers.flatMap((m) => {
    const message = applyMatcher(m, expected, actual, cascaded);
    return message === undefined ? [] : [{ rule: m.match, message }];
  });
  const failed = list.combine === "OR" ? failures.length === list.matchers.length : failures.length > 0;
  return failed ? failures : [];
}
