/** `2026-06-01T15:00:00+03:00`: the wall time of a platform that writes its own zone's local time. */
export function localTime(ms: number, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19) + zone;
}
