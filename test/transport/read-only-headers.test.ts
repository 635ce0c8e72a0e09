import { describe, expect, it } from "vitest";
import { ReadOnlyHeaders } from "../../src/transport/read-only-headers.js";

const INPUT = {
  Accept: "application/json",
  "content-type": " application/json-patch+json ",
  "X-Request-Id": "r-1",
  accept: "text/plain",
  authorization: "Basic dXNlcjpzZWNyZXQ=",
};

describe("ReadOnlyHeaders", () => {
  it("reads as the web Headers built from the same record would", () => {
    const light = new ReadOnlyHeaders(INPUT);
    const web = new Headers(INPUT);
    for (const name of ["accept", "ACCEPT", "Content-Type", "x-request-id", "authorization", "absent"]) {
      expect(light.get(name), name).toBe(web.get(name));
      expect(light.has(name), name).toBe(web.has(name));
    }
    expect([...light]).toEqual([...web]);
    expect([...light.keys()]).toEqual([...web.keys()]);
    expect([...light.values()]).toEqual([...web.values()]);
    const seen: string[] = [];
    light.forEach((value, name) => {
      seen.push(`${name}=${value}`);
    });
    const expected: string[] = [];
    web.forEach((value, name) => {
      expected.push(`${name}=${value}`);
    });
    expect(seen).toEqual(expected);
    expect(new Headers(light as unknown as Headers).get("accept"), "usable where a HeadersInit is").toBe(
      "application/json, text/plain",
    );
  });
});
