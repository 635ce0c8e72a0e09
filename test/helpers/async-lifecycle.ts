import type { AdapterAccount, CmoAdapter, DeviceView } from "../../simulators/shared/adapter.js";
import type { ParityHarness } from "./parity.js";
import { QUIET } from "./server.js";

type Change = Awaited<ReturnType<CmoAdapter["changeStatus"]>>;

const ticketOf = (change: Change) =>
  change.ok && change.value.mode === "pending" ? change.value.ticket : "";

/**
 * The adapter-parity script of a platform whose changes are operations to poll: lists the first 100
 * devices, suspends the first ACTIVE one and polls it at once and an hour later, then makes
 * `failingStage` fail for sure and polls the termination of the second ACTIVE one to its end.
 * `inFlight` runs while the suspension is still pending (a second change of the same device…).
 * Returns the outcomes to compare across transports, and the account, list and suspended device for
 * the test's extras.
 */
export async function asyncLifecycle<T = undefined>(
  h: ParityHarness,
  failingStage: string,
  inFlight?: (account: AdapterAccount, device: DeviceView) => Promise<T>,
) {
  const account = h.account();
  const all = await h.adapter.list(account, 0, 100);
  if (!all.ok) throw new Error(all.failure.message);
  const [first, second] = all.value.items.filter((d) => d.status === "ACTIVE");
  if (!first || !second) throw new Error("the account needs two ACTIVE devices");
  const changed = await h.adapter.changeStatus(account, first, "SUSPENDED");
  const whilePending = await inFlight?.(account, first);
  const early = await h.adapter.poll(account, ticketOf(changed));
  await h.advance(60 * 60_000);
  const settled = await h.adapter.poll(account, ticketOf(changed));
  await h.runtime.setProfileOverride({
    ...QUIET,
    asyncTimeline: [{ state: failingStage, duration: 30_000, failureRate: 1 }],
  });
  const doomed = await h.adapter.changeStatus(account, second, "TERMINATED");
  await h.advance(60_000);
  return {
    account,
    devices: all.value.items,
    suspended: first,
    outcomes: {
      total: all.value.total,
      changed,
      whilePending,
      early,
      settled,
      read: await h.adapter.get(account, first.nativeId),
      failedPoll: await h.adapter.poll(account, ticketOf(doomed)),
    },
  };
}
