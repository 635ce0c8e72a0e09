import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/store.js";

describe("MemoryStore", () => {
  it("keeps one collection per name, entries in insertion order", async () => {
    const store = new MemoryStore();
    const a = store.collection<number>("a");
    expect(store.collection<number>("a")).toBe(a);
    await a.set("x", 1);
    await a.set("y", 2);
    await a.set("x", 3);
    expect(await a.entries()).toEqual([
      ["x", 3],
      ["y", 2],
    ]);
    expect(await store.collection<number>("b").size()).toBe(0);
    expect(await a.delete("x")).toBe(true);
    expect(await a.delete("x")).toBe(false);
    expect(await a.get("x")).toBeUndefined();
    await a.clear();
    expect(await a.size()).toBe(0);
  });

  it("inserts only where the key is free, so two claims on one key cannot both win", async () => {
    const claims = new MemoryStore().collection<string>("claims");
    const won = await Promise.all([claims.insert("p", "first"), claims.insert("p", "second")]);
    expect(won).toEqual([true, false]);
    expect(await claims.get("p")).toBe("first");
  });

  it("updates from the current value, deleting the key when the change gives undefined", async () => {
    const counts = new MemoryStore().collection<number>("counts");
    await Promise.all([1, 2, 3].map(() => counts.update("done", (n) => (n ?? 0) + 1)));
    expect(await counts.get("done"), "concurrent increments are not lost").toBe(3);
    expect(await counts.update("done", () => undefined)).toBeUndefined();
    expect(await counts.entries()).toEqual([]);
  });
});
