import { expect } from "vitest";
import type { ParityHarness } from "../helpers/parity.js";

/**
 * The adapter-parity script the satellite terminal platforms (GALAXY1, INTELSAT) share: lists a
 * window and the whole account, reads an INACTIVE terminal, activates it, and polls the activation
 * at once and when it is due. Returns the outcomes to compare across transports, and what the
 * test's own extras need.
 */
export async function activationScript(h: ParityHarness, window: [number, number], size: number) {
  const account = h.account();
  const page = await h.adapter.list(account, ...window);
  const all = await h.adapter.list(account, 0, size);
  if (!page.ok || !all.ok) throw new Error("listing failed");
  const inactive = all.value.items.find((d) => d.status === "INACTIVE")!;
  const read = await h.adapter.get(account, inactive.nativeId);
  const changed = await h.adapter.changeStatus(account, inactive, "ACTIVE");
  if (!changed.ok || changed.value.mode !== "pending") throw new Error("expected a pending change");
  const ticket = changed.value.ticket;
  const running = await h.adapter.poll(account, ticket);
  const pending = await h.adapter.get(account, inactive.nativeId);
  const activation = (await h.runtime.getOperation(
    (await h.runtime.findDevice(account.id, inactive.nativeId))!.pendingOperation!,
  ))!;
  await h.advance(activation.plan.endsAt - h.runtime.now());
  const done = await h.adapter.poll(account, ticket);
  const after = await h.adapter.get(account, inactive.nativeId);
  return {
    account,
    devices: all.value.items,
    inactive,
    after,
    outcomes: {
      total: page.value.total,
      ids: page.value.items.map((d) => d.nativeId),
      allIds: all.value.items.map((d) => d.nativeId),
      read,
      ticket,
      running: running.ok && running.value,
      pending: pending.ok && [pending.value.status, pending.value.nativeStatus],
      done: done.ok && done.value,
      after: after.ok && [after.value.status, after.value.nativeStatus],
    },
  };
}

type Outcomes = Awaited<ReturnType<typeof activationScript>>["outcomes"];

/** What every terminal platform's activation shows: running, then done, the terminal ACTIVE in both words. */
export function expectActivation(outcomes: Outcomes, pendingNative: string): void {
  expect(outcomes.running).toEqual({ state: "IN_PROGRESS" });
  expect(outcomes.pending).toEqual(["PENDING_ACTIVE", pendingNative]);
  expect(outcomes.done).toEqual({ state: "DONE" });
  expect(outcomes.after).toEqual(["ACTIVE", "ACTIVE"]);
}

/** The names of the characteristics a read shows, in order. */
export const characteristicNames = (read: unknown) =>
  (read as { value: { characteristics: Array<{ name: string }> } }).value.characteristics.map((c) => c.name);
