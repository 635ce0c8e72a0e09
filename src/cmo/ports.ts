import type { CmoAdapter } from "../../simulators/shared/adapter.js";
import type { AccountConfig, PlatformCode } from "../config/schema.js";
import type { CmoPolicy } from "./policy.js";

export interface TenantAccounts {
  id: string;
  accounts: AccountConfig[];
}

/** One platform as the CMO reaches it: its adapter, and the CMO's live policy for it. */
export interface PlatformPort {
  readonly adapter: CmoAdapter;
  policy(): CmoPolicy;
}

/**
 * Everything the CMO knows of the platforms: who holds which accounts, and a port per platform.
 * Native state is reached only through the adapters, so a port over HTTP to a real sandbox is as good.
 */
export interface PlatformGateway {
  readonly tenants: readonly TenantAccounts[];
  platform(code: string): PlatformPort | undefined;
  /** The accounts a tenant holds on one platform, in configuration order. */
  accountsOf(tenant: string, code: PlatformCode): AccountConfig[];
}
