import type { VirtualClock } from "../engine/clock.js";
import type { Collection, StateStore, Unsubscribe } from "../store/store.js";

const COLLECTION = "world";
const KEY = "manual-clock";
const TOPIC = "manual-clock";

/**
 * A manual clock that every replica of a world moves together: the time lives in the store, and a
 * move made through one replica's admin API is announced to the others, each of which fires what
 * falls due on its own clock before the move is answered. Time only moves forward, so two moves
 * racing through two replicas end at the later target.
 */
export class SharedManualClock {
  readonly #time: Collection<number>;
  readonly #store: StateStore;
  readonly #clock: VirtualClock;
  #stopListening: Unsubscribe | undefined;

  constructor(store: StateStore, clock: VirtualClock) {
    this.#store = store;
    this.#clock = clock;
    this.#time = store.collection<number>(COLLECTION);
  }

  /** Hears moves from now on, and catches up with the world's time (or sets it, as the first replica). */
  async join(): Promise<void> {
    this.#stopListening ??= await this.#store.subscribe(TOPIC, (message) => this.#catchUp(Number(message)));
    if (await this.#time.insert(KEY, this.#clock.now())) return;
    await this.#catchUp((await this.#time.get(KEY)) ?? this.#clock.now());
  }

  async leave(): Promise<void> {
    const stop = this.#stopListening;
    this.#stopListening = undefined;
    await stop?.();
  }

  /** Moves every replica's clock to `target` (or to a later time another move reached first). */
  async moveTo(target: number): Promise<void> {
    const now = (await this.#time.update(KEY, (current) => Math.max(current ?? 0, target))) as number;
    await this.#catchUp(now);
    await this.#store.publish(TOPIC, String(now));
  }

  #catchUp(time: number): Promise<void> {
    return time > this.#clock.now() ? this.#clock.advanceTo(time) : Promise.resolve();
  }
}
