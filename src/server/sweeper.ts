/**
 * Runs `sweep` every `everyMs` of real time, one run at a time, until stopped: how a process on a
 * shared store finds the due work that a process which died had armed. A run the store fails (Redis
 * away) is given up; the next one finds the same work, since it is still due.
 */
export function startSweeper(everyMs: number, sweep: () => Promise<void>): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= sweep()
      .catch(() => {})
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  // A sweeper alone must not keep a process alive that has nothing else to do.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
