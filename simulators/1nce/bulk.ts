import type { Context } from "hono";
import { badRequest, notFound, readJson } from "../shared/http.js";
import { refuseNativeChange } from "../shared/lifecycle.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeEnv, NativeError } from "../shared/types.js";
import { editedFields, readSimEdit, type SimEdit } from "./edit.js";
import { isError } from "./errors.js";
import { EVENTS, type EventData } from "./events.js";
import { findSim } from "./request.js";

/** Ours: 1NCE publishes no maximum for one bulk request. */
const BULK_MAX = 1000;
/**
 * Ours: the queue picks a request up after 1–5 s, then applies its items in order at 10 a second
 * (1NCE's per-customer rate). Both are processing durations, so `--time-scale` shrinks them.
 */
const QUEUE_PICKUP_MS = { min: 1_000, max: 5_000 };
const ITEM_SPACING_MS = 100;

/** One item of a bulk request: `status` is required there. */
interface BulkItem {
  edit: SimEdit & { status: string };
  device: Device;
}

/** Reads every item first: one bad item refuses the whole request and queues nothing. */
async function readItems(
  body: unknown,
  runtime: PlatformRuntime,
  account: NativeAccount,
): Promise<BulkItem[] | NativeError> {
  if (!Array.isArray(body)) return badRequest("The body must be a JSON array of SIM updates");
  if (body.length === 0) return badRequest("The body must hold at least one SIM update");
  if (body.length > BULK_MAX) return badRequest(`At most ${BULK_MAX} SIM updates per request`);
  const items: BulkItem[] = [];
  for (const [i, item] of body.entries()) {
    const where = `item ${i}: `;
    const edit = readSimEdit(item, true, where);
    if (isError(edit)) return edit;
    if (edit.iccid === undefined) return badRequest(`${where}iccid is required`);
    const device = await findSim(runtime, account.id, edit.iccid);
    if (!device) return notFound(`${where}SIM ${edit.iccid} not found`);
    // Present: readSimEdit refuses an item without it.
    const status = edit.status as string;
    const refusal = refuseNativeChange(runtime, device, status);
    if (refusal) return { ...refusal, message: where + refusal.message };
    items.push({ edit: { ...edit, status }, device });
  }
  return items;
}

/** When the account's queue is free: after the last update it already holds, or now. */
async function queueFreeAt(runtime: PlatformRuntime, accountId: string): Promise<number> {
  const queued = (await runtime.scheduledEdits()).filter((e) => e.accountId === accountId);
  return Math.max(runtime.now(), queued.at(-1)?.at ?? 0);
}

/**
 * `POST /v1/sims`: 201 once queued, as documented ("only means that the SIM changes have been placed
 * into the queue"). Each item becomes a scheduled edit, stored as data: a snapshot keeps the queue.
 */
export async function queueBulkUpdate(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
): Promise<Response | NativeError> {
  const account = c.get("account");
  const body = await readJson(c);
  if (!body.ok) return body.error;
  const items = await readItems(body.value, runtime, account);
  if (isError(items)) return items;
  const scale = runtime.options.timeScale;
  const pickup = (await runtime.nextId("bulk")).stream.uniform(QUEUE_PICKUP_MS.min, QUEUE_PICKUP_MS.max);
  const start = (await queueFreeAt(runtime, account.id)) + Math.round(pickup * scale);
  for (const [i, { edit, device }] of items.entries()) {
    const event: EventData = {
      change: "bulk",
      status: edit.status,
      ...(edit.label !== undefined ? { label: edit.label } : {}),
      ...(edit.imeiLock !== undefined ? { imei_lock: edit.imeiLock } : {}),
      user: account.username,
    };
    await runtime.scheduleEdit({
      accountId: account.id,
      nativeId: device.record.nativeId,
      at: start + Math.round(i * ITEM_SPACING_MS * scale),
      status: edit.status,
      fields: editedFields(edit),
      log: { kind: EVENTS, data: event },
    });
  }
  return c.body(null, 201);
}
