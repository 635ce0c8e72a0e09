import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { describeIssues } from "../config/errors.js";

/**
 * Pact files of any specification version (2, 3 or 4) read into one shape: what the drift checker
 * evaluates and what `cmo-sim verify` lists. Only HTTP interactions are kept; messages are Pact's to verify.
 */

/** One matcher as Pact writes it (`{match: "regex", regex: "…"}`), V2's `{regex}`/`{min}` made explicit. */
export interface Matcher {
  match: string;
  [option: string]: unknown;
}

export interface RuleList {
  combine: "AND" | "OR";
  matchers: Matcher[];
}

/** Matching rules of one request or response, keyed by category then by path (`$.a[*].b`) or header name. */
export interface RuleSet {
  body: Record<string, RuleList>;
  header: Record<string, RuleList>;
  query: Record<string, RuleList>;
  path?: RuleList | undefined;
  status?: RuleList | undefined;
}

export interface ProviderState {
  name: string;
  params: Record<string, unknown>;
}

export interface HttpPart {
  /** Header names as the pact writes them; several values joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON, a string for other content, undefined when there is no body. */
  body: unknown;
  rules: RuleSet;
  /** Provider-state expressions by category and path, e.g. `path` → `/product/${productId}`. */
  expressions: { path?: string | undefined; body: Record<string, string>; header: Record<string, string> };
}

export interface PactInteraction {
  description: string;
  providerStates: ProviderState[];
  request: HttpPart & { method: string; path: string; query: Record<string, string[]> };
  response: HttpPart & { status: number };
}

export interface PactDocument {
  file: string;
  consumer: string;
  provider: string;
  specification: string;
  interactions: PactInteraction[];
}

export class PactFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PactFileError";
  }
}

const Json = z.unknown();
const Headers = z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional();
const Part = z.looseObject({
  headers: Headers,
  body: Json.optional(),
  matchingRules: z.record(z.string(), Json).optional(),
  generators: z.record(z.string(), Json).optional(),
});
const Interaction = z.looseObject({
  type: z.string().optional(),
  description: z.string({ error: "every interaction needs a description" }),
  providerState: z.string().optional(),
  providerStates: z
    .array(z.looseObject({ name: z.string(), params: z.record(z.string(), Json).optional() }))
    .optional(),
  request: Part.extend({
    method: z.string({ error: "request.method is required" }),
    path: z.string({ error: "request.path is required" }),
    query: z.union([z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))]).optional(),
  }).optional(),
  response: Part.extend({ status: z.number().int() }).optional(),
});
const PactSchema = z.looseObject({
  consumer: z.looseObject({ name: z.string() }),
  provider: z.looseObject({ name: z.string() }),
  interactions: z.array(Interaction).optional(),
  metadata: z.looseObject({}).optional(),
});

type RawPart = z.infer<typeof Part>;

function asMatcher(raw: unknown): Matcher {
  const m = (raw ?? {}) as Record<string, unknown>;
  if (typeof m.match === "string") return m as Matcher;
  // V2 names a matcher by its option alone.
  if (typeof m.regex === "string") return { ...m, match: "regex" };
  if (m.min !== undefined || m.max !== undefined) return { ...m, match: "type" };
  return { ...m, match: "type" };
}

function asRuleList(raw: unknown): RuleList {
  const value = (raw ?? {}) as { combine?: unknown; matchers?: unknown };
  if (Array.isArray(value.matchers)) {
    return {
      combine: String(value.combine ?? "AND").toUpperCase() === "OR" ? "OR" : "AND",
      matchers: value.matchers.map(asMatcher),
    };
  }
  return { combine: "AND", matchers: [asMatcher(raw)] };
}

function rulesOf(part: RawPart, v2: boolean): RuleSet {
  const set: RuleSet = { body: {}, header: {}, query: {} };
  const raw = part.matchingRules ?? {};
  if (v2) {
    for (const [key, value] of Object.entries(raw)) {
      if (key === "$.body" || key.startsWith("$.body.") || key.startsWith("$.body[")) {
        set.body[`$${key.slice("$.body".length)}`] = asRuleList(value);
      } else if (key.startsWith("$.headers.")) set.header[key.slice("$.headers.".length)] = asRuleList(value);
      else if (key.startsWith("$.query.")) set.query[key.slice("$.query.".length)] = asRuleList(value);
      else if (key === "$.path") set.path = asRuleList(value);
    }
    return set;
  }
  for (const [category, value] of Object.entries(raw)) {
    const entries = (value ?? {}) as Record<string, unknown>;
    if (category === "path" || category === "status") {
      set[category] = asRuleList(entries);
    } else if (category === "body" || category === "header" || category === "query") {
      for (const [key, rules] of Object.entries(entries)) set[category][key] = asRuleList(rules);
    }
  }
  return set;
}

function expressionsOf(part: RawPart): HttpPart["expressions"] {
  const out: HttpPart["expressions"] = { body: {}, header: {} };
  const generators = (part.generators ?? {}) as Record<string, unknown>;
  const expression = (g: unknown) => {
    const value = g as { type?: unknown; expression?: unknown };
    return value?.type === "ProviderState" && typeof value.expression === "string"
      ? value.expression
      : undefined;
  };
  out.path = expression(generators.path);
  for (const category of ["body", "header"] as const) {
    for (const [key, g] of Object.entries((generators[category] ?? {}) as Record<string, unknown>)) {
      const e = expression(g);
      if (e !== undefined) out[category][key] = e;
    }
  }
  return out;
}

function headersOf(raw: RawPart["headers"]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : value]),
  );
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === lower)?.[1];
}

/** A V4 body is `{content, contentType, encoded}`; earlier versions hold the document itself. */
function bodyOf(raw: unknown, v4: boolean, headers: Record<string, string>): unknown {
  if (!v4 || raw === undefined || raw === null || typeof raw !== "object" || !("content" in raw)) return raw;
  const body = raw as { content: unknown; contentType?: string; encoded?: unknown };
  let content = body.content;
  if (typeof content === "string" && body.encoded === "base64")
    content = Buffer.from(content, "base64").toString();
  const type = body.contentType ?? headerValue(headers, "content-type") ?? "";
  if (typeof content === "string" && /json/i.test(type)) {
    try {
      return JSON.parse(content);
    } catch {
      return content;
    }
  }
  return content;
}

function queryOf(raw: unknown): Record<string, string[]> {
  if (raw === undefined) return {};
  if (typeof raw === "string") {
    const out: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(raw)) out[k] = [...(out[k] ?? []), v];
    return out;
  }
  return Object.fromEntries(
    Object.entries(raw as Record<string, string | string[]>).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
  );
}

/** Parses the text of one pact file; `file` names it in errors. */
export function parsePact(text: string, file: string): PactDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PactFileError(`${file}: not JSON: ${(error as Error).message}`);
  }
  const result = PactSchema.safeParse(json);
  if (!result.success) {
    throw new PactFileError(
      `${file} is not a pact file:\n${describeIssues(result.error.issues, { name: file })
        .map((p) => `  - ${p}`)
        .join("\n")}`,
    );
  }
  const raw = result.data;
  const meta = (raw.metadata ?? {}) as Record<string, { version?: string } | undefined>;
  const specification = String(
    meta.pactSpecification?.version ??
      meta["pact-specification"]?.version ??
      meta.pactSpecificationVersion ??
      "2.0.0",
  );
  const major = Number.parseInt(specification, 10) || 2;
  const interactions: PactInteraction[] = [];
  for (const interaction of raw.interactions ?? []) {
    if (interaction.type !== undefined && interaction.type !== "Synchronous/HTTP") continue;
    if (!interaction.request || !interaction.response) {
      throw new PactFileError(
        `${file}: interaction "${interaction.description}" needs a request and a response`,
      );
    }
    const { request, response } = interaction;
    const requestHeaders = headersOf(request.headers);
    const responseHeaders = headersOf(response.headers);
    interactions.push({
      description: interaction.description,
      providerStates:
        interaction.providerStates?.map((s) => ({ name: s.name, params: s.params ?? {} })) ??
        (interaction.providerState ? [{ name: interaction.providerState, params: {} }] : []),
      request: {
        method: request.method.toUpperCase(),
        path: request.path,
        query: queryOf(request.query),
        headers: requestHeaders,
        body: bodyOf(request.body, major >= 4, requestHeaders),
        rules: rulesOf(request, major < 3),
        expressions: expressionsOf(request),
      },
      response: {
        status: response.status,
        headers: responseHeaders,
        body: bodyOf(response.body, major >= 4, responseHeaders),
        rules: rulesOf(response, major < 3),
        expressions: expressionsOf(response),
      },
    });
  }
  return {
    file,
    consumer: raw.consumer.name,
    provider: raw.provider.name,
    specification,
    interactions,
  };
}

export function readPact(file: string): PactDocument {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PactFileError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parsePact(text, file);
}

/** The pact files a path names: the file itself, or every `*.json` directly in the folder, sorted. */
export function pactFilesAt(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new PactFileError(`no such pact file or folder: ${path}`);
  }
  if (!isDirectory) return [path];
  const files = readdirSync(path)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(path, name));
  if (files.length === 0) throw new PactFileError(`${path} holds no pact files (*.json)`);
  return files;
}
