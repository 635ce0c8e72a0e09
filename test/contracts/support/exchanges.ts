import type { CmoExchange } from "../../../src/contracts/exchange.js";
import { SimClient } from "../../../src/contracts/sim-client.js";

/** A CMO call made over HTTP and kept as the exchange a scenario run would hand its checkers. */
export async function exchange(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; type?: string } = {},
): Promise<CmoExchange> {
  const requestHeaders: Record<string, string> = { accept: "application/json" };
  if (options.token) requestHeaders.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined)
    requestHeaders["content-type"] = options.type ?? "application/json-patch+json";
  const response = await fetch(baseUrl + path, {
    method,
    headers: requestHeaders,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  return {
    method,
    path,
    requestHeaders,
    requestBody: options.body,
    status: response.status,
    responseHeaders,
    responseBody: text === "" ? undefined : JSON.parse(text),
  };
}

/** A TMSP (asynchronous) and a JASPER (synchronous) SIM in ACTIVE, and a token, on a running simulator. */
export async function arrange(baseUrl: string) {
  const sim = SimClient.at(baseUrl);
  const token = await sim.token("cmo-sim-client");
  const [tmsp] = (await sim.devices("TMSP", { status: "ACTIVE" })).filter((d) => d.pendingOperation === null);
  const [jasper] = (await sim.devices("JASPER", { status: "ACTIVE" })).filter(
    (d) => d.pendingOperation === null,
  );
  return { sim, token, tmsp: tmsp!, jasper: jasper! };
}
