import { utcText } from "../shared/utc-text.js";

/**
 * Control Center's date formats. Responses use the Java pattern `yyyy-MM-dd HH:mm:ss.SSSZ`, whose
 * `Z` prints `+0000`; the audit trail and zone usage document `yyyy-MM-ddTHH:mm:ss.SSSZ`, the same
 * with a `T`. Requests send `yyyy-MM-ddTHH:mm:ssZ` (`2016-04-18T17:31:34+00:00`) or, for days,
 * `yyyy-MM-ddZ` (`2016-11-10Z`, `2016-11-10+00:00`).
 */

export const DAY = 86_400_000;

/** `2016-06-29 00:21:33.339+0000`, as device, session and SMS bodies write dates. */
export function ccDate(ms: number | undefined): string | null {
  return ms === undefined ? null : utcText(ms, " ", "+0000");
}

/** `2016-06-29T00:21:33.339+0000`, as audit trails and zone usage write their stamps. */
export function ccStamp(ms: number): string {
  return utcText(ms, "T", "+0000");
}

const OFFSET = "(Z|[+-]\\d{2}:?\\d{2})";
const DATE_TIME = new RegExp(`^(\\d{4}-\\d{2}-\\d{2})T(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,3})?)${OFFSET}$`);
const DAY_FORMAT = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${OFFSET}$`);

/** A `+` left unencoded in a query string arrives as a space; it is read back as the sign it was. */
const restorePlus = (raw: string) => raw.replace(/ (\d{2}:?\d{2})$/, "+$1");

const zone = (offset: string) => (offset === "Z" ? "Z" : offset.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2"));

/** Epoch ms of a request date-time, or NaN when it is not in Control Center's format. */
export function parseDateTime(raw: string): number {
  const match = DATE_TIME.exec(restorePlus(raw));
  if (!match) return Number.NaN;
  return Date.parse(`${match[1]}T${match[2]}${zone(match[3] as string)}`);
}

/** A request day: the calendar date as written, and the instant it starts in its own offset. */
export interface RequestDay {
  year: number;
  month: number;
  day: number;
  startsAt: number;
}

export function parseDay(raw: string): RequestDay | undefined {
  const match = DAY_FORMAT.exec(restorePlus(raw));
  if (!match) return undefined;
  const [, year, month, day, offset] = match as unknown as [string, string, string, string, string];
  const startsAt = Date.parse(`${year}-${month}-${day}T00:00:00${zone(offset)}`);
  if (Number.isNaN(startsAt)) return undefined;
  // Date.parse rolls 2026-02-30 over into March; a day that does not exist is no day.
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (check.getUTCDate() !== Number(day)) return undefined;
  return { year: Number(year), month: Number(month), day: Number(day), startsAt };
}

/** A date-time or a day, whichever was sent: Edit Device Details' `effectiveDate` takes both. */
export function parseDateOrDay(raw: string): number {
  const at = parseDateTime(raw);
  return Number.isNaN(at) ? (parseDay(raw)?.startsAt ?? Number.NaN) : at;
}
