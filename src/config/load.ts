import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError, describeIssues, newLineCounter, type PlainIssue, type SourceText } from "./errors.js";

/** Parses YAML or JSON text (JSON is read by the YAML parser too, which keeps line numbers). */
export function parseText(text: string, name: string): { value: unknown; source: SourceText } {
  const lines = newLineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${name}${pos ? `:${pos.line}:${pos.col}` : ""}: ${(e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`;
      }),
      name,
    );
  }
  return { value: doc.toJS({ maxAliasCount: 100 }) ?? {}, source: { name, doc, lines } };
}

/** Problems no schema can see (what the registry simulates, say), found in the raw document. */
export type ExtraCheck = (value: unknown) => PlainIssue[];

/** Validates with the schema and `check` together, so every problem is reported in one go. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: SourceText,
  check?: ExtraCheck,
): z.infer<S> {
  const result = schema.safeParse(value);
  const extra = check?.(value) ?? [];
  if (!result.success || extra.length > 0)
    throw new ConfigError(describeIssues([...(result.error?.issues ?? []), ...extra], source), source.name);
  return result.data;
}

export async function loadFile<S extends z.ZodType>(
  schema: S,
  path: string,
  check?: ExtraCheck,
): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      [`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`],
      path,
    );
  }
  const { value, source } = parseText(text, path);
  return validate(schema, value, source, check);
}
