import { Verifier, type VerifierOptions } from "@pact-foundation/pact";
import { cmoStates } from "./cmo-states.js";
import { readPact } from "./pact-file.js";
import { platformStates } from "./platform-states.js";
import { ProviderStateRunner, Session } from "./provider-states.js";
import { SimClient } from "./sim-client.js";
import { tokenExchanges, tokenSwapper } from "./token-replay.js";

/**
 * One Pact verification of one provider, run where Pact's native verifier may print what it likes
 * (a child process, see verify.ts): provider states drive the simulator, a request filter signs
 * the requests in, and Pact's own verdict comes back as data.
 */

export interface BrokerOptions {
  pactBrokerUrl?: string;
  pactBrokerToken?: string;
  pactBrokerUsername?: string;
  pactBrokerPassword?: string;
  consumerVersionSelectors?: VerifierOptions["consumerVersionSelectors"];
  consumerVersionTags?: string[];
  publishVerificationResult?: boolean;
  providerVersion?: string;
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  enablePending?: boolean;
  includeWipPactsSince?: string;
}

export interface VerifyJob {
  provider: string;
  /** The simulator's root (admin API, CMO front); without it no provider state is set up. */
  simUrl?: string | undefined;
  /** Where the interactions' requests go: the simulator's root, or `/platforms/<code>` for a native fake. */
  providerBaseUrl: string;
  /** Set for a native fake's pacts. */
  platform?: string | undefined;
  pactFiles: string[];
  broker?: BrokerOptions | undefined;
  /** The admin token of a locked simulator, for setting up provider states. */
  adminToken?: string | undefined;
}

export interface VerifierMismatch {
  path?: string;
  expected?: unknown;
  actual?: unknown;
  mismatch?: string;
  type?: string;
}

export interface JobResult {
  job: VerifyJob;
  /** Pact's verdict per interaction; empty when the verifier could not run. */
  interactions: Array<{ description: string; result: string }>;
  /** Pact's failures: the interaction (as Pact names it) and its mismatches or error. */
  errors: Array<{ interaction: string; mismatches: VerifierMismatch[]; message?: string }>;
  /** Provider states that could not be set up, by state name. */
  stateErrors: Array<{ state: string; message: string }>;
  /** Set when the verifier itself failed to run. */
  failure?: string;
  passed: boolean;
}

interface VerifierJson {
  result?: boolean;
  interactionResults?: Array<{ description: string; result: string }>;
  errors?: Array<{
    interaction: string;
    mismatch?: { type?: string; mismatches?: VerifierMismatch[]; message?: string };
  }>;
}

export async function runJob(job: VerifyJob, setupPath = "/_pactSetup"): Promise<JobResult> {
  const session = new Session();
  const sim = job.simUrl ? SimClient.at(job.simUrl, undefined, job.adminToken) : undefined;
  const runner =
    sim &&
    new ProviderStateRunner(
      sim,
      job.platform ? platformStates(job.platform, session) : cmoStates(session),
      session,
    );
  const swapper = tokenSwapper(tokenExchanges(job.pactFiles.map((f) => readPact(f))), job.providerBaseUrl);

  const stateHandlers = new Proxy({} as NonNullable<VerifierOptions["stateHandlers"]>, {
    get: (_target, name) =>
      typeof name === "string" && name !== "toJSON" && name !== "then"
        ? async (params?: Record<string, unknown>) => (await runner?.setup(name, params)) ?? undefined
        : undefined,
  });

  // The verifier's proxy is Express: the filter sees each request before it reaches the provider.
  const requestFilter = (
    req: { path: string; headers: Record<string, string | string[] | undefined>; body?: unknown },
    _res: unknown,
    next: (error?: unknown) => void,
  ) => {
    if (req.path.startsWith(setupPath)) return next();
    const headers = req.headers;
    restoreFormBody(req);
    const done = (error?: unknown) => next(error);
    if (job.platform) {
      swapper.swap(headers).then(() => done(), done);
    } else if (
      sim &&
      !session.keepToken &&
      typeof headers.authorization === "string" &&
      /^bearer /i.test(headers.authorization)
    ) {
      session.token(sim).then((token) => {
        headers.authorization = `Bearer ${token}`;
        done();
      }, done);
    } else done();
  };

  const options: VerifierOptions = {
    provider: job.provider,
    providerBaseUrl: job.providerBaseUrl,
    logLevel: "error",
    stateHandlers,
    requestFilter: requestFilter as VerifierOptions["requestFilter"],
    beforeEach: async () => {
      swapper.forget();
      await runner?.begin();
    },
    ...(job.pactFiles.length > 0 ? { pactUrls: job.pactFiles } : {}),
    ...job.broker,
  };

  let json: VerifierJson;
  try {
    json = parseVerifierJson(await new Verifier(options).verifyProvider());
  } catch (error) {
    const message = (error as Error).message;
    try {
      json = parseVerifierJson(message);
    } catch {
      return {
        job,
        interactions: [],
        errors: [],
        stateErrors: runner?.errors ?? [],
        failure: message,
        passed: false,
      };
    }
  }
  const errors = (json.errors ?? []).map((e) => ({
    interaction: e.interaction,
    mismatches: e.mismatch?.mismatches ?? [],
    ...(e.mismatch?.message ? { message: e.mismatch.message } : {}),
  }));
  return {
    job,
    interactions: json.interactionResults ?? [],
    errors,
    stateErrors: runner?.errors ?? [],
    passed: json.result === true && (runner?.errors.length ?? 0) === 0,
  };
}

/**
 * pact-js's proxy parses form bodies into an object and would forward that object as JSON; the
 * provider must receive the form the pact recorded.
 */
function restoreFormBody(req: {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}): void {
  const type = String(req.headers["content-type"] ?? "");
  if (!/application\/x-www-form-urlencoded/i.test(type) || typeof req.body !== "object" || req.body === null)
    return;
  if (Buffer.isBuffer(req.body)) return;
  const form = Buffer.from(new URLSearchParams(req.body as Record<string, string>).toString());
  req.body = form;
  req.headers["content-length"] = String(form.length);
}

function parseVerifierJson(value: unknown): VerifierJson {
  if (typeof value !== "string") return (value ?? {}) as VerifierJson;
  const parsed = JSON.parse(value) as VerifierJson;
  if (typeof parsed !== "object" || parsed === null || !("result" in parsed))
    throw new Error("not a verifier result");
  return parsed;
}
