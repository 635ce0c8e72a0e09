import { type Document, isMap, isNode, isScalar, LineCounter } from "yaml";
import type { z } from "zod";

/** A configuration or scenario problem, already phrased for the person who wrote the file. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source = "configuration",
  ) {
    super(`${source} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface SourceText {
  /** File name (or "inline") shown before each problem. */
  name: string;
  doc?: Document.Parsed;
  lines?: LineCounter;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

/**
 * Line and column of the deepest node of `path` that exists in the document; with `atKey`, of the
 * key that names the last part (where the author looks for a misspelt or unwanted field).
 */
export function locate(
  source: SourceText,
  path: ReadonlyArray<PropertyKey>,
  atKey = false,
): { line: number; col: number } | undefined {
  const { doc, lines } = source;
  if (!doc || !lines) return undefined;
  if (atKey && path.length > 0) {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true);
    const name = String(path[path.length - 1]);
    const pair = isMap(parent)
      ? parent.items.find((item) => isScalar(item.key) && String(item.key.value) === name)
      : undefined;
    if (pair && isNode(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]);
  }
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]);
  }
  return undefined;
}

/** A problem that no schema finds (an unknown platform, say), phrased and placed as schema issues are. */
export interface PlainIssue {
  path: PropertyKey[];
  message: string;
  /** The problem is the key itself (an unknown name), not its value. */
  atKey?: boolean;
}

/**
 * Every problem, in the order they appear in the file, each with `file:line:col`, the path of the
 * field and what is wrong with it.
 */
export function describeIssues(
  issues: ReadonlyArray<z.core.$ZodIssue | PlainIssue>,
  source: SourceText,
): string[] {
  return issues
    .map((issue) => {
      const focus = "code" in issue ? focusOf(issue) : { path: issue.path, atKey: issue.atKey ?? false };
      const where = locate(source, focus.path, focus.atKey);
      const prefix = where ? `${source.name}:${where.line}:${where.col}` : source.name;
      const message = "code" in issue ? issueMessage(issue) : issue.message;
      return {
        line: where?.line ?? 0,
        col: where?.col ?? 0,
        text: `${prefix}: ${formatPath(issue.path)}: ${message}`,
      };
    })
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .map((p) => p.text);
}

/** Where the author should look: an unknown field's own key, not its parent. */
function focusOf(issue: z.core.$ZodIssue): { path: PropertyKey[]; atKey: boolean } {
  if (issue.code === "unrecognized_keys")
    return { path: [...issue.path, issue.keys[0] as string], atKey: true };
  if (issue.code === "invalid_union") {
    const branch = closestBranch(issue);
    const first = branch?.find((e) => e.code === "unrecognized_keys") ?? branch?.[0];
    if (first) {
      const inner = focusOf(first);
      return { path: [...issue.path, ...inner.path], atKey: inner.atKey };
    }
  }
  return { path: issue.path, atKey: false };
}

/** Whether a union branch failed because the value is another kind of thing, not a flawed one of its kind. */
function wrongKind(issue: z.core.$ZodIssue): boolean {
  if (issue.path.length === 0 && issue.code === "invalid_type") return true;
  if (issue.path.length === 1 && issue.path[0] === "type") return true;
  return issue.path.length === 0 && issue.code === "unrecognized_keys" && issue.keys.includes("type");
}

/**
 * A union's own message is generic. When one branch clearly is what the author meant (its `type`
 * matched, or the value is of its kind and failed only on fields), that branch's complaints say
 * what is wrong.
 */
function closestBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  const branches = issue.errors.filter((branch) => branch.length > 0 && !branch.some(wrongKind));
  return branches.sort((a, b) => a.length - b.length)[0];
}

/** Edit distance, for "did you mean": a misspelt field is usually one or two keystrokes away. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length] as number;
}

/** A branch's complaints; an unknown field is paired with the missing one it was probably meant to be. */
function branchMessage(branch: z.core.$ZodIssue[]): string {
  const missing = branch
    .filter((e) => e.code === "invalid_type" && e.path.length === 1)
    .map((e) => String(e.path[0]));
  const explained = new Set<string>();
  const unknown = branch.flatMap((e) =>
    e.code === "unrecognized_keys" && e.path.length === 0
      ? e.keys.map((key) => {
          const meant = missing.find((m) => distance(key, m) <= 2);
          if (!meant) return `unknown field ${key}`;
          explained.add(meant);
          return `unknown field ${key} (did you mean ${meant}?)`;
        })
      : [],
  );
  const rest = branch
    .filter((e) => !(e.code === "unrecognized_keys" && e.path.length === 0))
    .filter((e) => !(e.code === "invalid_type" && e.path.length === 1 && explained.has(String(e.path[0]))))
    .map((e) => `${formatPath(e.path)}: ${issueMessage(e)}`);
  return [...unknown, ...rest].join("; ");
}

function issueMessage(issue: z.core.$ZodIssue): string {
  // A schema that explains its unknown fields better than "unknown" says so in its own message.
  if (issue.code === "unrecognized_keys" && issue.message.startsWith("Unrecognized key"))
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_key" && issue.issues.length > 0)
    return issue.issues.map((e) => e.message).join("; ");
  if (issue.code === "invalid_union") {
    const branch = closestBranch(issue);
    if (branch) return branchMessage(branch);
  }
  return issue.message;
}

export function newLineCounter(): LineCounter {
  return new LineCounter();
}
