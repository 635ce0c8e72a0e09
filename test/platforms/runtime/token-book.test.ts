import { describe, expect, it } from "vitest";
import { TokenBook } from "../../../simulators/shared/token-book.js";
import { VirtualClock } from "../../../src/engine/clock.js";
import { books, FIRST, SECOND, START } from "./books.js";

const KEY = "token-book-test-key";

describe("the token book", () => {
  it("issues a token per account and sequence, readable until its lifetime ends", async () => {
    const clock = new VirtualClock(START);
    const tokens = new TokenBook("TMSP", KEY, clock);
    const { token, expiresIn } = tokens.issue(FIRST, 1, 300);
    expect(token).toMatch(/^tmsp_[A-Za-z0-9_-]{32}$/);
    expect(expiresIn).toBe(300);
    expect(tokens.find(token)).toEqual({ accountId: FIRST, expiresAt: START + 300_000 });
    expect(tokens.issue(SECOND, 2, 300).token).not.toBe(token);
    expect(tokens.find("tmsp_nothing")).toBe("unknown");

    await clock.advance(299_999);
    expect(tokens.find(token)).not.toBe("expired");
    await clock.advance(1);
    expect(tokens.find(token)).toBe("expired");
  });

  it("keys tokens with the signing secret: the same account and sequence give another token under another key", () => {
    const clock = new VirtualClock(START);
    const a = new TokenBook("TMSP", KEY, clock).issue(FIRST, 1, 60).token;
    expect(new TokenBook("TMSP", KEY, clock).issue(FIRST, 1, 60).token).toBe(a);
    expect(new TokenBook("TMSP", "another-key", clock).issue(FIRST, 1, 60).token).not.toBe(a);
  });

  it("revokes every token at once", () => {
    const tokens = new TokenBook("TMSP", KEY, new VirtualClock(START));
    const issued = [tokens.issue(FIRST, 1, 60).token, tokens.issue(SECOND, 2, 60).token];
    expect(tokens.revokeAll()).toBe(2);
    for (const token of issued) expect(tokens.find(token)).toBe("unknown");
  });

  it("restores its tokens from a snapshot, and names an account the platform does not have", async () => {
    const clock = new VirtualClock(START);
    const tokens = new TokenBook("TMSP", KEY, clock);
    const { token } = tokens.issue(FIRST, 1, 60);
    const saved = JSON.parse(JSON.stringify(tokens.snapshot()));

    const restored = new TokenBook("TMSP", KEY, clock);
    restored.restore(saved);
    expect(restored.find(token)).toEqual({ accountId: FIRST, expiresAt: START + 60_000 });
    restored.reset();
    expect(restored.snapshot()).toEqual({});

    const check = books().devices.check();
    restored.problemsIn({ [token]: { accountId: "999", expiresAt: 0 } }, check);
    expect(check.problems).toEqual([`tokens.${token.slice(0, 8)}…: TMSP has no account 999`]);
  });
});
