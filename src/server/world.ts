import type { Hono } from "hono";
import { PLATFORMS } from "../../simulators/registry.js";
import type { CmoAdapter } from "../../simulators/shared/adapter.js";
import { createNativeApp, type NativeAppOptions } from "../../simulators/shared/native-app.js";
import { pacingLimits } from "../../simulators/shared/profile.js";
import { PlatformRuntime, type RuntimeSnapshot } from "../../simulators/shared/runtime.js";
import type { NativeEnv, PlatformDefinition } from "../../simulators/shared/types.js";
import type { CmoPolicy } from "../cmo/policy.js";
import type { PlatformGateway, PlatformPort, TenantAccounts } from "../cmo/ports.js";
import { defaultTenants } from "../config/defaults.js";
import { ConfigError } from "../config/errors.js";
import type { AccountConfig, Config, PlatformCode } from "../config/schema.js";
import type { Clock } from "../engine/clock.js";
import { Pacer, type PacingObserver } from "../engine/pacing.js";
import { Random } from "../engine/random.js";
import { maxAccountSize } from "../inventory/generate.js";
import type { StateStore } from "../store/store.js";
import { HttpTransport } from "../transport/http.js";
import { InProcessTransport } from "../transport/in-process.js";

export type { TenantAccounts };

/** One platform as the rest of the simulator sees it: state, native app and CMO adapter and policy. */
export interface PlatformSlot extends PlatformPort {
  runtime: PlatformRuntime<PlatformDefinition>;
  app: Hono<NativeEnv>;
  adapter: CmoAdapter;
  /** The CMO's outbound queue to this platform. */
  pacer: Pacer;
  transport: "in-process" | "http";
}

export interface WorldOptions {
  config: Config;
  clock: Clock;
  applyLatency: boolean;
  startedAt: number;
  /** Keys the native fakes' tokens (the simulator's signing secret). */
  tokenKey: string;
  /** Where every platform keeps its state: the simulator's one store. */
  store: StateStore;
  nativeApp: NativeAppOptions;
  /** Watches each platform's pacing queue (metrics). */
  pacing?: ((code: PlatformCode) => PacingObserver) | undefined;
}

/**
 * Everything derived from (config, seed): the random source, each platform's runtime and app, and
 * the adapters over their transports. Re-seeding builds a new World and swaps it in whole.
 */
export class World implements PlatformGateway {
  readonly random: Random;
  readonly tenants: TenantAccounts[];
  readonly platforms = new Map<PlatformCode, PlatformSlot>();

  constructor(readonly options: WorldOptions) {
    const { config, clock } = options;
    this.random = new Random(config.seed);
    this.tenants = config.tenants ?? defaultTenants(PLATFORMS.map((p) => p.code));
    checkTenants(this.tenants);
    // Queued calls wait on the clock: only where it moves by itself (real time, or a virtual clock
    // that a run drives through latency) may they wait; a manual clock refuses them instead.
    const mayWait = clock.kind === "real" || options.applyLatency;

    for (const definition of PLATFORMS) {
      const accounts = this.tenants.flatMap((t) =>
        t.accounts.filter((a) => a.platform === definition.code).map((a) => ({ ...a, tenant: t.id })),
      );
      const platformConfig = config.platforms[definition.code];
      const runtime = placed(
        () =>
          new PlatformRuntime(definition, accounts, platformConfig?.profile, {
            seed: config.seed,
            clock,
            random: this.random,
            timeScale: config.timeScale,
            applyLatency: options.applyLatency,
            startedAt: options.startedAt,
            tokenKey: options.tokenKey,
            store: options.store,
          }),
      );
      const app = createNativeApp(runtime, options.nativeApp);
      const transport = platformConfig?.baseUrl
        ? new HttpTransport(platformConfig.baseUrl, clock)
        : new InProcessTransport(app.fetch);
      // The CMO's part of the live profile (definition, config, then admin and scenario overrides):
      // one document as users write it, seen by the CMO only through this narrower type.
      const policy = (): CmoPolicy => runtime.profile;
      const pacer = new Pacer(
        clock,
        () => pacingLimits(runtime.profile, mayWait, options.applyLatency ? config.timeScale : 0),
        options.pacing?.(definition.code),
      );
      const adapter = definition.adapter({
        code: definition.code,
        transport,
        clock,
        vocabulary: definition.vocabulary,
        profile: policy,
        pacer,
      });
      this.platforms.set(definition.code, {
        runtime,
        app,
        adapter,
        policy,
        pacer,
        transport: transport.kind,
      });
    }
  }

  platform(code: string): PlatformSlot | undefined {
    return this.platforms.get(code as PlatformCode);
  }

  /** The accounts a tenant holds on one platform, in configuration order. */
  accountsOf(tenant: string, code: PlatformCode): AccountConfig[] {
    return this.tenants.find((t) => t.id === tenant)?.accounts.filter((a) => a.platform === code) ?? [];
  }

  async snapshot(): Promise<Record<string, RuntimeSnapshot>> {
    const snapshots: Record<string, RuntimeSnapshot> = {};
    for (const [code, slot] of this.platforms) snapshots[code] = await slot.runtime.snapshot();
    return snapshots;
  }

  /** Every platform back to its generated inventory: records gone and triggers cancelled. */
  async reset(): Promise<void> {
    for (const slot of this.platforms.values()) await slot.runtime.reset();
    this.random.resetCounters();
  }
}

/** A platform whose accounts each fit the numbering plan may still not fit it all together: a configuration problem. */
function placed<Runtime>(build: () => Runtime): Runtime {
  try {
    return build();
  } catch (error) {
    if (error instanceof RangeError) throw new ConfigError([error.message]);
    throw error;
  }
}

function checkTenants(tenants: TenantAccounts[]): void {
  const problems: string[] = [];
  const tenantIds = new Set<string>();
  const accountKeys = new Set<string>();
  const known = new Map(PLATFORMS.map((p) => [p.code as string, p]));
  tenants.forEach((tenant, t) => {
    if (tenantIds.has(tenant.id)) problems.push(`tenants[${t}].id: tenant ${tenant.id} is defined twice`);
    tenantIds.add(tenant.id);
    tenant.accounts.forEach((account, a) => {
      const key = `${account.platform}/${account.id}`;
      const definition = known.get(account.platform);
      if (!definition)
        problems.push(`tenants[${t}].accounts[${a}].platform: ${account.platform} is not simulated`);
      else if (account.size > maxAccountSize(definition.numbering))
        problems.push(
          `tenants[${t}].accounts[${a}].size: ${account.platform}'s numbering plan holds at most ${maxAccountSize(definition.numbering).toLocaleString("en-US")} products per account, not ${account.size.toLocaleString("en-US")}`,
        );
      if (accountKeys.has(key))
        problems.push(
          `tenants[${t}].accounts[${a}].id: ${account.platform} account ${account.id} is used twice`,
        );
      accountKeys.add(key);
    });
  });
  if (problems.length > 0) throw new ConfigError(problems);
}
