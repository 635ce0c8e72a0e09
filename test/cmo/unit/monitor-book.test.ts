import { beforeEach, describe, expect, it } from "vitest";
import type { MonitorBook } from "../../../src/cmo/monitors.js";
import { VirtualClock } from "../../../src/engine/clock.js";
import { MemoryStore } from "../../../src/store/store.js";
import { accept as acceptOn, monitorBook, NATIVE, PRODUCT, SETTINGS } from "./monitor-fixtures.js";
import { TablePlatform } from "./table-platform.js";

let clock: VirtualClock;
let platform: TablePlatform;

const bookOn = (store = new MemoryStore()) => monitorBook(store, clock, platform);
const accept = (book: MonitorBook, ticket?: string) => acceptOn(book, platform, clock, ticket);

const polls = () => platform.calls.filter((call) => call.startsWith("poll")).length;

beforeEach(() => {
  clock = new VirtualClock(Date.UTC(2026, 4, 5, 10));
  platform = new TablePlatform();
});

describe("MonitorBook", () => {
  it("lets one change claim a product: a second claim is refused (the CMO's 409) until release", async () => {
    const book = bookOn();
    expect(await book.claim("eos", PRODUCT, { monitorId: "" })).toBe(true);
    expect(await book.claim("eos", PRODUCT, { monitorId: "" })).toBe(false);
    expect(await book.claim("acme", PRODUCT, { monitorId: "" }), "claims are per tenant").toBe(true);
    expect(await book.inFlightCount()).toBe(2);
    await book.release("eos", PRODUCT);
    expect(await book.claim("eos", PRODUCT, { monitorId: "" })).toBe(true);
  });

  it("hands the claim to the monitor, polls with doubling gaps until DONE, then releases and counts it", async () => {
    const book = bookOn();
    const record = await accept(book);
    expect(await book.claimOf("eos", PRODUCT)).toEqual({ monitorId: record.id, target: "ACTIVE" });
    await clock.advance(999);
    expect(polls()).toBe(0);
    await clock.advance(1);
    expect(polls()).toBe(1);
    await clock.advance(1_999);
    expect(polls(), "the second gap is twice the first").toBe(1);
    await clock.advance(1);
    expect(polls()).toBe(2);
    platform.tickets.set("t-1", "DONE");
    await clock.advance(4_000);
    expect(polls()).toBe(3);
    const done = await book.get("eos", record.id);
    expect(done?.entries[0]?.state).toBe("DONE");
    expect(done?.finishedAt).toBe(clock.now());
    expect(await book.claimOf("eos", PRODUCT)).toBeUndefined();
    expect(await book.outcomes()).toEqual({ DONE: 1, FAILED: 0 });
    await clock.advance(60_000);
    expect(polls(), "a finished monitor is not polled again").toBe(3);
  });

  it("marks an entry FAILED with the CMO problem when the platform reports the operation failed", async () => {
    const book = bookOn();
    const record = await accept(book);
    platform.tickets.set("t-1", "FAILED");
    await clock.advance(1_000);
    const failed = await book.get("eos", record.id);
    expect(failed?.entries[0]).toMatchObject({
      state: "FAILED",
      problem: { status: 502, instance: record.source },
    });
    expect(await book.outcomes()).toEqual({ DONE: 0, FAILED: 1 });
    expect(await book.inFlightCount()).toBe(0);
  });

  it("polls on demand when a client reads a monitor whose entry is due", async () => {
    const book = bookOn();
    const record = await accept(book);
    await book.get("eos", record.id);
    expect(polls(), "an entry never polled is due at once").toBe(1);
    platform.tickets.set("t-1", "DONE");
    expect((await book.get("eos", record.id))?.entries[0]?.state, "polled just now: not due").toBe(
      "IN_PROGRESS",
    );
    expect(polls()).toBe(1);
    await clock.advance(1_000);
    expect(polls(), "the background poll moved 2 s after the read's").toBe(1);
    expect((await book.get("eos", record.id))?.entries[0]?.state).toBe("DONE");
    expect(polls()).toBe(2);
  });

  it("evicts a finished monitor after its retention, and its id is free again", async () => {
    const book = bookOn();
    const record = await accept(book);
    platform.tickets.set("t-1", "DONE");
    await clock.advance(1_000);
    await clock.advance(SETTINGS.retentionMs - 1);
    expect(await book.get("eos", record.id)).toBeDefined();
    expect(await book.newId("eos", NATIVE), "a kept monitor keeps its id").not.toBe(record.id);
    await clock.advance(1);
    expect(await book.get("eos", record.id)).toBeUndefined();
    expect(await book.all()).toHaveLength(0);
  });

  it("restores monitors into a new store and re-arms their polls from the times the records hold", async () => {
    const first = bookOn();
    const record = await accept(first);
    await clock.advance(1_000);
    expect(polls()).toBe(1);
    const saved = structuredClone(await first.all());
    await first.reset();

    const second = bookOn(new MemoryStore());
    await second.restore(saved);
    expect(await second.claimOf("eos", PRODUCT), "the product stays claimed by its monitor").toEqual({
      monitorId: record.id,
      target: "ACTIVE",
    });
    expect(await second.claim("eos", PRODUCT, { monitorId: "" })).toBe(false);
    await clock.advance(1_999);
    expect(polls(), "the next poll is 2 s after the last one, as stored").toBe(1);
    platform.tickets.set("t-1", "DONE");
    await clock.advance(1);
    expect(polls()).toBe(2);
    expect((await second.get("eos", record.id))?.entries[0]?.state).toBe("DONE");
    expect(await second.inFlightCount()).toBe(0);
  });
});
