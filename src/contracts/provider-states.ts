import type { AdminAnswer } from "../admin/client.js";
import { adminRoutes } from "../admin/routes.js";
import type { CmoStatus } from "../config/schema.js";
import { deviceSuffix } from "../scenario/inventory.js";
import { escapeRegex } from "./regex.js";
import type { SimClient, SimDevice } from "./sim-client.js";

/**
 * Provider states: how cmo-sim's (cmo-states.ts, platform-states.ts, documented in
 * docs/contracts.md) are named, found and run. Each arranges a running simulator through its admin
 * API and CMO front (over HTTP, so it works for a simulator in another process too) and returns the
 * values `fromProviderState` expressions refer to.
 *
 * A state is named by a template: `a {platform} SIM in status {status}` matches
 * "a JASPER SIM in status SUSPENDED"; parameters may also come as the state's params (they win).
 */

export type StateValues = Record<string, string | number>;
export type Params = Record<string, unknown>;

export interface StateDefinition {
  template: string;
  /** One line for docs and error messages. */
  summary: string;
  setup(params: Params, sim: SimClient): Promise<StateValues | undefined>;
}

/** Long enough for every default async timeline to finish and every rate-limit window to roll over. */
export const SETTLE_MS = 3_600_000;

export const param = (params: Params, name: string, fallback?: string): string => {
  const value = params[name] ?? fallback;
  if (value === undefined || value === "") throw new Error(`parameter ${name} is required`);
  return String(value).trim();
};

/** The first device of `tenant` on `code` in CMO status `status` with nothing in flight; put one there if none is. */
export async function deviceIn(
  sim: SimClient,
  code: string,
  status: string,
  tenant = "eos",
  skip = 0,
): Promise<SimDevice> {
  const [account] = await sim.accounts(tenant, code);
  if (!account) throw new Error(`tenant ${tenant} has no ${code} account`);
  const ready = (await sim.devices(code, { account, status })).filter(
    (d) => d.status === status && d.pendingOperation === null,
  );
  const found = ready[skip];
  if (found) return found;
  const spare = (await sim.devices(code, { account }))
    .filter((d) => d.pendingOperation === null)
    .at(-1 - skip);
  if (!spare) throw new Error(`${code} account ${account} has no device to put in ${status}`);
  // A pact may name any status: the simulator judges it, and refuses one it does not know.
  const wanted = status as CmoStatus;
  await sim.admin.call(adminRoutes.setDevice, {
    params: { code, nativeId: spare.nativeId },
    body: { status: wanted },
  });
  return { ...spare, status: wanted };
}

export function deviceValues(code: string, device: SimDevice): StateValues {
  return {
    platform: code,
    productId: device.productId,
    subProductId: `${device.productId}-${deviceSuffix(code)}`,
    nativeId: device.nativeId,
    accountId: device.accountId,
    ...(device.iccid ? { iccid: device.iccid } : {}),
  };
}

/** Which client the CMO requests of an interaction are signed in as, and whether its token is left alone. */
export class Session {
  clientId = "cmo-sim-client";
  clientSecret: string | undefined;
  keepToken = false;

  reset(): void {
    this.clientId = "cmo-sim-client";
    this.clientSecret = undefined;
    this.keepToken = false;
  }

  token(sim: SimClient): Promise<string> {
    return sim.token(this.clientId, this.clientSecret);
  }
}

/** `a {platform} SIM` → /^a (?<platform>.+?) SIM$/i */
function templateRegex(template: string): RegExp {
  const parts = template.split(/\{(\w+)\}/);
  const source = parts.map((part, i) => (i % 2 === 0 ? escapeRegex(part) : `(?<${part}>.+?)`)).join("");
  return new RegExp(`^${source}$`, "i");
}

/**
 * Runs provider states against one simulator: every interaction begins from the generated inventory
 * (reset, a rebuilt inventory put back) an hour later than the last, past any rate-limit window.
 */
export class ProviderStateRunner {
  readonly errors: Array<{ state: string; message: string }> = [];
  /** The tenants before a state rebuilt the inventory, to rebuild it as it was. */
  #original: AdminAnswer<typeof adminRoutes.getInventory>["tenants"] = [];
  #inventoryChanged = false;

  constructor(
    readonly sim: SimClient,
    readonly definitions: readonly StateDefinition[],
    readonly session: Session,
  ) {}

  async begin(): Promise<void> {
    this.session.reset();
    if (this.#inventoryChanged) {
      await this.sim.admin.call(adminRoutes.reseed, { body: { tenants: this.#original } });
      this.#inventoryChanged = false;
    }
    await this.sim.admin.call(adminRoutes.reset, {});
    await this.sim.advance(SETTLE_MS);
  }

  /** Sets up one state by name; unknown states and failures are kept in `errors` and rethrown. */
  async setup(name: string, params: Params = {}): Promise<StateValues | undefined> {
    if (name.trim() === "") return undefined;
    const resolved = resolveState(this.definitions, name);
    if (!resolved) {
      const known = this.definitions.map((d) => `"${d.template}"`).join(", ");
      const message = `unknown provider state; cmo-sim knows ${known}`;
      this.errors.push({ state: name, message });
      throw new Error(message);
    }
    if (resolved.definition.template.startsWith("every account holds") && !this.#inventoryChanged) {
      this.#original = (await this.sim.admin.call(adminRoutes.getInventory, {})).tenants;
      this.#inventoryChanged = true;
    }
    try {
      return await resolved.definition.setup({ ...resolved.params, ...params }, this.sim);
    } catch (error) {
      this.errors.push({ state: name, message: (error as Error).message });
      throw error;
    }
  }
}

const literalLength = (template: string) => template.replace(/\{\w+\}/g, "").length;

/**
 * Finds the definition a state name refers to and the parameters its name carries. When several
 * templates match ("a {platform} SIM in status {status}" matches longer names too), the one with
 * the most literal text wins.
 */
export function resolveState(
  definitions: readonly StateDefinition[],
  name: string,
): { definition: StateDefinition; params: Params } | undefined {
  let best: { definition: StateDefinition; params: Params } | undefined;
  for (const definition of definitions) {
    const match = templateRegex(definition.template).exec(name.trim());
    if (match && (!best || literalLength(definition.template) > literalLength(best.definition.template))) {
      best = { definition, params: { ...match.groups } };
    }
  }
  return best;
}
