import type { PlatformCode, PlatformProfileInput } from "../../src/config/schema.js";
import type { OutageWindow } from "../../src/engine/faults.js";
import type { Collection, StateStore, Unsubscribe } from "../../src/store/store.js";
import type { OutagePlan } from "./profile.js";

/**
 * What a run changes on a platform through the admin API (the profile override, with its faults
 * and latency, and the outage windows), as the store keeps it for every process. `version` grows
 * with each change, so a process can tell a record newer than the one it applied.
 */
export interface KnobRecord {
  version: number;
  override?: PlatformProfileInput | undefined;
  /** The outage windows in force; absent, the ones planned by the configuration. */
  outages?: OutageWindow[] | undefined;
}

export type KnobChange = Omit<KnobRecord, "version">;

const RECORD = "knobs";

/**
 * A platform's knobs in the store, and the announcement that they changed: each process keeps the
 * knobs it applies in memory (they are read on every request) and re-reads them when told.
 */
export class PlatformKnobs {
  readonly #records: Collection<KnobRecord>;
  readonly #store: StateStore;
  readonly #topic: string;

  constructor(store: StateStore, code: PlatformCode) {
    this.#store = store;
    this.#records = store.collection(`platform:${code}:knobs`);
    this.#topic = `platform:${code}:knobs`;
  }

  read(): Promise<KnobRecord | undefined> {
    return this.#records.get(RECORD);
  }

  /** One atomic change of the record; `edit` may run more than once (see Collection.update). */
  async change(edit: (current: KnobChange) => KnobChange): Promise<KnobRecord> {
    return (await this.#records.update(RECORD, (current) => ({
      ...edit({ override: current?.override, outages: current?.outages }),
      version: (current?.version ?? 0) + 1,
    }))) as KnobRecord;
  }

  /** Tells every process, this one included, that the record reached `version`; resolves once they applied it. */
  announce(version: number): Promise<void> {
    return this.#store.publish(this.#topic, String(version));
  }

  listen(listener: (version: number) => Promise<void>): Promise<Unsubscribe> {
    return this.#store.subscribe(this.#topic, (message) => listener(Number(message)));
  }
}

/** Outage starts below this are offsets from the run's start; above, epoch milliseconds. */
const OFFSET_LIMIT = 1e11;

/** The windows a profile's outage plans describe, for a run that started at `startedAt`. */
export function plannedOutages(plans: readonly OutagePlan[], startedAt: number): OutageWindow[] {
  return plans.map((o) => {
    const start =
      typeof o.start === "string"
        ? Date.parse(o.start)
        : o.start < OFFSET_LIMIT
          ? startedAt + o.start
          : o.start;
    return {
      start,
      end: o.durationMs === undefined ? undefined : start + o.durationMs,
      status: o.status,
      reason: o.reason,
    };
  });
}
