import { platformDefinition } from "../../simulators/registry.js";
import type { AdminClient } from "../admin/client.js";
import { adminRoutes } from "../admin/routes.js";
import type { CmoStatus } from "../config/schema.js";
import type { RandomStream } from "../engine/random.js";
import type { DeviceInfo, PlatformInfo } from "./admin.js";
import { forPlatform, type Load, type ProductRef } from "./schema.js";

/** A SIM or terminal the runner may act on. */
export interface Target {
  productId: string;
  platform: string;
  nativeId: string;
  accountId: string;
  status: CmoStatus;
}

const PAGE = 1000;

export class ScenarioRefused extends Error {}

/** The device sub-product of a platform's products ("simCard", or "terminal" for satellite). */
export function deviceSuffix(code: string): "simCard" | "terminal" {
  return platformDefinition(code)?.connectivity === "SATELLITE" ? "terminal" : "simCard";
}

export function platformOf(productId: string): string {
  return productId.slice(0, productId.indexOf("-"));
}

/**
 * What the runner knows of the inventory, read once through the admin API before traffic starts:
 * platforms, the tenant's accounts, and devices for picks and load pools. It also remembers the
 * status the client last saw per product (and where transfers moved it), which is how generated
 * status changes and transfers pick their targets.
 */
export class InventoryView {
  readonly #used = new Set<string>();
  readonly #aliases = new Map<string, string>();
  readonly known = new Map<string, CmoStatus>();
  /** The account each known product is on, as picked or as moved by transfers the client saw finish. */
  readonly owner = new Map<string, string>();

  private constructor(
    private readonly admin: AdminClient | undefined,
    private readonly tenant: string,
    readonly platforms: PlatformInfo[],
  ) {}

  static async open(admin: AdminClient | undefined, tenant: string): Promise<InventoryView> {
    return new InventoryView(admin, tenant, admin ? await admin.call(adminRoutes.listPlatforms, {}) : []);
  }

  #admin(what: string): AdminClient {
    if (!this.admin)
      throw new ScenarioRefused(
        `${what} needs a cmo-sim target (its /_sim admin API lists devices); name products by id instead`,
      );
    return this.admin;
  }

  accountsOf(code: string): string[] {
    return (
      this.platforms
        .find((p) => p.code === code)
        ?.accounts.filter((a) => a.tenant === this.tenant)
        .map((a) => a.id) ?? []
    );
  }

  platform(code: string): PlatformInfo | undefined {
    return this.platforms.find((p) => p.code === code);
  }

  async #devices(
    code: string,
    account: string,
    status: string | undefined,
    want: (d: DeviceInfo) => boolean,
    max: number,
  ) {
    const found: DeviceInfo[] = [];
    for (let offset = 0; found.length < max; offset += PAGE) {
      const query = { account, offset: String(offset), limit: String(PAGE), ...(status ? { status } : {}) };
      const page = await this.#admin(`picking a ${code} product`).call(adminRoutes.listDevices, {
        params: { code },
        query,
      });
      found.push(...page.devices.filter(want).slice(0, max - found.length));
      if (page.devices.length < PAGE) break;
    }
    return found;
  }

  /** Resolves a step's product reference; picks never hand out the same product twice. */
  async resolve(ref: ProductRef, platform: string | undefined): Promise<string> {
    if (typeof ref === "string") {
      if (!ref.startsWith("@")) return ref;
      return this.#aliases.get(forPlatform(ref, platform).slice(1)) as string;
    }
    const code = (ref.platform ?? platform) as string;
    const accounts = ref.account ? [ref.account] : this.accountsOf(code);
    for (const account of accounts) {
      const [device] = await this.#devices(
        code,
        account,
        ref.status,
        (d) =>
          !d.pendingOperation && !this.#used.has(d.productId) && (!ref.status || d.status === ref.status),
        1,
      );
      if (!device) continue;
      this.#used.add(device.productId);
      this.known.set(device.productId, device.status);
      this.owner.set(device.productId, device.accountId);
      if (ref.as) this.#aliases.set(forPlatform(ref.as, platform), device.productId);
      return device.productId;
    }
    const what = `${code} product${ref.status ? ` in status ${ref.status}` : ""}${ref.account ? ` on account ${ref.account}` : ""}`;
    throw new ScenarioRefused(`no unused ${what} for tenant ${this.tenant}`);
  }

  /** The SIMs a load draws from, in a seeded order (a Zipf load's hottest SIMs come first). */
  async pool(load: Load, shuffle: RandomStream): Promise<Target[]> {
    this.#admin(`load "${load.name}" (picking its SIMs)`);
    const targets = load.targets;
    const codes = targets.platforms === "all" ? this.platforms.map((p) => p.code) : targets.platforms;
    const pool: Target[] = [];
    for (const code of codes) {
      for (const account of this.accountsOf(code)) {
        if (targets.accounts && !targets.accounts.includes(account)) continue;
        const devices = await this.#devices(
          code,
          account,
          undefined,
          (d) => !targets.statuses || targets.statuses.includes(d.status),
          Number.POSITIVE_INFINITY,
        );
        for (const d of devices) {
          pool.push({
            productId: d.productId,
            platform: code,
            nativeId: d.nativeId,
            accountId: d.accountId,
            status: d.status,
          });
          if (!this.known.has(d.productId)) this.known.set(d.productId, d.status);
          if (!this.owner.has(d.productId)) this.owner.set(d.productId, d.accountId);
        }
      }
    }
    if (pool.length === 0)
      throw new ScenarioRefused(`load "${load.name}" has no SIMs to act on (check its targets)`);
    shuffle.shuffle(pool);
    return targets.limit === undefined ? pool : pool.slice(0, targets.limit);
  }
}
