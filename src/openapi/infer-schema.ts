import type { JsonSchema } from "./route-doc.js";

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "number" ? "number" : typeof value;
}

export interface InferOptions {
  /**
   * Any value may also be null. For answers known from a few examples: a field set in the example
   * (an activation date, a vessel) is null for another device, and a null in the example (a
   * completion time while the operation runs) says nothing about its type.
   */
  nullable?: boolean;
}

/**
 * The JSON Schema that fits every example: properties seen in any, required where present in all,
 * other properties left open. For bodies only known by example (native error envelopes rendered by
 * the fake, native answers from the shipped contracts).
 */
export function schemaOf(examples: readonly unknown[], options: InferOptions = {}): JsonSchema {
  const known = options.nullable ? examples.filter((e) => e !== null) : examples;
  if (known.length === 0 && examples.length > 0) return {};
  const kinds = [...new Set(known.map(kindOf))];
  if (kinds.length !== 1)
    return {
      anyOf: kinds.map((kind) =>
        schemaOf(
          known.filter((e) => kindOf(e) === kind),
          options,
        ),
      ),
    };
  const kind = kinds[0] as string;
  const type = options.nullable ? [kind, "null"] : kind;
  if (kind === "object") {
    const objects = known as Array<Record<string, unknown>>;
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    return {
      type,
      properties: Object.fromEntries(
        keys.map((key) => [
          key,
          schemaOf(
            objects.filter((o) => key in o).map((o) => o[key]),
            options,
          ),
        ]),
      ),
      required: keys.filter((key) => objects.every((o) => key in o)),
    };
  }
  if (kind === "array") {
    const items = (known as unknown[][]).flat();
    return items.length > 0 ? { type, items: schemaOf(items, options) } : { type };
  }
  return { type };
}
