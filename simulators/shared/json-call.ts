import type { Operation } from "../../src/config/schema.js";
import type { NativeExchange } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterFailure,
  type CallSpec,
  failed,
  isFailure,
  type NativeClient,
  type Outcome,
  ok,
  parseBody,
} from "./adapter.js";

/**
 * Sends `spec` for a JSON answer with one of the `expected` statuses. Any other status is the
 * platform's failure, classified by the family's `failure`; an expected answer without a readable
 * body is a protocol failure.
 */
export async function callForJson<T>(
  client: NativeClient,
  account: AdapterAccount,
  operation: Operation,
  spec: CallSpec,
  expected: readonly number[],
  failure: (exchange: NativeExchange) => AdapterFailure,
): Promise<Outcome<T>> {
  const result = await client.call(account, operation, spec);
  if (isFailure(result)) return failed(result);
  if (!expected.includes(result.status)) return failed(failure(result));
  const body = parseBody(result) as T | undefined;
  return body === undefined
    ? failed({
        kind: "protocol",
        status: result.status,
        message: `${client.context.code} answered ${result.status} without a readable body`,
        exchange: result,
      })
    : ok(body, result);
}
