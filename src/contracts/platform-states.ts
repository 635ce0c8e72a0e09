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
import type { SimClient } from "./sim-client.js";

/** States of a native fake (provider `<code>-platform`; the platform is the provider's); see docs/contracts.md. */
export function platformStates(code: string, session: Session): StateDefinition[] {
  const inFlight = async (params: Params, sim: SimClient, settle: boolean): Promise<StateValues> => {
    const from = param(params, "status");
    const target = param(params, "target");
    const device = await deviceIn(sim, code, from);
    const path = `/product/${device.productId}-${deviceSuffix(code)}`;
    // A platform the CMO presents as synchronous answers only once the operation settles on the clock:
    // its request is left waiting and abandoned once the operation is visible.
    const abandon = new AbortController();
    const change = sim
      .cmo("PATCH", "eos", path, {
        body: [{ op: "replace", path: "/status", value: target }],
        token: await session.token(sim),
        signal: abandon.signal,
      })
      .catch(() => undefined);
    // A platform that changes at once has no operation: the change is simply done.
    const pending = async () =>
      (await sim.device(code, device.nativeId, device.accountId))?.pendingOperation ?? null;
    let operationId: string | null = null;
    for (let attempt = 0; attempt < 50 && operationId === null; attempt++) {
      const settled = await Promise.race([change, new Promise((r) => setTimeout(() => r("waiting"), 20))]);
      operationId = await pending();
      if (settled !== "waiting") break;
    }
    if (settle) {
      await sim.advance(SETTLE_MS);
      await Promise.race([change, new Promise((r) => setTimeout(r, 500))]);
    }
    abandon.abort();
    return { ...deviceValues(code, device), ...(operationId === null ? {} : { operationId }) };
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
        await sim.admin("POST", "/inventory", { size: Number(param(params, "count")) });
        return undefined;
      },
    },
    {
      template: "a status change to {target} was accepted for a device in status {status}",
      summary: "the platform has a native operation in flight for the device: operationId names it",
      setup: (params, sim) => inFlight(params, sim, false),
    },
    {
      template: "a status change to {target} has completed for a device in status {status}",
      summary: "the device's native operation has finished: operationId names it",
      setup: (params, sim) => inFlight(params, sim, true),
    },
  ];
}
