import { badRequest } from "../shared/http.js";
import type { NativeError } from "../shared/types.js";

/** One key of a 1NCE `sort` parameter: `ip_address,-imei` is two, the second descending. */
export interface SortKey<F extends string> {
  field: F;
  descending: boolean;
}

/** Reads a `sort` value against the fields an endpoint sorts by; any other field is refused, not ignored. */
export function parseSort<F extends string>(
  raw: string | undefined,
  fields: readonly F[],
): Array<SortKey<F>> | NativeError {
  if (raw === undefined) return [];
  const keys: Array<SortKey<F>> = [];
  for (const part of raw.split(",")) {
    const text = part.trim();
    const descending = text.startsWith("-");
    const field = (descending ? text.slice(1) : text) as F;
    if (!fields.includes(field))
      return badRequest(
        `Cannot sort by '${text}': sortable fields are ${fields.join(", ")} (prefix - for descending)`,
      );
    if (keys.some((k) => k.field === field)) return badRequest(`Cannot sort by ${field} twice`);
    keys.push({ field, descending });
  }
  return keys;
}

export type SortValue = string | number | undefined;

/**
 * Orders `items` by `keys`, each read through `read`; ties keep the items' given order. A missing
 * value (a message not yet delivered) sorts after every present one, whichever the direction.
 */
export function sortBy<T, F extends string>(
  items: readonly T[],
  keys: ReadonlyArray<SortKey<F>>,
  read: (item: T, field: F) => SortValue,
): T[] {
  if (keys.length === 0) return [...items];
  return [...items].sort((a, b) => {
    for (const { field, descending } of keys) {
      const order = compareValues(read(a, field), read(b, field), descending);
      if (order !== 0) return order;
    }
    return 0;
  });
}

export function compareValues(a: SortValue, b: SortValue, descending: boolean): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const order = a < b ? -1 : 1;
  return descending ? -order : order;
}
