import type { Hono } from "hono";
import type { Config } from "../config/schema.js";
import type { Clock } from "../engine/clock.js";
import { MemoryStore, type StateStore } from "../store/store.js";
import { CmoAuth, type CmoAuthEnv } from "./auth.js";
import { ProductDirectory } from "./directory.js";
import type { MonitorRecord } from "./monitor-model.js";
import { MonitorBook } from "./monitors.js";
import type { PlatformGateway } from "./ports.js";
import type { CustomProperty } from "./products.js";
import { createCmoApp } from "./routes.js";
import { CmoService } from "./service.js";

export interface CmoSnapshot {
  monitors: MonitorRecord[];
  customProperties: Array<[string, CustomProperty[]]>;
  /** Products per account where the CMO's view differs from the provisioned size (after transfers). */
  accountCounts?: Array<[string, number]> | undefined;
}

/** What the CMO front is given: its clock, its platforms, its configuration and its key. */
export interface CmoPorts {
  clock: Clock;
  /** The platforms as they are now (a re-seed swaps them whole). */
  gateway: () => PlatformGateway;
  config: Pick<Config, "auth" | "cmo"> & { server: Pick<Config["server"], "trustProxy"> };
  signingSecret: string;
  store?: StateStore | undefined;
  /** Called when the CMO answers with a 5xx it did not mean to (for logs). */
  onUnexpectedError?: ((error: unknown, path: string) => void) | undefined;
}

/** The CMO front: token endpoint, products, status changes, custom properties, monitors, batches. */
export class CmoFront {
  readonly auth: CmoAuth;
  readonly directory: ProductDirectory;
  readonly monitors: MonitorBook;
  readonly service: CmoService;
  /** The CMO's HTTP surface, answering its own errors as problems; the simulator mounts it at the root. */
  readonly app: Hono<CmoAuthEnv>;
  readonly #properties;

  constructor(ports: CmoPorts) {
    const { clock, gateway, config } = ports;
    const store = ports.store ?? new MemoryStore();
    this.auth = new CmoAuth(config.auth, clock, ports.signingSecret, store);
    this.directory = new ProductDirectory(store, gateway);
    this.#properties = store.collection<CustomProperty[]>("customProperties");
    this.monitors = new MonitorBook(store, clock, gateway, this.directory, () => ({
      retentionMs: config.cmo.monitorRetentionMs,
      pollFirstMs: config.cmo.pollFirstMs,
      pollMaxMs: config.cmo.pollMaxMs,
      giveUpAfterMs: 24 * 3600 * 1000,
    }));
    this.service = new CmoService(clock, this.directory, this.monitors, this.#properties);
    this.app = createCmoApp(this.auth, this.service, {
      basePath: config.cmo.basePath,
      batchLimit: config.cmo.batchLimit,
      pageSizeDefault: config.cmo.pageSizeDefault,
      pageSizeMax: config.cmo.pageSizeMax,
      tenants: () => gateway().tenants.map((t) => t.id),
      trustProxy: config.server.trustProxy,
      onUnexpectedError: ports.onUnexpectedError,
    });
  }

  async snapshot(): Promise<CmoSnapshot> {
    return {
      monitors: structuredClone(await this.monitors.all()),
      customProperties: structuredClone(await this.#properties.entries()),
      accountCounts: structuredClone(await this.directory.counts()),
    };
  }

  async restore(snapshot: CmoSnapshot): Promise<void> {
    await this.directory.reset();
    await this.directory.restoreCounts(snapshot.accountCounts ?? []);
    await this.#properties.clear();
    for (const [key, value] of snapshot.customProperties) await this.#properties.set(key, value);
    await this.monitors.restore(snapshot.monitors);
  }

  async reset(): Promise<void> {
    await this.auth.reset();
    await this.directory.reset();
    await this.#properties.clear();
    await this.monitors.reset();
  }
}
