import { padDigits } from "./identifiers.js";

/**
 * Identifier ranges of generated accounts, and keeping one platform's accounts apart: two accounts
 * whose ranges overlap would answer for the same ICCID, IMSI, MSISDN or serial, and a lookup could
 * land in either.
 */

/** An inclusive run of identifiers as digit strings of one length, so text order is number order. */
export interface IdRange {
  kind: "iccid" | "imsi" | "msisdn" | "serial";
  first: string;
  last: string;
}

/** `size` (at least 1) identifiers `prefix` + a serial of `width` digits from `start`. */
export function idRange(
  kind: IdRange["kind"],
  prefix: string,
  start: number,
  size: number,
  width: number,
): IdRange {
  return { kind, first: prefix + padDigits(start, width), last: prefix + padDigits(start + size - 1, width) };
}

export function rangesOverlap(a: IdRange, b: IdRange): boolean {
  return a.kind === b.kind && a.first.length === b.first.length && a.first <= b.last && b.first <= a.last;
}

/** Past this many draws the plan is too crowded to place one more account by chance. */
const MAX_VARIANTS = 1000;

/**
 * The first variant `build` draws whose ranges overlap none of `taken` (variant 0 unless it
 * collides, so an account's identifiers stay put when it has no conflict), or a clear error.
 */
export function placeApart<T extends { ranges: IdRange[] }>(
  build: (variant: number) => T,
  taken: readonly IdRange[],
  what: string,
): T {
  for (let variant = 0; variant < MAX_VARIANTS; variant++) {
    const candidate = build(variant);
    if (!candidate.ranges.some((r) => taken.some((t) => rangesOverlap(r, t)))) return candidate;
  }
  throw new RangeError(
    `${what}: no identifier ranges apart from the platform's other accounts after ${MAX_VARIANTS} draws; the numbering plan is too small for these accounts`,
  );
}
