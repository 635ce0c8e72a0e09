import type { AdapterAccount, CmoAdapter } from "../../simulators/shared/adapter.js";
import type { PlatformRuntime } from "../../simulators/shared/runtime.js";
import type { ConfigInput, PlatformCode } from "../../src/config/schema.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { listen } from "../../src/server/listen.js";
import { createSimulator } from "../../src/server/simulator.js";

export interface ParityHarness {
  adapter: CmoAdapter;
  /** The platform's state, wherever it lives (for arranging a test, not for asserting through). */
  runtime: PlatformRuntime;
  /** The n-th account (0-based) that `tenant` holds on the platform. */
  account(tenant?: string, n?: number): AdapterAccount;
  /** Moves simulated time on every clock involved. */
  advance(ms: number): Promise<void>;
  transport: string;
}

const START = Date.UTC(2026, 5, 1, 12);

export function accountOf(
  sim: ReturnType<typeof createSimulator>,
  code: PlatformCode,
  tenant: string,
  n: number,
): AdapterAccount {
  const runtime = sim.world.platform(code)?.runtime as PlatformRuntime;
  const config = sim.world.accountsOf(tenant, code)[n];
  if (!config) throw new Error(`${tenant} has no account #${n} on ${code}`);
  const native = runtime.accounts.get(config.id);
  if (!native) throw new Error(`no native account ${config.id}`);
  return { id: native.id, name: native.name, tenant, username: native.username, secret: native.secret };
}

/**
 * Runs one adapter script twice: over the in-process transport, and over real HTTP against a
 * second simulator process-equivalent (its own app on its own socket), and returns both results
 * for the test to compare. Both worlds share seed and start time; the HTTP run shares one virtual clock between its two sides.
 */
export async function runOverBothTransports<T>(
  code: PlatformCode,
  config: ConfigInput,
  script: (h: ParityHarness) => Promise<T>,
): Promise<{ inProcess: T; http: T }> {
  const local = createSimulator(config, { clock: new VirtualClock(START), applyLatency: false });
  const localClock = local.clock as VirtualClock;
  const inProcess = await script({
    adapter: local.world.platform(code)?.adapter as CmoAdapter,
    runtime: local.world.platform(code)?.runtime as PlatformRuntime,
    account: (tenant = "eos", n = 0) => accountOf(local, code, tenant, n),
    advance: (ms) => localClock.advance(ms),
    transport: "in-process",
  });

  // One clock for both sides, as in-process: the caller's HTTP exchanges are tracked on it, so time
  // never moves while a request is on the wire and both runs see the same instants.
  const shared = new VirtualClock(START);
  const remote = createSimulator(config, { clock: shared, applyLatency: false });
  const server = await listen(remote, 0, "127.0.0.1");
  try {
    const caller = createSimulator(
      {
        ...config,
        platforms: {
          ...config.platforms,
          [code]: { ...config.platforms?.[code], baseUrl: `${server.url}/platforms/${code.toLowerCase()}` },
        },
      },
      { clock: shared, applyLatency: false },
    );
    const slot = caller.world.platform(code);
    if (slot?.transport !== "http") throw new Error("the caller should reach the platform over HTTP");
    const http = await script({
      adapter: slot.adapter,
      runtime: remote.world.platform(code)?.runtime as PlatformRuntime,
      account: (tenant = "eos", n = 0) => accountOf(remote, code, tenant, n),
      advance: (ms) => shared.advance(ms),
      transport: "http",
    });
    return { inProcess, http };
  } finally {
    await server.close(100);
  }
}
