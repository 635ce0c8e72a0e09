import http from "node:http";

export interface ConcurrentResult {
  sent: number;
  completed: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

function get(
  agent: http.Agent,
  url: URL,
  headers: Record<string, string>,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on("error", reject);
  });
}

/**
 * `count` requests in flight at once over `count` kept-alive connections (opened and warmed first,
 * so connection set-up is not what is measured): what a server holding many slow requests costs.
 */
export async function concurrentBurst(
  base: string,
  paths: string[],
  headers: Record<string, string>,
): Promise<ConcurrentResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: paths.length, maxFreeSockets: paths.length });
  const warm = await Promise.allSettled(paths.map(() => get(agent, new URL("/health", base), {})));
  if (warm.some((w) => w.status === "rejected")) throw new Error("could not open every connection");
  const results = await Promise.allSettled(paths.map((p) => get(agent, new URL(p, base), headers)));
  agent.destroy();
  const ok = results.filter(
    (r): r is PromiseFulfilledResult<{ status: number; ms: number }> =>
      r.status === "fulfilled" && r.value.status === 200,
  );
  const ms = ok.map((r) => r.value.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? Number.NaN;
  return {
    sent: paths.length,
    completed: ok.length,
    failed: paths.length - ok.length,
    p50: at(0.5),
    p99: at(0.99),
    max: ms.at(-1) ?? Number.NaN,
  };
}
