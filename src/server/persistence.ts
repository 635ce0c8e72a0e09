import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Simulator } from "./simulator.js";
import { captureState, checkState, parseState, restoreState, type SimState, StateError } from "./state.js";

/** Whether a process with this id still runs (a save of its own may be in progress). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * `--state-file`: the whole simulator state saved on shutdown and at an interval, atomically (a
 * temporary file renamed over the old one, so a crash mid-write never leaves half a file), and
 * restored on start. Saving runs on wall-clock timers: it is an operational concern, not simulated
 * behaviour.
 */
export class StatePersistence {
  #timer: NodeJS.Timeout | undefined;
  #saving: Promise<void> | undefined;

  constructor(
    private readonly sim: Simulator,
    readonly path: string,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /**
   * Before anything else at start-up: temporary files that a process killed mid-save left beside
   * the state file are removed, and the path is proved writable, so a server that cannot save its
   * state refuses to start instead of finding out at shutdown.
   */
  static async prepare(path: string): Promise<void> {
    const prefix = `${basename(path)}.`;
    const dir = dirname(path);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
      const pid = name.slice(prefix.length, -".tmp".length);
      if (/^\d+$/.test(pid) && Number(pid) !== process.pid && !alive(Number(pid)))
        await rm(join(dir, name), { force: true });
    }
    const probe = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(probe, "");
      await rm(probe, { force: true });
    } catch (error) {
      throw new StateError(
        `cannot write the state file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose a path this process may write`,
      );
    }
  }

  /** The saved document, undefined when there is no file yet; a StateError when it cannot be read or is not a state. */
  static async read(path: string): Promise<SimState | undefined> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new StateError(`cannot read state file ${path}: ${(error as Error).message}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error("not a JSON object");
    } catch (error) {
      throw new StateError(
        `state file ${path} is corrupt (${(error as Error).message}); move it away or delete it to start fresh`,
      );
    }
    try {
      return parseState(value);
    } catch (error) {
      if (error instanceof StateError) throw new StateError(`state file ${path}: ${error.message}`);
      throw error;
    }
  }

  /** Validates the document against this simulator, then restores it; nothing changes when it is refused. */
  async restore(document: unknown): Promise<void> {
    try {
      checkState(this.sim, document);
    } catch (error) {
      if (error instanceof StateError) throw new StateError(`state file ${this.path}: ${error.message}`);
      throw error;
    }
    await restoreState(this.sim, document);
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.save().catch(this.onError);
    }, this.intervalMs);
    this.#timer.unref();
  }

  /** Saves now; concurrent calls share one write. */
  save(): Promise<void> {
    this.#saving ??= this.#write().finally(() => {
      this.#saving = undefined;
    });
    return this.#saving;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#saving;
    await this.save();
  }

  async #write(): Promise<void> {
    const state = await captureState(this.sim);
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(state));
    await rename(temporary, this.path);
  }
}
