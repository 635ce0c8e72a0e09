import { z } from "zod";
import type { JsonSchema } from "./route-doc.js";

const PREFIX = "#/components/schemas/";
const INPUT = "Input";

function convert(components: Record<string, z.ZodType>, io: "input" | "output", suffix: string) {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(components)) registry.add(schema, { id: name + suffix });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (id) => PREFIX + id,
    // Transforms of query strings and refinements have no JSON form; their input side is what is documented.
    unrepresentable: "any",
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...rest }]) => [id, rest as JsonSchema]),
  );
}

function refsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, into);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string" && item.startsWith(PREFIX))
        into.add(item.slice(PREFIX.length));
      else refsIn(item, into);
    }
  }
  return into;
}

export function renameRefs<T>(value: T, rename: (id: string) => string): T {
  return JSON.parse(JSON.stringify(value), (key, item) =>
    key === "$ref" && typeof item === "string" && item.startsWith(PREFIX)
      ? PREFIX + rename(item.slice(PREFIX.length))
      : item,
  );
}

/**
 * Turns named zod schemas into `components.schemas`. Requests are documented as zod reads them
 * (defaults optional, unknown keys as the schema says) and answers as they are written (every
 * defaulted field present, no other keys), so each component is converted both ways; the two are
 * merged where they read the same, and otherwise the request side is named `…Input`. Only what the
 * operations reach is kept.
 */
export class ComponentSet {
  readonly #names: Map<z.ZodType, string>;
  readonly #inputs = new Set<string>();
  readonly #outputs = new Set<string>();

  constructor(private readonly components: Record<string, z.ZodType>) {
    this.#names = new Map(Object.entries(components).map(([name, schema]) => [schema, name]));
  }

  /** A `$ref` to a named schema, read (request) or written (response); refs are settled by `build`. */
  ref(schema: z.ZodType, side: "request" | "response", where: string): JsonSchema {
    const name = this.#names.get(schema);
    if (!name) throw new Error(`${where}: its schema is not one of the API's named components`);
    (side === "request" ? this.#inputs : this.#outputs).add(name);
    return { $ref: PREFIX + (side === "request" ? name + INPUT : name) };
  }

  /** The schemas, and how to rewrite refs handed out by `ref`. */
  build(): { schemas: Record<string, JsonSchema>; rename: (id: string) => string } {
    const all = {
      ...convert(this.components, "input", INPUT),
      ...convert(this.components, "output", ""),
    };
    const reached = new Set<string>();
    const visit = (id: string) => {
      if (reached.has(id)) return;
      reached.add(id);
      for (const ref of refsIn(all[id])) visit(ref);
    };
    for (const name of this.#inputs) visit(name + INPUT);
    for (const name of this.#outputs) visit(name);

    const inputs = [...reached].filter((id) => id.endsWith(INPUT)).map((id) => id.slice(0, -INPUT.length));
    const stripped = (name: string) => renameRefs(all[name + INPUT], (id) => id.replace(/Input$/, ""));
    // Merge an input schema into its output twin when they read the same and so does all they refer to.
    let merged = new Set(
      inputs.filter(
        (name) => !reached.has(name) || JSON.stringify(stripped(name)) === JSON.stringify(all[name]),
      ),
    );
    for (let changed = true; changed; ) {
      const next = new Set(
        [...merged].filter((name) =>
          [...refsIn(all[name + INPUT])].every(
            (id) => !id.endsWith(INPUT) || merged.has(id.slice(0, -INPUT.length)),
          ),
        ),
      );
      changed = next.size !== merged.size;
      merged = next;
    }
    const rename = (id: string) =>
      id.endsWith(INPUT) && merged.has(id.slice(0, -INPUT.length)) ? id.slice(0, -INPUT.length) : id;
    const schemas: Record<string, JsonSchema> = {};
    for (const id of [...reached].sort()) {
      const target = rename(id);
      if (target !== id && reached.has(target)) continue;
      schemas[target] = renameRefs(all[id] as JsonSchema, rename);
    }
    return { schemas, rename };
  }
}
