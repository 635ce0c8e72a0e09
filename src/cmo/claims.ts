import type { CmoStatus } from "../config/schema.js";
import { ProblemError } from "../http/problem.js";
import type { MonitorBook } from "./monitors.js";

/** Where a request came from: the tenant and the absolute base its hrefs start with. */
export interface Scope {
  tenant: string;
  base: string;
}

/**
 * What a change under a claim produced, and what became of the claim: handed over to a monitor
 * still in flight, or already released by the change itself (a sync change renders after releasing).
 */
export interface Claimed<T> {
  value: T;
  handedOver: boolean;
  released?: boolean;
}

/** 409 for a product that has a change in flight: which monitor to wait for, and where it is. */
async function busy(monitors: MonitorBook, scope: Scope, compositeId: string): Promise<ProblemError> {
  const monitor = (await monitors.claimOf(scope.tenant, compositeId))?.monitorId;
  if (!monitor)
    return new ProblemError(
      409,
      `${compositeId} has a change being sent to its platform; try again in a moment`,
    );
  const href = `${scope.base}/monitor/${monitor}`;
  return new ProblemError(
    409,
    `${compositeId} has a change in progress: wait for monitor ${monitor} (${href}) to finish`,
    undefined,
    [],
    { link: `<${href}>; rel="related"; title="monitor"` },
  );
}

/**
 * Runs one change on a product it claims first (409 while another change holds it). The claim is
 * released afterwards unless the change handed it to a monitor still in flight.
 */
export async function withClaim<T>(
  monitors: MonitorBook,
  scope: Scope,
  compositeId: string,
  target: CmoStatus | undefined,
  change: () => Promise<Claimed<T>>,
): Promise<T> {
  if (!(await monitors.claim(scope.tenant, compositeId, { monitorId: "", target })))
    throw await busy(monitors, scope, compositeId);
  let settled = false;
  try {
    const done = await change();
    settled = done.handedOver || done.released === true;
    return done.value;
  } finally {
    if (!settled) await monitors.release(scope.tenant, compositeId);
  }
}
