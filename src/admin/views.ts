import type { Device, PlatformRuntime } from "../../simulators/shared/runtime.js";
import type { MonitorRecord } from "../cmo/monitor-model.js";
import type { PlatformSlot } from "../server/world.js";

/** A platform as the admin API and the dashboard show it: identity, live profile, limits, outages, load. */
export async function platformView(slot: PlatformSlot) {
  const { runtime } = slot;
  const now = runtime.now();
  const definition = runtime.definition;
  return {
    code: definition.code,
    family: definition.family,
    nativeName: definition.nativeName,
    connectivity: definition.connectivity,
    cmoMode: definition.cmoMode,
    transport: slot.transport,
    basePath: `/platforms/${definition.code.toLowerCase()}`,
    profile: runtime.profile,
    override: runtime.profileOverride ?? null,
    outage: runtime.outages.activeAt(now) ?? null,
    outages: runtime.outages.list(),
    operationsInFlight: runtime.operationsInFlight,
    pacing: { queued: slot.pacer.queued, ...slot.pacer.counts },
    accounts: await Promise.all(
      [...runtime.accounts.values()].map(async (account) => ({
        id: account.id,
        name: account.name,
        tenant: account.tenant,
        size: account.inventory.size,
        devices: await runtime.countDevices(account.id),
        rateLimits: (await runtime.limiter.inspect(account.id)).map((s) => ({
          rule: s.rule.name,
          limit: s.rule.limit,
          windowMs: s.rule.windowMs,
          remaining: s.remaining,
          resetMs: s.resetMs,
        })),
        inFlight: await runtime.gate.inFlight(account.id),
        pacing: slot.pacer.inspect(account.id),
      })),
    ),
  };
}

/** A device as the admin API shows it: native and CMO status, identifiers, where it is. */
export function deviceView(runtime: PlatformRuntime, device: Device) {
  const r = device.record;
  return {
    productId: `${runtime.code}-${r.nativeId}`,
    nativeId: r.nativeId,
    accountId: device.accountId,
    nativeStatus: device.nativeStatus,
    status: device.cmoStatus,
    iccid: r.iccid,
    imsi: r.imsi,
    msisdn: r.msisdn,
    imei: r.imei,
    pendingOperation: device.pendingOperation ?? null,
    updatedAt: new Date(device.updatedAt).toISOString(),
  };
}

/** A CMO monitor as the admin API and the dashboard show it: what it is for and each entry's state. */
export function monitorView(m: MonitorRecord) {
  return {
    id: m.id,
    tenant: m.tenant,
    kind: m.kind,
    createdAt: new Date(m.createdAt).toISOString(),
    finishedAt: m.finishedAt === undefined ? null : new Date(m.finishedAt).toISOString(),
    entries: m.entries.map((e) => ({ platform: e.platform, productId: e.productId, state: e.state })),
  };
}
