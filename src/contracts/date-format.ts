import { escapeRegex } from "./regex.js";

/**
 * Pact's date, time and timestamp matchers take Java-style patterns (`yyyy-MM-dd'T'HH:mm:ss.SSSX`).
 * A value matches when it has the pattern's shape; like Pact, field ranges are only checked loosely.
 */

const cache = new Map<string, RegExp>();

function letterPattern(letter: string, n: number): string | undefined {
  switch (letter) {
    case "G":
      return "(?:AD|BC)";
    case "y":
    case "u":
      return n === 2 ? "\\d{2}" : n === 1 ? "\\d{1,4}" : `\\d{${n}}`;
    case "M":
    case "L":
      return n === 1 ? "\\d{1,2}" : n === 2 ? "\\d{2}" : n === 3 ? "[A-Za-z]{3}" : "[A-Za-z]+";
    case "E":
      return n <= 3 ? "[A-Za-z]{3}" : "[A-Za-z]+";
    case "D":
      return n === 1 ? "\\d{1,3}" : `\\d{${n}}`;
    case "d":
    case "H":
    case "k":
    case "K":
    case "h":
    case "m":
    case "s":
      return n === 1 ? "\\d{1,2}" : `\\d{${n}}`;
    case "S":
      return `\\d{${n}}`;
    case "a":
      return "(?:[AaPp][Mm])";
    case "X":
      return n === 1
        ? "(?:Z|[+-]\\d{2}(?:\\d{2})?)"
        : n === 2
          ? "(?:Z|[+-]\\d{4})"
          : "(?:Z|[+-]\\d{2}:\\d{2})";
    case "x":
      return n === 1 ? "[+-]\\d{2}(?:\\d{2})?" : n === 2 ? "[+-]\\d{4}" : "[+-]\\d{2}:\\d{2}";
    case "Z":
      return n <= 3 ? "[+-]\\d{4}" : n === 4 ? "GMT(?:[+-]\\d{2}:\\d{2})?" : "(?:Z|[+-]\\d{2}:\\d{2})";
    case "z":
    case "V":
      return "[A-Za-z/_+\\-0-9]+";
    default:
      return undefined;
  }
}

export function dateFormatRegex(format: string): RegExp {
  const cached = cache.get(format);
  if (cached) return cached;
  let out = "";
  for (let i = 0; i < format.length; ) {
    const ch = format[i] as string;
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      const literal = end < 0 ? format.slice(i + 1) : format.slice(i + 1, end);
      out += literal === "" ? "'" : escapeRegex(literal);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    let n = 1;
    while (format[i + n] === ch) n++;
    const pattern = /[A-Za-z]/.test(ch) ? letterPattern(ch, n) : undefined;
    out += pattern ?? escapeRegex(ch.repeat(n));
    i += n;
  }
  const regex = new RegExp(`^${out}$`);
  cache.set(format, regex);
  return regex;
}

export function matchesDateFormat(value: string, format: string): boolean {
  return dateFormatRegex(format).test(value);
}
