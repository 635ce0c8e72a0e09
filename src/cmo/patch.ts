import jsonpatch from "fast-json-patch";
import type { z } from "zod";
import { CMO_STATUSES, type CmoStatus } from "../config/schema.js";
import { percentDecoded } from "../http/decode.js";
import { ProblemError } from "../http/problem.js";
import type { CustomProperty } from "./products.js";
import { JSON_PATCH_OPS, MAX_PATCH_OPERATIONS, PatchDocument, type PatchOperation } from "./schemas.js";

/**
 * What a CMO PATCH asks for. The CMO accepts RFC 6902 JSON Patch (`application/json-patch+json`)
 * and TMF630 JSON-Patch-Query (`application/json-patch-query+json`, where a path may lack its
 * leading `/` and `customProperty[name=X]` addresses one property by name).
 */
export type PatchIntent =
  | { kind: "status"; target: CmoStatus }
  | { kind: "customProperty"; apply: (current: readonly CustomProperty[]) => CustomProperty[] }
  | { kind: "transfer"; targetAccountId: string };

export type PatchDialect = "json-patch" | "json-patch-query";

export const PATCH_TYPES: Record<string, PatchDialect> = {
  "application/json-patch+json": "json-patch",
  "application/json-patch-query+json": "json-patch-query",
};

const MAX_PROPERTIES = 100;
const MAX_NAME = 100;
const MAX_VALUE = 1000;

type Op = z.infer<typeof PatchOperation>;

const bad = (detail: string) => new ProblemError(400, detail, "Missing or malformed parameter");
const invalid = (detail: string) => new ProblemError(400, detail, "Invalid Action");

/** Validates with the documented `PatchDocument` schema, phrasing the first problem for a person. */
function readOps(body: unknown): Op[] {
  const result = PatchDocument.safeParse(body);
  if (result.success) return result.data;
  const issue =
    result.error.issues.find((i) => i.path.length === 0) ?? (result.error.issues[0] as z.core.$ZodIssue);
  if (issue.path.length === 0) {
    if (!Array.isArray(body)) throw bad("A JSON Patch body must be an array of operations");
    if (body.length === 0) throw bad("The JSON Patch is empty; nothing to change");
    throw bad(`A JSON Patch may hold at most ${MAX_PATCH_OPERATIONS} operations`);
  }
  const [i, field] = issue.path as [number, string | undefined];
  const raw = (body as Array<Record<string, unknown>>)[i] as Record<string, unknown>;
  if (issue.code === "unrecognized_keys")
    throw bad(
      `Operation ${i}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")} (an operation has op, path, value and from)`,
    );
  if (field === undefined) throw bad(`Operation ${i} must be an object with op and path`);
  if (field === "op" && typeof raw.op === "string")
    throw bad(`Operation ${i}: unknown op '${raw.op}' (JSON Patch ops are ${JSON_PATCH_OPS.join(", ")})`);
  throw bad(`Operation ${i}: '${field}' must be a string`);
}

/** JSON-Patch-Query paths may drop the leading slash; JSON Patch paths may not. */
function normalisePath(path: string, dialect: PatchDialect, index: number): string {
  if (path.startsWith("/")) return path;
  if (dialect === "json-patch-query") return `/${path}`;
  throw bad(
    `Operation ${index}: path '${path}' must start with '/' (or send application/json-patch-query+json)`,
  );
}

function statusValue(value: unknown, index: number): CmoStatus {
  if (typeof value !== "string") throw bad(`Operation ${index}: the new status must be a string`);
  if (!(CMO_STATUSES as readonly string[]).includes(value))
    throw bad(`Operation ${index}: '${value}' is not a status (${CMO_STATUSES.join(", ")})`);
  return value as CmoStatus;
}

function checkProperties(properties: unknown): CustomProperty[] {
  if (!Array.isArray(properties))
    throw bad("customProperty must be an array of {name, value}; append with /customProperty/-");
  if (properties.length > MAX_PROPERTIES)
    throw bad(`A product may carry at most ${MAX_PROPERTIES} custom properties`);
  const names = new Set<string>();
  return properties.map((p, i) => {
    if (typeof p !== "object" || p === null || Array.isArray(p))
      throw bad(`customProperty[${i}] must be an object {name, value}`);
    const { name, value, ...rest } = p as Record<string, unknown>;
    if (Object.keys(rest).length > 0)
      throw bad(
        `customProperty[${i}] has unknown field(s) ${Object.keys(rest).join(", ")}; only name and value`,
      );
    if (typeof name !== "string" || name.trim() === "" || name.length > MAX_NAME)
      throw bad(`customProperty[${i}].name must be a non-empty string of at most ${MAX_NAME} characters`);
    if (typeof value !== "string" || value.length > MAX_VALUE)
      throw bad(`customProperty[${i}].value must be a string of at most ${MAX_VALUE} characters`);
    if (names.has(name))
      throw invalid(`customProperty '${name}' would exist twice; use replace to change it`);
    names.add(name);
    return { name, value };
  });
}

const BY_NAME = /^\/customProperty\[name=([^\]]+)\](\/(name|value))?$/;

/** Rewrites `customProperty[name=X]…` into an index pointer against the current properties. */
function resolveByName(
  op: Op,
  path: string,
  current: ReadonlyArray<CustomProperty | null>,
  index: number,
): Op {
  const match = BY_NAME.exec(path);
  if (!match) return { ...op, path };
  const name = percentDecoded(match[1] as string);
  if (name === undefined)
    throw bad(`Operation ${index}: '${match[1]}' in ${path} is not validly percent-encoded`);
  const at = current.findIndex((p) => p?.name === name);
  if (at < 0) throw new ProblemError(404, `Operation ${index}: there is no custom property named '${name}'`);
  return { ...op, path: `/customProperty/${at}${match[2] ?? ""}` };
}

/**
 * The ops applied in turn to one copy of the properties (JSON Patch is all or nothing, so a
 * failing op throws the copy away), checked once at the end: a batch of 100 products with 100 ops
 * each stays a few milliseconds of work, not seconds of copying.
 */
function customPropertyApplier(ops: Array<{ op: Op; path: string; index: number }>, dialect: PatchDialect) {
  return (current: readonly CustomProperty[]): CustomProperty[] => {
    const document: { customProperty: unknown } = { customProperty: current.map((p) => ({ ...p })) };
    for (const { op, path, index } of ops) {
      // An earlier op may have replaced the list by something else; later ones cannot work on that.
      if (!Array.isArray(document.customProperty))
        throw bad(`Operation ${index}: customProperty is no longer a list of {name, value}`);
      const properties = document.customProperty as Array<CustomProperty | null>;
      let resolved =
        dialect === "json-patch-query" ? resolveByName(op, path, properties, index) : { ...op, path };
      // JSON-Patch-Query's `add customProperty {name, value}` appends, as the CMO docs show it.
      if (
        dialect === "json-patch-query" &&
        resolved.path === "/customProperty" &&
        op.op === "add" &&
        !Array.isArray(op.value)
      ) {
        resolved = { ...resolved, path: "/customProperty/-" };
      }
      if (op.op === "add" && resolved.path === "/customProperty/-") {
        const name = (op.value as { name?: unknown } | null)?.name;
        if (typeof name === "string" && properties.some((p) => p?.name === name)) {
          throw invalid(
            `Operation ${index}: custom property '${name}' already exists; use replace to change it`,
          );
        }
      }
      try {
        jsonpatch.applyOperation(document, resolved as jsonpatch.Operation, true, true, true);
      } catch (error) {
        const name = (error as { name?: string }).name;
        const reason =
          name === "OPERATION_PATH_UNRESOLVABLE"
            ? `path ${path} does not exist`
            : (error as Error).message.split("\n")[0];
        throw bad(`Operation ${index} (${op.op} ${path}): ${reason}`);
      }
    }
    return checkProperties(document.customProperty);
  };
}

/**
 * Reads a PATCH body into one intent. `target` says what is being patched: the device
 * sub-product (status, custom properties), the composite (SIM transfer), or another sub-product.
 */
export function interpretPatch(
  body: unknown,
  dialect: PatchDialect,
  target: "device" | "composite" | "other",
): PatchIntent {
  const ops = readOps(body);
  const classified = ops.map((op, index) => {
    const path = normalisePath(op.path, dialect, index);
    if (
      path
        .split("/")
        .some((segment) => segment === "__proto__" || segment === "constructor" || segment === "prototype")
    ) {
      throw bad(`Operation ${index}: path '${op.path}' is not allowed`);
    }
    if (path === "/status") return { area: "status" as const, op, path, index };
    if (
      path === "/customProperty" ||
      path.startsWith("/customProperty/") ||
      path.startsWith("/customProperty[")
    )
      return { area: "customProperty" as const, op, path, index };
    if (path === "/relatedParty/0/id") return { area: "transfer" as const, op, path, index };
    throw invalid(
      `Operation ${index}: path '${op.path}' cannot be changed; a product allows /status, /customProperty and (on the composite) /relatedParty/0/id`,
    );
  });

  const areas = new Set(classified.map((c) => c.area));
  if (areas.size > 1)
    throw invalid(
      "A PATCH may change the status, the custom properties or the related party, not several at once",
    );
  const [area] = areas;

  if (area === "status") {
    if (target !== "device")
      throw invalid("The status can only be changed on the simCard or terminal sub-product");
    if (classified.length > 1) throw invalid("A PATCH may hold one status change only");
    const { op, index } = classified[0] as (typeof classified)[number];
    if (op.op !== "replace" && op.op !== "add")
      throw invalid(`Operation ${index}: the status can only be replaced, not '${op.op}'`);
    return { kind: "status", target: statusValue(op.value, index) };
  }
  if (area === "transfer") {
    if (target !== "composite")
      throw invalid(
        "A SIM transfer patches /relatedParty/0/id on the composite product, not on a sub-product",
      );
    const { op, index } = classified[0] as (typeof classified)[number];
    if (classified.length > 1 || op.op !== "replace")
      throw invalid("A SIM transfer is one replace of /relatedParty/0/id");
    if (typeof op.value !== "string" || op.value === "")
      throw bad(`Operation ${index}: the target account id must be a non-empty string`);
    return { kind: "transfer", targetAccountId: op.value };
  }
  if (target !== "device") throw invalid("Custom properties live on the simCard or terminal sub-product");
  for (const { op, index } of classified) {
    if (op.op === "move" || op.op === "copy" || op.op === "test")
      throw invalid(
        `Operation ${index}: '${op.op}' is not supported on custom properties; use add, replace or remove`,
      );
    if ((op.op === "add" || op.op === "replace") && !("value" in op))
      throw bad(`Operation ${index}: '${op.op}' needs a value`);
  }
  return { kind: "customProperty", apply: customPropertyApplier(classified, dialect) };
}
