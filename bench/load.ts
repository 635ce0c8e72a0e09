import autocannon from "autocannon";

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  durationS: number;
}

export type LoadOptions = Omit<autocannon.Options, "url"> & { url: string };

/** Runs autocannon and keeps the figures the report needs (latencies in ms). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ connections: 50, duration: 8, ...options });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    durationS: result.duration,
  };
}
