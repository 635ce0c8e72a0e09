import { describe, expect, it } from "vitest";
import { ccDate, ccStamp } from "../../simulators/cisco/dates.js";
import { utcText } from "../../simulators/shared/utc-text.js";
import { RandomStream } from "../../src/engine/random.js";

/** The same fields cut from the ISO form, as the formatter's reference. */
const reference = (ms: number, separator: string, zone = "+0000") => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)}${separator}${iso.slice(11, 23)}${zone}`;
};

describe("UTC date-times written without a Date", () => {
  it("writes every instant as the ISO form would, leap days, month ends and year ends included", () => {
    const instants = [
      0,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 1, 29),
      Date.UTC(2100, 1, 28, 12),
      Date.UTC(2100, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      Date.UTC(1999, 11, 31, 0, 0, 0, 7),
      Date.UTC(2016, 5, 29, 0, 21, 33, 339),
      Date.UTC(2026, 4, 3, 9) + 0.75,
    ];
    const random = new RandomStream("cisco-dates");
    for (let i = 0; i < 5_000; i++) instants.push(random.int(0, Date.UTC(2200, 0, 1)));
    for (const ms of instants) {
      expect(ccDate(ms)).toBe(reference(ms, " "));
      expect(ccStamp(ms)).toBe(reference(ms, "T"));
      expect(utcText(ms, "T", "Z"), "TMSP's ISO form").toBe(new Date(ms).toISOString());
    }
    expect(ccDate(Date.UTC(2016, 5, 29, 0, 21, 33, 339))).toBe("2016-06-29 00:21:33.339+0000");
    expect(ccDate(undefined)).toBeNull();
  });
});
