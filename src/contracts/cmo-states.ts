import { adminRoutes } from "../admin/routes.js";
import { withLuhn } from "../inventory/identifiers.js";
import { deviceSuffix } from "../scenario/inventory.js";
import type { Session, StateDefinition, StateValues } from "./provider-states.js";
import { deviceIn, deviceValues, param, SETTLE_MS } from "./provider-states.js";
import type { SimClient } from "./sim-client.js";

/** A CMO status change, started on the simulator's own clock; returns its monitor (async platforms). */
async function startChange(
  sim: SimClient,
  session: Session,
  code: string,
  from: string,
  target: string,
  tenant = "eos",
) {
  const device = await deviceIn(sim, code, from, tenant);
  const answer = await sim.cmo("PATCH", tenant, `/product/${device.productId}-${deviceSuffix(code)}`, {
    body: [{ op: "replace", path: "/status", value: target }],
    token: await session.token(sim),
  });
  if (answer.status !== 202) {
    throw new Error(
      `${code} status change ${from} → ${target} answered ${answer.status}, not 202 with a monitor`,
    );
  }
  return { device, monitorId: (answer.body as { id: string }).id };
}

/** The CMO front's provider states (any provider name but `<code>-platform`); see docs/contracts.md. */
export function cmoStates(session: Session): StateDefinition[] {
  return [
    {
      template: "a {platform} SIM in status {status}",
      summary: "a device of tenant eos (or params.tenant) in that CMO status, nothing in flight",
      async setup(params, sim) {
        const code = param(params, "platform").toUpperCase();
        return deviceValues(
          code,
          await deviceIn(sim, code, param(params, "status"), param(params, "tenant", "eos")),
        );
      },
    },
    {
      template: "no {platform} SIM has the id asked for",
      summary:
        "unknownProductId/unknownNativeId/unknownIccid: well-formed for the platform, held by no account",
      async setup(params, sim) {
        const code = param(params, "platform").toUpperCase();
        const model = await deviceIn(sim, code, "ACTIVE");
        const token = await session.token(sim);
        for (let n = 1; n < 50; n++) {
          const nativeId = /^\d+$/.test(model.nativeId)
            ? withLuhn(`${model.nativeId.slice(0, -4)}${String(n).padStart(3, "0")}`)
            : `${model.nativeId.slice(0, -3)}Z${String(n).padStart(2, "0")}`;
          const productId = `${code}-${nativeId}`;
          if ((await sim.cmo("GET", "eos", `/product/${productId}`, { token })).status === 404) {
            return { unknownProductId: productId, unknownNativeId: nativeId, unknownIccid: nativeId };
          }
        }
        throw new Error(`found no unused ${code} id`);
      },
    },
    {
      template: "SIMs on {platforms} in status {status}",
      summary: "one device per listed platform (comma-separated): productId1, productId2… in that order",
      async setup(params, sim) {
        const codes = (
          Array.isArray(params.platforms) ? params.platforms : param(params, "platforms").split(",")
        )
          .map((c) => String(c).trim().toUpperCase())
          .filter(Boolean);
        const status = param(params, "status");
        const values: StateValues = {};
        for (const [i, code] of codes.entries()) {
          const device = await deviceIn(sim, code, status, param(params, "tenant", "eos"));
          values[`productId${i + 1}`] = device.productId;
          values[`subProductId${i + 1}`] = `${device.productId}-${deviceSuffix(code)}`;
        }
        return values;
      },
    },
    {
      template: "a status change to {target} is in flight for a {platform} SIM in status {status}",
      summary: "an asynchronous platform is working on a CMO status change: its monitor is IN_PROGRESS",
      async setup(params, sim) {
        const code = param(params, "platform").toUpperCase();
        const { device, monitorId } = await startChange(
          sim,
          session,
          code,
          param(params, "status"),
          param(params, "target"),
        );
        return { ...deviceValues(code, device), monitorId };
      },
    },
    {
      template: "a monitor in state {state}",
      summary:
        "a status change ACTIVE → SUSPENDED on params.platform (TMSP) whose monitor is IN_PROGRESS, DONE or FAILED",
      async setup(params, sim) {
        const code = param(params, "platform", "TMSP").toUpperCase();
        const state = param(params, "state").toUpperCase();
        if (!["IN_PROGRESS", "DONE", "FAILED"].includes(state)) throw new Error(`no monitor state ${state}`);
        if (state === "FAILED") {
          const platform = await sim.admin.call(adminRoutes.getPlatform, { params: { code } });
          const stages = platform.profile.asyncTimeline;
          if (!stages) throw new Error(`${code} has no asynchronous operations to fail`);
          await sim.admin.call(adminRoutes.patchProfile, {
            params: { code },
            body: {
              asyncTimeline: stages.map((s, i) => ({ ...s, failureRate: i === stages.length - 1 ? 1 : 0 })),
            },
          });
        }
        const { device, monitorId } = await startChange(sim, session, code, "ACTIVE", "SUSPENDED");
        if (state !== "IN_PROGRESS" && !(await sim.advance(SETTLE_MS))) {
          throw new Error("a finished monitor needs a manual clock (cmo-sim serve --clock manual)");
        }
        return { ...deviceValues(code, device), monitorId };
      },
    },
    {
      template: "platform {platform} is at its rate limit",
      summary: "the platform allows one call an hour and it has been spent: the next CMO call on it is a 429",
      async setup(params, sim) {
        const code = param(params, "platform").toUpperCase();
        const device = await deviceIn(sim, code, param(params, "status", "ACTIVE"));
        await sim.admin.call(adminRoutes.patchProfile, {
          params: { code },
          body: { rateLimits: [{ name: "provider-state", limit: 1, windowMs: SETTLE_MS }] },
        });
        const token = await session.token(sim);
        for (let attempt = 0; attempt < 3; attempt++) {
          const answer = await sim.cmo("GET", "eos", `/product/${device.productId}`, { token });
          if (answer.status === 429) return deviceValues(code, device);
        }
        throw new Error(`${code} did not reach its rate limit`);
      },
    },
    {
      template: "the client is {clientId}",
      summary: "CMO requests are signed in as this client (params.clientSecret for a configured one)",
      async setup(params) {
        session.clientId = param(params, "clientId");
        session.clientSecret = typeof params.clientSecret === "string" ? params.clientSecret : undefined;
        return undefined;
      },
    },
    {
      template: "the bearer token is not valid",
      summary: "the request's Authorization header is sent as the pact has it, not replaced by a real token",
      async setup() {
        session.keepToken = true;
        return undefined;
      },
    },
  ];
}
