import type { CmoStatus } from "../../src/config/schema.js";
import type { NativeExchange } from "../../src/transport/types.js";
import { type AdapterContext, type DeviceView, failed, type Outcome, ok } from "./adapter.js";

/** One family's reading of its native records: where the status sits, and the record in the CMO's terms. */
export interface DeviceReader<R> {
  status(record: R): unknown;
  view(record: R, status: CmoStatus, nativeStatus: string): DeviceView;
}

/**
 * Native records in the CMO's terms. A status the platform's vocabulary does not know is a protocol
 * failure, said loudly: a default would pass a carrier's new state off as another one.
 */
export function viewDevices<R>(
  context: Pick<AdapterContext, "code" | "vocabulary">,
  exchange: NativeExchange,
  records: readonly R[],
  reader: DeviceReader<R>,
): Outcome<DeviceView[]> {
  const views: DeviceView[] = [];
  for (const record of records) {
    const native = reader.status(record);
    const status = typeof native === "string" ? context.vocabulary.toCmo[native] : undefined;
    if (status === undefined)
      return failed({
        kind: "protocol",
        status: exchange.status,
        message: `${context.code} reported a status it does not have: ${JSON.stringify(native)}`,
        exchange,
      });
    views.push(reader.view(record, status, native as string));
  }
  return ok(views, exchange);
}

/** One native record in the CMO's terms (see `viewDevices`). */
export function viewDevice<R>(
  context: Pick<AdapterContext, "code" | "vocabulary">,
  exchange: NativeExchange,
  record: R,
  reader: DeviceReader<R>,
): Outcome<DeviceView> {
  const views = viewDevices(context, exchange, [record], reader);
  return views.ok ? ok(views.value[0] as DeviceView, exchange) : views;
}
