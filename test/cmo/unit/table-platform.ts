import type {
  AdapterAccount,
  ChangeAccepted,
  CmoAdapter,
  DeviceView,
  Outcome,
  PollResult,
} from "../../../simulators/shared/adapter.js";
import { type CmoPolicy, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_PACING } from "../../../src/cmo/policy.js";
import type { PlatformGateway, PlatformPort, TenantAccounts } from "../../../src/cmo/ports.js";
import type { AccountConfig, CmoStatus, PlatformCode } from "../../../src/config/schema.js";
import type { NativeExchange } from "../../../src/transport/types.js";

const EXCHANGE: NativeExchange = { status: 200, headers: [], body: "{}" };

/**
 * A platform behind the CMO's port that answers from tables a test fills: devices per account, and
 * tickets that stay IN_PROGRESS until the test settles them. Every native call is counted.
 */
export class TablePlatform implements CmoAdapter, PlatformPort {
  readonly adapter: CmoAdapter = this;
  readonly devices = new Map<string, Map<string, DeviceView>>();
  readonly tickets = new Map<string, PollResult["state"]>();
  readonly calls: string[] = [];
  /** While set, a poll waits for it before it reads its ticket (a poll caught in flight). */
  pollHold: Promise<void> | undefined;
  /** Whether changes finish at once or become tickets to poll. */
  changes: "done" | "pending" = "pending";
  rules: CmoPolicy = {
    transitions: { ACTIVE: ["SUSPENDED"], SUSPENDED: ["ACTIVE"] },
    transfer: false,
    syncWaitTimeoutMs: 30_000,
    pacing: DEFAULT_PACING,
    callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
  };

  policy(): CmoPolicy {
    return this.rules;
  }

  device(accountId: string, nativeId: string, status: CmoStatus): DeviceView {
    const device: DeviceView = { nativeId, status, nativeStatus: status.toLowerCase(), characteristics: [] };
    const account = this.devices.get(accountId) ?? new Map<string, DeviceView>();
    account.set(nativeId, device);
    this.devices.set(accountId, account);
    return device;
  }

  async get(account: AdapterAccount, nativeId: string): Promise<Outcome<DeviceView>> {
    this.calls.push(`get ${account.id} ${nativeId}`);
    const device = this.devices.get(account.id)?.get(nativeId);
    if (!device) return { ok: false, failure: { kind: "not-found", status: 404, message: `no ${nativeId}` } };
    return { ok: true, value: { ...device }, exchange: EXCHANGE };
  }

  async list(
    account: AdapterAccount,
    offset: number,
    limit: number,
  ): Promise<Outcome<{ items: DeviceView[]; total: number }>> {
    const all = [...(this.devices.get(account.id)?.values() ?? [])];
    return {
      ok: true,
      value: { items: all.slice(offset, offset + limit), total: all.length },
      exchange: EXCHANGE,
    };
  }

  async changeStatus(
    account: AdapterAccount,
    device: DeviceView,
    target: CmoStatus,
  ): Promise<Outcome<ChangeAccepted>> {
    this.calls.push(`change ${account.id} ${device.nativeId} ${target}`);
    return this.#accept(() => this.device(account.id, device.nativeId, target));
  }

  async transfer(
    account: AdapterAccount,
    device: DeviceView,
    target: AdapterAccount,
  ): Promise<Outcome<ChangeAccepted>> {
    this.calls.push(`transfer ${device.nativeId} ${account.id} ${target.id}`);
    return this.#accept(() => {
      this.devices.get(account.id)?.delete(device.nativeId);
      return this.device(target.id, device.nativeId, device.status);
    });
  }

  async poll(account: AdapterAccount, ticket: string): Promise<Outcome<PollResult>> {
    this.calls.push(`poll ${account.id} ${ticket}`);
    await this.pollHold;
    const state = this.tickets.get(ticket);
    if (!state) return { ok: false, failure: { kind: "not-found", status: 404, message: `no ${ticket}` } };
    return { ok: true, value: { state }, exchange: { ...EXCHANGE, body: JSON.stringify({ state }) } };
  }

  #accept(apply: () => DeviceView): Outcome<ChangeAccepted> {
    if (this.changes === "done")
      return { ok: true, value: { mode: "done", device: apply() }, exchange: EXCHANGE };
    const ticket = `ticket-${this.tickets.size + 1}`;
    this.tickets.set(ticket, "IN_PROGRESS");
    return { ok: true, value: { mode: "pending", ticket }, exchange: EXCHANGE };
  }
}

/** A gateway over table platforms: one tenant, `eos`, with the given accounts. */
export function tableGateway(
  platforms: Partial<Record<PlatformCode, TablePlatform>>,
  accounts: AccountConfig[],
): PlatformGateway {
  const tenants: TenantAccounts[] = [{ id: "eos", accounts }];
  return {
    tenants,
    platform: (code) => platforms[code as PlatformCode],
    accountsOf: (tenant, code) =>
      tenants.find((t) => t.id === tenant)?.accounts.filter((a) => a.platform === code) ?? [],
  };
}
