import { PLATFORMS } from "../../simulators/registry.js";
import type { AdapterAccount, DeviceView } from "../../simulators/shared/adapter.js";
import type { PlatformDefinition } from "../../simulators/shared/types.js";
import { accountCredentials } from "../config/defaults.js";
import type { AccountConfig, PlatformCode } from "../config/schema.js";
import { ProblemError } from "../http/problem.js";
import type { StateStore } from "../store/store.js";
import { failureToProblem } from "./failures.js";
import type { ProductRef } from "./ids.js";
import type { PlatformGateway, PlatformPort } from "./ports.js";

/** A device as the CMO found it, with where it lives. */
export interface Located {
  device: DeviceView;
  account: AdapterAccount;
  definition: PlatformDefinition;
  slot: PlatformPort;
}

const INDEX_LIMIT = 200_000;

/**
 * The CMO's own view of where products live, as the real service keeps one: which account holds a
 * native id (learnt from answers), and how many products each account holds (it provisioned them:
 * the configured sizes, moved by the transfers it performed, corrected by every total a platform
 * reports). Paging across accounts therefore never needs a platform that is down; everything else
 * is asked of the platforms, through their adapters.
 */
export class ProductDirectory {
  /** tenant|platform|nativeId → the account it was last seen in. */
  readonly #where;
  /** tenant|platform|accountId → products held, where that differs from the provisioned size. */
  readonly #counts;

  constructor(
    store: StateStore,
    private readonly gateway: () => PlatformGateway,
  ) {
    this.#where = store.collection<string>("productAccounts");
    this.#counts = store.collection<number>("accountCounts");
  }

  async reset(): Promise<void> {
    await this.#where.clear();
    await this.#counts.clear();
  }

  adapterAccount(tenant: string, config: AccountConfig): AdapterAccount {
    return { id: config.id, name: config.name, tenant, ...accountCredentials(config) };
  }

  accounts(tenant: string, platform: PlatformCode): AdapterAccount[] {
    return this.gateway()
      .accountsOf(tenant, platform)
      .map((a) => this.adapterAccount(tenant, a));
  }

  /** Every account of the tenant, in the order the product list pages through them. */
  allAccounts(tenant: string): Array<{ account: AdapterAccount; definition: PlatformDefinition }> {
    const tenantConfig = this.gateway().tenants.find((t) => t.id === tenant);
    if (!tenantConfig) return [];
    return PLATFORMS.flatMap((definition) =>
      tenantConfig.accounts
        .filter((a) => a.platform === definition.code)
        .map((a) => ({ account: this.adapterAccount(tenant, a), definition })),
    );
  }

  /**
   * Notes where native ids were seen, when the tenant has more than one account on the platform
   * (with one, there is nothing to learn). The bound is checked once per call, not per id, so the
   * index may pass INDEX_LIMIT by one page at most; that saves a store round trip per listed product.
   */
  async #remember(
    tenant: string,
    platform: string,
    nativeIds: readonly string[],
    accountId: string,
  ): Promise<void> {
    if (this.gateway().accountsOf(tenant, platform as PlatformCode).length < 2) return;
    if ((await this.#where.size()) >= INDEX_LIMIT) await this.#where.clear();
    for (const nativeId of nativeIds) await this.#where.set(`${tenant}|${platform}|${nativeId}`, accountId);
  }

  /** After a transfer the CMO performed: the product moved, and both accounts' counts changed. */
  async moved(tenant: string, platform: string, nativeId: string, from: string, to: string): Promise<void> {
    await this.#remember(tenant, platform, [nativeId], to);
    await this.#changeCount(tenant, platform, from, (count) => Math.max(0, count - 1));
    await this.#changeCount(tenant, platform, to, (count) => count + 1);
  }

  async #changeCount(tenant: string, platform: string, accountId: string, change: (count: number) => number) {
    const provisioned = this.#provisioned(tenant, platform, accountId);
    await this.#counts.update(`${tenant}|${platform}|${accountId}`, (count) => change(count ?? provisioned));
  }

  #provisioned(tenant: string, platform: string, accountId: string): number {
    return (
      this.gateway()
        .accountsOf(tenant, platform as PlatformCode)
        .find((a) => a.id === accountId)?.size ?? 0
    );
  }

  /** How many products the CMO holds an account to have; no platform is asked. */
  async count(tenant: string, platform: string, accountId: string): Promise<number> {
    const counted = await this.#counts.get(`${tenant}|${platform}|${accountId}`);
    return counted ?? this.#provisioned(tenant, platform, accountId);
  }

  /** Counts that differ from the provisioned sizes, for a state snapshot. */
  counts(): Promise<Array<[string, number]>> {
    return this.#counts.entries();
  }

  async restoreCounts(counts: ReadonlyArray<[string, number]>): Promise<void> {
    await this.#counts.clear();
    for (const [key, count] of counts) await this.#counts.set(key, count);
  }

  /**
   * Finds a device among the tenant's accounts on the product's platform, trying the account it
   * was last seen in first. A platform failure (rate limit, outage) is the answer; only "not found"
   * everywhere makes a 404.
   */
  async locate(tenant: string, ref: ProductRef, subject = `Product ${ref.compositeId}`): Promise<Located> {
    const slot = this.gateway().platform(ref.platform);
    const accounts = this.accounts(tenant, ref.platform);
    if (!slot || accounts.length === 0)
      throw new ProblemError(404, `${subject} not found: tenant ${tenant} has no ${ref.platform} account`);
    // With one account there is nothing to learn or look up: it is there or nowhere.
    const known =
      accounts.length > 1 ? await this.#where.get(`${tenant}|${ref.platform}|${ref.nativeId}`) : undefined;
    const ordered = known
      ? [...accounts.filter((a) => a.id === known), ...accounts.filter((a) => a.id !== known)]
      : accounts;
    for (const account of ordered) {
      const outcome = await slot.adapter.get(account, ref.nativeId);
      if (outcome.ok) {
        // Found where it was last seen (the usual read): nothing new to write.
        if (account.id !== known) await this.#remember(tenant, ref.platform, [ref.nativeId], account.id);
        return { device: outcome.value, account, definition: ref.definition, slot };
      }
      if (outcome.failure.kind !== "not-found")
        throw failureToProblem(ref.platform, outcome.failure, subject);
    }
    throw new ProblemError(404, `${subject} not found`);
  }

  /** Products [offset, offset + limit) of the tenant across all its accounts, and the total. */
  async page(
    tenant: string,
    offset: number,
    limit: number,
  ): Promise<{ items: Array<Omit<Located, "slot">>; total: number }> {
    const items: Array<Omit<Located, "slot">> = [];
    let start = 0;
    for (const { account, definition } of this.allAccounts(tenant)) {
      const count = await this.count(tenant, definition.code, account.id);
      const from = Math.max(0, offset - start);
      const wanted = Math.min(limit - items.length, count - from);
      if (items.length < limit && wanted > 0) {
        const slot = this.gateway().platform(definition.code) as PlatformPort;
        const outcome = await slot.adapter.list(account, from, wanted);
        if (!outcome.ok)
          throw failureToProblem(
            definition.code,
            outcome.failure,
            `The product list of ${definition.code} account ${account.id}`,
          );
        await this.#counts.set(`${tenant}|${definition.code}|${account.id}`, outcome.value.total);
        await this.#remember(
          tenant,
          definition.code,
          outcome.value.items.map((device) => device.nativeId),
          account.id,
        );
        for (const device of outcome.value.items) items.push({ device, account, definition });
      }
      start += count;
    }
    return { items, total: start };
  }
}
