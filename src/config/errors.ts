import { type Document, isNode, LineCounter } from "yaml";
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

/** Line and column of the deepest node of `path` that exists in the document. */
export function locate(
  source: SourceText,
  path: ReadonlyArray<PropertyKey>,
): { line: number; col: number } | undefined {
  const { doc, lines } = source;
  if (!doc || !lines) return undefined;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]);
  }
  return undefined;
}

export function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>, source: SourceText): string[] {
  return issues.map((issue) => {
    const where = locate(source, issue.path);
    const prefix = where ? `${source.name}:${where.line}:${where.col}` : source.name;
    return `${prefix}: ${formatPath(issue.path)}: ${issueMessage(issue)}`;
  });
}

/**
 * A union's own message is generic. When one branch clearly is what the author meant (its `type`
 * matched, or it failed only on inner fields), that branch's complaints say what is wrong.
 */
function closestBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  const branches = issue.errors.filter(
    (branch) =>
      branch.length > 0 &&
      !branch.some((e) => e.path.length === 0 || (e.path.length === 1 && e.path[0] === "type")),
  );
  return branches.sort((a, b) => a.length - b.length)[0];
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_key" && issue.issues.length > 0)
    return issue.issues.map((e) => e.message).join("; ");
  if (issue.code === "invalid_union") {
    const branch = closestBranch(issue);
    if (branch) return branch.map((e) => `${formatPath(e.path)}: ${issueMessage(e)}`).join("; ");
  }
  return issue.message;
}

export function newLineCounter(): LineCounter {
  return new LineCounter();
}
