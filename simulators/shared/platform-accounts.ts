import { accountCredentials } from "../../src/config/defaults.js";
import type { AccountConfig, PlatformCode } from "../../src/config/schema.js";
import { AccountInventory } from "../../src/inventory/generate.js";
import { type IdRange, placeApart } from "../../src/inventory/ranges.js";
import type { PlatformSpec } from "./platform-spec.js";

export interface NativeAccount {
  platform: PlatformCode;
  id: string;
  name: string;
  tenant: string;
  username: string;
  secret: string;
  inventory: AccountInventory;
}

/**
 * A platform's configured accounts, each with its generated inventory. Configuration, not state:
 * the same (seed, accounts) give the same accounts. Each account's identifier ranges overlap none of
 * the accounts before it.
 */
export function platformAccounts(
  spec: PlatformSpec,
  seed: number | string,
  configs: ReadonlyArray<AccountConfig & { tenant: string }>,
): Map<string, NativeAccount> {
  const accounts = new Map<string, NativeAccount>();
  const taken: IdRange[] = [];
  for (const config of configs) {
    const inventory = placeApart(
      (variant) =>
        new AccountInventory(
          seed,
          { platform: spec.code, accountId: config.id, size: config.size },
          spec.numbering,
          config.statusMix ?? spec.statusWeights,
          variant,
        ),
      taken,
      `${spec.code} account ${config.id}`,
    );
    taken.push(...inventory.ranges);
    accounts.set(config.id, {
      platform: spec.code,
      id: config.id,
      name: config.name,
      tenant: config.tenant,
      ...accountCredentials(config),
      inventory,
    });
  }
  return accounts;
}
