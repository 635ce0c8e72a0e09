import type { Operation } from "../../src/config/schema.js";
import type { TimerHandle } from "../../src/engine/clock.js";
import type { Admission } from "../../src/engine/pacing.js";
import { type NativeExchange, NetworkError } from "../../src/transport/types.js";
import {
  type AdapterAccount,
  type AdapterContext,
  type AdapterFailure,
  failed,
  type Outcome,
  ok,
} from "./adapter.js";
import { parseBody, retryAfterMs } from "./exchange.js";
import { type BearerAuth, basicAuthorization, type CallSpec, type NativeDialect } from "./native-dialect.js";
import { classify } from "./native-errors.js";

/** One native call: the request, the operation it counts as, and the answers that mean success. */
export interface JsonCall extends CallSpec {
  operation: Operation;
  /** Statuses that mean the platform did what was asked; any other is its failure, classified by its table. */
  expect: readonly number[];
  /** The answer carries nothing to read (1NCE's bodiless 200): the value is undefined. */
  bodiless?: boolean;
}

function encodeQuery(query: CallSpec["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A 429 that still came back holds the queue this long; a platform that says nothing gets a second. */
const holdAfter = (exchange: NativeExchange): number => retryAfterMs(exchange) ?? 1000;

type Token = { token: string; expiresAt: number };

/**
 * HTTP to one platform on behalf of platform accounts: credentials, token caching and renewal, the
 * platform's pacing queue in front of every call (token requests included), the CMO's per-call
 * timeout, and every answer read one way (`json`) into an `Outcome`. Families describe requests and
 * their dialect; this class sends them.
 */
export class NativeClient {
  readonly #tokens = new Map<string, Token>();
  /** One token request per account at a time: a burst of first calls waits for the same token. */
  readonly #fetching = new Map<string, Promise<Outcome<Token>>>();

  constructor(
    readonly context: AdapterContext,
    private readonly dialect: NativeDialect,
  ) {}

  /**
   * Sends `call` as `account` and reads the answer: the JSON payload on an expected status, the
   * family's classified failure on any other, a protocol failure when an expected answer has no
   * readable payload.
   */
  async json<T>(account: AdapterAccount, call: JsonCall): Promise<Outcome<T>> {
    const { operation, expect, bodiless, ...spec } = call;
    const sent = await this.#call(account, operation, {
      ...spec,
      headers: { ...this.dialect.headers, ...spec.headers },
    });
    if (!sent.ok) return sent;
    const exchange = sent.value;
    if (!expect.includes(exchange.status)) return failed(classify(this.dialect.errors, exchange));
    if (bodiless) return ok(undefined as T, exchange);
    const body = parseBody(exchange);
    const { unwrap, errors } = this.dialect;
    const payload = unwrap ? unwrap(body, exchange, () => classify(errors, exchange)) : ok(body, exchange);
    if (!payload.ok) return payload;
    return payload.value === undefined || payload.value === null
      ? failed({
          kind: "protocol",
          status: exchange.status,
          message: `${errors.name} answered ${exchange.status} without a readable body`,
          exchange,
        })
      : ok(payload.value as T, exchange);
  }

  /** Sends without authentication or pacing (token endpoints, which `#token` paces). */
  async #send(spec: CallSpec, pacedMs = 0): Promise<Outcome<NativeExchange>> {
    const headers: Record<string, string> = { accept: "application/json", ...spec.headers };
    let body: string | undefined;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers["content-type"] ??= "application/json";
    } else if (spec.form) {
      body = new URLSearchParams(spec.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    const { transport, clock, code, profile } = this.context;
    const timeoutMs = profile().callTimeoutMs;
    let timer: TimerHandle | undefined;
    // The CMO stops waiting after callTimeoutMs, as a gateway does; the late answer is dropped.
    const gaveUp = new Promise<Outcome<NativeExchange>>((resolve) => {
      timer = clock.schedule(timeoutMs, () =>
        resolve(
          failed({
            kind: "gateway-timeout",
            status: 504,
            message: `${code}: no answer within ${timeoutMs} ms (callTimeoutMs)`,
          }),
        ),
      );
    });
    const answered = transport
      .send({ method: spec.method, path: spec.path + encodeQuery(spec.query), headers, body, pacedMs })
      .then(
        (exchange) => ok(exchange, exchange),
        (error: unknown): Outcome<NativeExchange> => {
          if (error instanceof NetworkError)
            return failed({ kind: "network", status: 0, message: `${code}: ${error.message}` });
          throw error;
        },
      );
    try {
      return await Promise.race([answered, gaveUp]);
    } finally {
      timer?.cancel();
    }
  }

  /**
   * Sends as `account` once the pacing queue lets `operation` go (the operation decides which of
   * the platform's rate-limit rules count it), renewing a bearer token once if the platform says
   * it is no longer valid.
   */
  async #call(
    account: AdapterAccount,
    operation: Operation,
    spec: CallSpec,
  ): Promise<Outcome<NativeExchange>> {
    const first = await this.#authorisedSend(account, operation, spec);
    if (this.dialect.auth.kind === "bearer" && first.ok && first.value.status === 401) {
      this.#tokens.delete(account.id);
      return this.#authorisedSend(account, operation, spec);
    }
    return first;
  }

  async #authorisedSend(
    account: AdapterAccount,
    operation: Operation,
    spec: CallSpec,
  ): Promise<Outcome<NativeExchange>> {
    const { auth } = this.dialect;
    if (auth.kind === "basic") {
      const authorization = basicAuthorization(account);
      return this.#paced(account, operation, { ...spec, headers: { ...spec.headers, authorization } });
    }
    const token = await this.#token(account, auth);
    if (!token.ok) return token;
    const authorization = `Bearer ${token.value.token}`;
    return this.#paced(account, operation, { ...spec, headers: { ...spec.headers, authorization } });
  }

  /**
   * One native call through the pacing queue. A 429 that still comes back (direct native traffic
   * spent the account's budget, or a fault) holds the queue for its Retry-After, and the call is
   * sent once more at the head of the queue when that fits the pacing bound.
   */
  async #paced(
    account: AdapterAccount,
    operation: Operation,
    spec: CallSpec,
  ): Promise<Outcome<NativeExchange>> {
    const { pacer, clock, profile } = this.context;
    const sendOnce = async (retry: boolean): Promise<Outcome<NativeExchange>> => {
      const admission = await pacer.admit(account.id, operation, retry);
      if (!admission.admitted) return failed(this.#refusal(account, admission));
      try {
        return await this.#send(spec, admission.waitedMs);
      } finally {
        admission.release();
      }
    };
    const result = await sendOnce(false);
    const { pacing } = profile();
    if (!result.ok || result.value.status !== 429 || pacing.passThrough) return result;
    const waitMs = holdAfter(result.value);
    pacer.holdUntil(account.id, clock.now() + waitMs);
    return waitMs <= pacing.maxWaitMs && pacer.mayWait ? sendOnce(true) : result;
  }

  #refusal(account: AdapterAccount, refused: Admission & { admitted: false }): AdapterFailure {
    const { code, profile, pacer } = this.context;
    if (refused.reason === "gate")
      return {
        kind: "gateway-timeout",
        status: 504,
        message: `${code} account ${account.id}: no turn at the platform's one-at-a-time gate within ${refused.waitedMs} ms`,
      };
    const rule = refused.rule ? ` (${refused.rule.limit} per ${refused.rule.name})` : "";
    const queues = pacer.mayWait
      ? `the CMO queues calls for at most ${profile().pacing.maxWaitMs} ms`
      : "on a manual clock the CMO queues nothing";
    return {
      kind: "rate-limited",
      status: 429,
      message: `${code} account ${account.id}: rate limit${rule} reached; ${queues}, and the next slot is ${Math.ceil(refused.retryAfterMs)} ms away`,
      retryAfterMs: refused.retryAfterMs,
    };
  }

  async #token(account: AdapterAccount, auth: BearerAuth): Promise<Outcome<Token>> {
    const cached = this.#tokens.get(account.id);
    if (cached && cached.expiresAt > this.context.clock.now()) return ok(cached, NO_EXCHANGE);
    let fetching = this.#fetching.get(account.id);
    if (!fetching) {
      fetching = this.#fetchToken(account, auth).finally(() => this.#fetching.delete(account.id));
      this.#fetching.set(account.id, fetching);
    }
    return fetching;
  }

  async #fetchToken(account: AdapterAccount, auth: BearerAuth): Promise<Outcome<Token>> {
    const admission = await this.context.pacer.admit(account.id, "auth");
    if (!admission.admitted) return failed(this.#refusal(account, admission));
    let sent: Outcome<NativeExchange>;
    try {
      sent = await this.#send(auth.request(account));
    } finally {
      admission.release();
    }
    if (!sent.ok) return sent;
    const exchange = sent.value;
    const body = parseBody(exchange) as { access_token?: unknown; expires_in?: number } | undefined;
    if (exchange.status !== 200 || typeof body?.access_token !== "string" || !body.access_token)
      return failed(auth.refused(classify(this.dialect.errors, exchange)));
    // Renew a little early, so a token never expires between being read and being checked.
    const expiresIn = body.expires_in ?? auth.defaultExpiresIn;
    const token = {
      token: body.access_token,
      expiresAt: this.context.clock.now() + Math.max(1, expiresIn - 10) * 1000,
    };
    this.#tokens.set(account.id, token);
    return ok(token, exchange);
  }
}

/** The exchange of a token taken from the cache: nothing was sent for it. */
const NO_EXCHANGE: NativeExchange = { status: 0, headers: [], body: "" };
