import { adminRoutes } from "../admin/routes.js";
import { deviceSuffix } from "../scenario/inventory.js";
import {
  deviceIn,
  deviceValues,
  type Params,
  param,
  SETTLE_MS,
  type Session,
  type StateDefinition,
  type StateValues,
} from "./provider-states.js";
import type { SimClient, SimDevice } from "./sim-client.js";

/** States of a native fake (provider `<code>-platform`; the platform is the provider's); see docs/contracts.md. */
export function platformStates(code: string, session: Session): StateDefinition[] {
  /**
   * Sends a change through the CMO front and waits until the platform shows the device's native
   * operation (then, with `settle`, until it has finished). `change` names the product path and
   * the patch for the device.
   */
  const inFlight = async (
    params: Params,
    sim: SimClient,
    settle: boolean,
    change: (device: SimDevice) => Promise<{ path: string; patch: unknown[] }>,
  ): Promise<StateValues> => {
    const device = await deviceIn(sim, code, param(params, "status"));
    const { path, patch } = await change(device);
    // A platform the CMO presents as synchronous answers only once the operation settles on the clock:
    // its request is left waiting and abandoned once the operation is visible.
    const abandon = new AbortController();
    const sent = sim
      .cmo("PATCH", "eos", path, { body: patch, token: await session.token(sim), signal: abandon.signal })
      .catch(() => undefined);
    // A platform that changes at once has no operation: the change is simply done.
    const pending = async () =>
      (await sim.device(code, device.nativeId, device.accountId))?.pendingOperation ?? null;
    let operationId: string | null = null;
    for (let attempt = 0; attempt < 50 && operationId === null; attempt++) {
      const settled = await Promise.race([sent, new Promise((r) => setTimeout(() => r("waiting"), 20))]);
      operationId = await pending();
      if (settled !== "waiting") break;
    }
    if (settle) {
      await sim.advance(SETTLE_MS);
      await Promise.race([sent, new Promise((r) => setTimeout(r, 500))]);
    }
    abandon.abort();
    return { ...deviceValues(code, device), ...(operationId === null ? {} : { operationId }) };
  };
  const statusChange = (params: Params) => async (device: SimDevice) => ({
    path: `/product/${device.productId}-${deviceSuffix(code)}`,
    patch: [{ op: "replace", path: "/status", value: param(params, "target") }],
  });
  const transfer = (sim: SimClient) => async (device: SimDevice) => {
    const target = (await sim.accounts("eos", code)).find((id) => id !== device.accountId);
    if (!target) throw new Error(`tenant eos has no second ${code} account to transfer to`);
    return {
      path: `/product/${device.productId}`,
      patch: [{ op: "replace", path: "/relatedParty/0/id", value: target }],
    };
  };
  return [
    {
      template: "a device in status {status}",
      summary: "a device of the platform's first account in that CMO status, nothing in flight",
      async setup(params, sim) {
        return deviceValues(code, await deviceIn(sim, code, param(params, "status")));
      },
    },
    {
      template: "every account holds {count} devices",
      summary: "the inventory is rebuilt with this many devices per account (same seed); restored afterwards",
      async setup(params, sim) {
        await sim.admin.call(adminRoutes.reseed, { body: { size: Number(param(params, "count")) } });
        return undefined;
      },
    },
    {
      template: "a status change to {target} was accepted for a device in status {status}",
      summary: "the platform has a native operation in flight for the device: operationId names it",
      setup: (params, sim) => inFlight(params, sim, false, statusChange(params)),
    },
    {
      template: "a status change to {target} has completed for a device in status {status}",
      summary: "the device's native operation has finished: operationId names it",
      setup: (params, sim) => inFlight(params, sim, true, statusChange(params)),
    },
    {
      template: "a transfer to another account has completed for a device in status {status}",
      summary:
        "the device of the platform's first account has moved to the tenant's second account on the platform: operationId names the transfer",
      setup: (params, sim) => inFlight(params, sim, true, transfer(sim)),
    },
  ];
}
