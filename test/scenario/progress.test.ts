import { describe, expect, it } from "vitest";
import { ProgressDisplay } from "../../src/scenario/console.js";
import type { Progress } from "../../src/scenario/runner.js";

/** A stream as the display sees it: a terminal or a pipe, collecting what it writes. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream & {
    written: string[];
  };
}

describe("the progress display", () => {
  it("moves in a run whose length nobody knows (steps against a target), on a terminal and in a log", () => {
    let progress: Progress = { elapsed: 0, total: 0, operations: 0, failed: 0 };
    let wall = 0;
    const tty = stream(true);
    const log = stream(false);
    const onTerminal = new ProgressDisplay(
      tty,
      "happy-path",
      () => progress,
      () => wall,
    );
    const inLog = new ProgressDisplay(
      log,
      "happy-path",
      () => progress,
      () => wall,
    );
    for (let second = 1; second <= 30; second++) {
      wall = second * 1000;
      progress = { elapsed: second * 1000, total: 0, operations: second * 2, failed: 0 };
      onTerminal.tick();
      inLog.tick();
    }
    expect(tty.written.at(-1)).toBe("\r\x1b[2Khappy-path 30s  60 ops, 0 failed");
    // A line every five seconds while operations keep coming, not one per refresh.
    expect(log.written).toHaveLength(6);
    expect(log.written[0]).toBe("happy-path: 1s in, 2 operations, 0 failed\n");
    expect(log.written.at(-1)).toBe("happy-path: 26s in, 52 operations, 0 failed\n");
  });

  it("shows the share of a run of known length", () => {
    const tty = stream(true);
    new ProgressDisplay(tty, "chaos", () => ({
      elapsed: 6 * 3_600_000,
      total: 24 * 3_600_000,
      operations: 7,
      failed: 1,
    })).tick();
    expect(tty.written[0]).toBe(
      `\r\x1b[2Kchaos ${"█".repeat(6)}${"░".repeat(18)} 25% 6h of 24h  7 ops, 1 failed`,
    );
  });
});
