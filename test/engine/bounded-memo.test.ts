import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../src/engine/bounded-memo.js";

describe("BoundedMemo", () => {
  it("keeps what it is given until a key past its limit makes it start over", () => {
    const memo = new BoundedMemo<string, number>(2);
    expect(memo.get("a")).toBeUndefined();
    expect(memo.keep("a", 1)).toBe(1);
    expect(memo.keep("b", 2)).toBe(2);
    expect([memo.get("a"), memo.get("b")]).toEqual([1, 2]);
    memo.keep("c", 3);
    expect([memo.get("a"), memo.get("b"), memo.get("c")]).toEqual([undefined, undefined, 3]);
    memo.clear();
    expect(memo.get("c")).toBeUndefined();
  });
});
