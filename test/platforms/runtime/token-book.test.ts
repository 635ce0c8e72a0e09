import { describe, expect, it } from "vitest";
import { TokenBook } from "../../../simulators/shared/token-book.js";
import { VirtualClock } from "../../../src/engine/clock.js";
import { MemoryStore } from "../../../src/store/store.js";
import { books, FIRST, SECOND, START } from "./books.js";

const KEY = "token-book-test-key";

/** A token book over a store of its own. */
const tokenBook = (clock: VirtualClock, key = KEY) => new TokenBook("TMSP", key, clock, new MemoryStore());

describe("the token book", () => {
  it("issues a token per account and sequence, readable until its lifetime ends", async () => {
    const clock = new VirtualClock(START);
    const tokens = tokenBook(clock);
    const { token, expiresIn } = await tokens.issue(FIRST, 1, 300);
    expect(token).toMatch(/^tmsp_[A-Za-z0-9_-]{32}$/);
    expect(expiresIn).toBe(300);
    expect(await tokens.find(token)).toEqual({ accountId: FIRST, expiresAt: START + 300_000 });
    expect((await tokens.issue(SECOND, 2, 300)).token).not.toBe(token);
    expect(await tokens.find("tmsp_nothing")).toBe("unknown");

    await clock.advance(299_999);
    expect(await tokens.find(token)).not.toBe("expired");
    await clock.advance(1);
    expect(await tokens.find(token)).toBe("expired");
  });

  it("keys tokens with the signing secret: the same account and sequence give another token under another key", async () => {
    const clock = new VirtualClock(START);
    const a = (await tokenBook(clock).issue(FIRST, 1, 60)).token;
    expect((await tokenBook(clock).issue(FIRST, 1, 60)).token).toBe(a);
    expect((await tokenBook(clock, "another-key").issue(FIRST, 1, 60)).token).not.toBe(a);
  });

  it("revokes every token at once", async () => {
    const tokens = tokenBook(new VirtualClock(START));
    const issued = [(await tokens.issue(FIRST, 1, 60)).token, (await tokens.issue(SECOND, 2, 60)).token];
    expect(await tokens.revokeAll()).toBe(2);
    for (const token of issued) expect(await tokens.find(token)).toBe("unknown");
  });

  it("restores its tokens from a snapshot, and names an account the platform does not have", async () => {
    const clock = new VirtualClock(START);
    const tokens = tokenBook(clock);
    const { token } = await tokens.issue(FIRST, 1, 60);
    const saved = JSON.parse(JSON.stringify(await tokens.snapshot()));

    const restored = tokenBook(clock);
    await restored.restore(saved);
    expect(await restored.find(token)).toEqual({ accountId: FIRST, expiresAt: START + 60_000 });
    await restored.reset();
    expect(await restored.snapshot()).toEqual({});

    const check = books().devices.check();
    restored.problemsIn({ [token]: { accountId: "999", expiresAt: 0 } }, check);
    expect(check.problems).toEqual([`tokens.${token.slice(0, 8)}…: TMSP has no account 999`]);
  });
});
