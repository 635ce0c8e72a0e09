import type { NativeExchange } from "../../src/transport/types.js";

/** Reading a native answer: its JSON body and its headers, as the adapters need them. */

export function parseBody(exchange: NativeExchange): unknown {
  try {
    return exchange.body === "" ? undefined : JSON.parse(exchange.body);
  } catch {
    return undefined;
  }
}

/** Looks a header up in an exchange, case-insensitively. */
export function header(exchange: NativeExchange, name: string): string | undefined {
  const lower = name.toLowerCase();
  return exchange.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** A Retry-After in whole seconds, in ms; undefined when absent or in another form. */
export function retryAfterMs(exchange: NativeExchange): number | undefined {
  const value = header(exchange, "retry-after");
  return value && /^\d+$/.test(value) ? Number(value) * 1000 : undefined;
}
