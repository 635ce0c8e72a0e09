import type { JsonSchema } from "./route-doc.js";

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "number" ? "number" : typeof value;
}

/**
 * The JSON Schema that fits every example: properties seen in any, required where present in all,
 * other properties left open. For bodies only known by rendering them (native error envelopes).
 */
export function schemaOf(examples: readonly unknown[]): JsonSchema {
  const kinds = [...new Set(examples.map(kindOf))];
  if (kinds.length !== 1)
    return { anyOf: kinds.map((kind) => schemaOf(examples.filter((e) => kindOf(e) === kind))) };
  const kind = kinds[0] as string;
  if (kind === "object") {
    const objects = examples as Array<Record<string, unknown>>;
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    return {
      type: "object",
      properties: Object.fromEntries(
        keys.map((key) => [key, schemaOf(objects.filter((o) => key in o).map((o) => o[key]))]),
      ),
      required: keys.filter((key) => objects.every((o) => key in o)),
    };
  }
  if (kind === "array") {
    const items = (examples as unknown[][]).flat();
    return items.length > 0 ? { type: "array", items: schemaOf(items) } : { type: "array" };
  }
  return { type: kind };
}
