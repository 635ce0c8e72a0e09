import { readFile, rename, writeFile } from "node:fs/promises";
import type { Simulator } from "./simulator.js";
import { captureState, checkState, restoreState, StateError } from "./state.js";

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

  /** The saved document, undefined when there is no file yet; a StateError when it cannot be read. */
  static async read(path: string): Promise<Record<string, unknown> | undefined> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new StateError(`cannot read state file ${path}: ${(error as Error).message}`);
    }
    try {
      const value = JSON.parse(text) as unknown;
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error("not a JSON object");
      return value as Record<string, unknown>;
    } catch (error) {
      throw new StateError(
        `state file ${path} is corrupt (${(error as Error).message}); move it away or delete it to start fresh`,
      );
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
