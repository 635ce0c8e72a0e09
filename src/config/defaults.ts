import type { AccountConfig, PlatformCode } from "./schema.js";

/**
 * The embedded world `cmo-sim serve` starts with: tenants `eos` and `acme`, an account on every
 * platform for each (two on TMSP and JASPER for `eos`, so transfers have somewhere to go), and three
 * clients. Everything here can be replaced by a config file.
 */
export const DEFAULT_CLIENTS = [
  {
    clientId: "cmo-sim-client",
    clientSecret: "cmo-sim-secret",
    tenants: ["eos"],
    roles: ["ro", "rw"] as Array<"ro" | "rw">,
  },
  {
    clientId: "cmo-sim-readonly",
    clientSecret: "cmo-sim-secret",
    tenants: ["eos"],
    roles: ["ro"] as Array<"ro" | "rw">,
  },
  {
    clientId: "acme-client",
    clientSecret: "acme-secret",
    tenants: ["acme"],
    roles: ["ro", "rw"] as Array<"ro" | "rw">,
  },
];

const SECOND_ACCOUNT_FOR_EOS = new Set<PlatformCode>(["TMSP", "JASPER"]);

/** Account ids look like the carriers' numeric ones and never repeat across tenants (platform index from the registry order). */
function accountId(platformIndex: number, tenantIndex: number, n: number): string {
  return String(100_100_000 + platformIndex * 10_000 + tenantIndex * 100 + n);
}

export function defaultTenants(
  platforms: readonly PlatformCode[],
  size = 100,
): Array<{ id: string; accounts: AccountConfig[] }> {
  return ["eos", "acme"].map((tenant, tenantIndex) => ({
    id: tenant,
    accounts: platforms.flatMap((code, platformIndex) => {
      const count = tenant === "eos" && SECOND_ACCOUNT_FOR_EOS.has(code) ? 2 : 1;
      return Array.from({ length: count }, (_, k) => ({
        platform: code,
        id: accountId(platformIndex, tenantIndex, k + 1),
        name: `${code}_${tenant.toUpperCase()}_${k + 1}`,
        size,
      }));
    }),
  }));
}

/** The credentials a platform account signs in with: configured, or derived from platform and id. */
export function accountCredentials(account: Pick<AccountConfig, "platform" | "id" | "credentials">): {
  username: string;
  secret: string;
} {
  const code = account.platform.toLowerCase();
  return {
    username: account.credentials?.username ?? `${code}-${account.id}`,
    secret: account.credentials?.secret ?? `${code}-${account.id}-secret`,
  };
}
