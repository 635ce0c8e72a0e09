import type { Hono } from "hono";
import type { Simulator } from "../server/simulator.js";
import { MemoryStore, type StateStore } from "../store/store.js";
import { CmoAuth } from "./auth.js";
import { ProductDirectory } from "./directory.js";
import type { MonitorRecord } from "./monitor-model.js";
import { MonitorBook } from "./monitors.js";
import type { CustomProperty } from "./products.js";
import { registerCmoRoutes } from "./routes.js";
import { CmoService } from "./service.js";

export interface CmoSnapshot {
  monitors: MonitorRecord[];
  customProperties: Array<[string, CustomProperty[]]>;
  /** Products per account where the CMO's view differs from the provisioned size (after transfers). */
  accountCounts?: Array<[string, number]> | undefined;
}

/** The CMO front: token endpoint, products, status changes, custom properties, monitors, batches. */
export class CmoFront {
  readonly auth: CmoAuth;
  readonly directory: ProductDirectory;
  readonly monitors: MonitorBook;
  readonly service: CmoService;
  readonly #properties;

  constructor(
    readonly sim: Simulator,
    store: StateStore = new MemoryStore(),
  ) {
    const { config } = sim;
    this.auth = new CmoAuth(config.auth, sim.clock, sim.signingSecret);
    this.directory = new ProductDirectory(() => sim.world);
    this.#properties = store.collection<CustomProperty[]>("customProperties");
    this.monitors = new MonitorBook(
      store.collection<MonitorRecord>("monitors"),
      sim.clock,
      () => sim.world,
      this.directory,
      () => ({
        retentionMs: sim.config.cmo.monitorRetentionMs,
        pollFirstMs: sim.config.cmo.pollFirstMs,
        pollMaxMs: sim.config.cmo.pollMaxMs,
        giveUpAfterMs: 24 * 3600 * 1000,
      }),
    );
    this.service = new CmoService(sim, this.directory, this.monitors, this.#properties);
  }

  register(app: Hono): void {
    this.auth.register(app);
    registerCmoRoutes(app, this.auth, this.service, {
      basePath: this.sim.config.cmo.basePath,
      batchLimit: this.sim.config.cmo.batchLimit,
      pageSizeDefault: this.sim.config.cmo.pageSizeDefault,
      pageSizeMax: this.sim.config.cmo.pageSizeMax,
      tenants: () => this.sim.world.tenants.map((t) => t.id),
      trustProxy: this.sim.config.server.trustProxy,
    });
  }

  async snapshot(): Promise<CmoSnapshot> {
    return {
      monitors: structuredClone(await this.monitors.all()),
      customProperties: structuredClone(await this.#properties.entries()),
      accountCounts: this.directory.counts(),
    };
  }

  async restore(snapshot: CmoSnapshot): Promise<void> {
    this.directory.reset();
    this.directory.restoreCounts(snapshot.accountCounts ?? []);
    await this.#properties.clear();
    for (const [key, value] of snapshot.customProperties) await this.#properties.set(key, value);
    await this.monitors.restore(snapshot.monitors);
  }

  async reset(): Promise<void> {
    this.auth.reset();
    this.directory.reset();
    await this.#properties.clear();
    await this.monitors.reset();
  }
}
