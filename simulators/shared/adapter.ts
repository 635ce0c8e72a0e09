import type { CmoStatus, Operation, PlatformCode } from "../../src/config/schema.js";
import type { Clock, TimerHandle } from "../../src/engine/clock.js";
import type { Admission, Pacer } from "../../src/engine/pacing.js";
import { type NativeExchange, NetworkError, type Transport } from "../../src/transport/types.js";
import type { Profile } from "./profile.js";
import type { NativeErrorKind, StatusVocabulary } from "./types.js";

/**
 * The CMO side of a platform: CMO operations in, native calls out, native answers back as
 * normalised devices. Adapters only ever speak HTTP semantics through a Transport, so the same
 * code drives the in-process fake, another simulator process or a real carrier sandbox.
 */

export interface Characteristic {
  name: string;
  value: string;
}

/** What the CMO needs of a native device, whatever the platform called its fields. */
export interface DeviceView {
  nativeId: string;
  status: CmoStatus;
  nativeStatus: string;
  accountId?: string | undefined;
  offering?: string | undefined;
  /** ISO date the product started (first activation, else when it was added). */
  startDate?: string | undefined;
  iccid?: string | undefined;
  imsi?: string | undefined;
  msisdn?: string | undefined;
  /** Characteristics of the simCard or terminal sub-product, as this platform supplies them. */
  characteristics: Characteristic[];
  /** Characteristics of the dataConnectivity sub-product (cellular). */
  connectivity?: Characteristic[] | undefined;
  usage?: { bytes: number; since: string; until: string } | undefined;
}

export type AdapterFailureKind = NativeErrorKind | "network" | "protocol";

export interface AdapterFailure {
  kind: AdapterFailureKind;
  /** The platform's HTTP status, or 0 when there was no answer. */
  status: number;
  message: string;
  /** The native answer, for `externalErrors` and monitor entries. */
  exchange?: NativeExchange | undefined;
  retryAfterMs?: number | undefined;
}

export type Outcome<T> =
  | { ok: true; value: T; exchange: NativeExchange }
  | { ok: false; failure: AdapterFailure };

export type ChangeAccepted =
  | { mode: "done"; device: DeviceView | undefined }
  /** `ticket` is opaque to the CMO and stored in its monitor; the adapter polls with it. */
  | { mode: "pending"; ticket: string };

export interface PollResult {
  state: "IN_PROGRESS" | "DONE" | "FAILED";
  failure?: AdapterFailure | undefined;
}

export interface AdapterAccount {
  id: string;
  name: string;
  tenant: string;
  username: string;
  secret: string;
}

export interface CmoAdapter {
  get(account: AdapterAccount, nativeId: string): Promise<Outcome<DeviceView>>;
  /** A page of the account's devices and, where the platform tells, the account's total. */
  list(
    account: AdapterAccount,
    offset: number,
    limit: number,
  ): Promise<Outcome<{ items: DeviceView[]; total: number }>>;
  changeStatus(
    account: AdapterAccount,
    device: DeviceView,
    target: CmoStatus,
  ): Promise<Outcome<ChangeAccepted>>;
  poll(account: AdapterAccount, ticket: string): Promise<Outcome<PollResult>>;
  transfer(
    account: AdapterAccount,
    device: DeviceView,
    target: AdapterAccount,
  ): Promise<Outcome<ChangeAccepted>>;
  /** Usage where the platform serves it apart from the device (Cisco's ctdUsages). */
  getUsage?(account: AdapterAccount, nativeId: string): Promise<Outcome<NonNullable<DeviceView["usage"]>>>;
}

export interface AdapterContext {
  code: PlatformCode;
  transport: Transport;
  clock: Clock;
  vocabulary: StatusVocabulary;
  /** Live profile (the adapter reads syncWaitTimeoutMs and the pacing settings from it). */
  profile: () => Profile;
  /** The platform's outbound queue: every native call waits its turn here. */
  pacer: Pacer;
}

export type AdapterFactory = (context: AdapterContext) => CmoAdapter;

// ---- the shared native client ---------------------------------------------------------------

export interface CallSpec {
  method: string;
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** How a platform wants its caller to authenticate. */
export type AuthStrategy =
  | { kind: "basic" }
  | {
      kind: "bearer";
      /** Obtains a token through the platform's own token endpoint. */
      fetchToken(
        client: NativeClient,
        account: AdapterAccount,
      ): Promise<{ token: string; expiresIn: number } | AdapterFailure>;
      /** Header that carries the token, when not Authorization: Bearer. */
      header?: string;
    };

function encodeQuery(query: CallSpec["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A 429's Retry-After in ms; a platform that says nothing (Aeris, a one-at-a-time refusal) gets a second. */
function retryAfterMs(exchange: NativeExchange): number {
  const value = header(exchange, "retry-after");
  return value && /^\d+$/.test(value) ? Number(value) * 1000 : 1000;
}

type Token = { token: string; expiresAt: number };

/**
 * HTTP to one platform on behalf of platform accounts: credentials, token caching and renewal, the
 * platform's pacing queue in front of every call (token requests included), and network errors
 * turned into failures. Families describe requests; this class sends them.
 */
export class NativeClient {
  readonly #tokens = new Map<string, Token>();
  /** One token request per account at a time: a burst of first calls waits for the same token. */
  readonly #fetching = new Map<string, Promise<Token | AdapterFailure>>();

  constructor(
    readonly context: AdapterContext,
    private readonly auth: AuthStrategy,
  ) {}

  /** Sends without authentication or pacing (token endpoints, which `#token` paces). */
  async send(spec: CallSpec, pacedMs = 0): Promise<NativeExchange | AdapterFailure> {
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
    const gaveUp = new Promise<AdapterFailure>((resolve) => {
      timer = clock.schedule(timeoutMs, () =>
        resolve({
          kind: "gateway-timeout",
          status: 504,
          message: `${code}: no answer within ${timeoutMs} ms (callTimeoutMs)`,
        }),
      );
    });
    const exchange = transport
      .send({ method: spec.method, path: spec.path + encodeQuery(spec.query), headers, body, pacedMs })
      .catch((error: unknown): AdapterFailure => {
        if (error instanceof NetworkError)
          return { kind: "network", status: 0, message: `${code}: ${error.message}` };
        throw error;
      });
    try {
      return await Promise.race([exchange, gaveUp]);
    } finally {
      timer?.cancel();
    }
  }

  /**
   * Sends as `account` once the pacing queue lets `operation` go (the operation decides which of
   * the platform's rate-limit rules count it), renewing a bearer token once if the platform says
   * it is no longer valid.
   */
  async call(
    account: AdapterAccount,
    operation: Operation,
    spec: CallSpec,
  ): Promise<NativeExchange | AdapterFailure> {
    const first = await this.#authorisedSend(account, operation, spec);
    if (this.auth.kind === "bearer" && !isFailure(first) && first.status === 401) {
      this.#tokens.delete(account.id);
      return this.#authorisedSend(account, operation, spec);
    }
    return first;
  }

  forgetTokens(): void {
    this.#tokens.clear();
  }

  async #authorisedSend(
    account: AdapterAccount,
    operation: Operation,
    spec: CallSpec,
  ): Promise<NativeExchange | AdapterFailure> {
    const headers: Record<string, string> = { ...spec.headers };
    if (this.auth.kind === "basic") {
      headers.authorization = `Basic ${Buffer.from(`${account.username}:${account.secret}`).toString("base64")}`;
    } else {
      const token = await this.#token(account);
      if (isFailure(token)) return token;
      if (this.auth.header) headers[this.auth.header] = token.token;
      else headers.authorization = `Bearer ${token.token}`;
    }
    return this.#paced(account, operation, { ...spec, headers });
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
  ): Promise<NativeExchange | AdapterFailure> {
    const { pacer, clock, profile } = this.context;
    const sendOnce = async (retry: boolean): Promise<NativeExchange | AdapterFailure> => {
      const admission = await pacer.admit(account.id, operation, retry);
      if (!admission.admitted) return this.#refusal(account, admission);
      try {
        return await this.send(spec, admission.waitedMs);
      } finally {
        admission.release();
      }
    };
    const result = await sendOnce(false);
    const { pacing } = profile();
    if (isFailure(result) || result.status !== 429 || pacing.passThrough) return result;
    const waitMs = retryAfterMs(result);
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

  async #token(account: AdapterAccount): Promise<Token | AdapterFailure> {
    const cached = this.#tokens.get(account.id);
    if (cached && cached.expiresAt > this.context.clock.now()) return cached;
    let fetching = this.#fetching.get(account.id);
    if (!fetching) {
      fetching = this.#fetchToken(account).finally(() => this.#fetching.delete(account.id));
      this.#fetching.set(account.id, fetching);
    }
    return fetching;
  }

  async #fetchToken(account: AdapterAccount): Promise<Token | AdapterFailure> {
    const auth = this.auth;
    if (auth.kind !== "bearer") throw new Error("not a bearer platform");
    const admission = await this.context.pacer.admit(account.id, "auth");
    if (!admission.admitted) return this.#refusal(account, admission);
    let fetched: { token: string; expiresIn: number } | AdapterFailure;
    try {
      fetched = await auth.fetchToken(this, account);
    } finally {
      admission.release();
    }
    if (isFailure(fetched)) return fetched;
    // Renew a little early, so a token never expires between being read and being checked.
    const entry = {
      token: fetched.token,
      expiresAt: this.context.clock.now() + Math.max(1, fetched.expiresIn - 10) * 1000,
    };
    this.#tokens.set(account.id, entry);
    return entry;
  }
}

// ---- helpers for families -------------------------------------------------------------------

export function isFailure<T extends object>(value: T | AdapterFailure): value is AdapterFailure {
  return "kind" in value && "message" in value && "status" in value && !("body" in value);
}

export function parseBody(exchange: NativeExchange): unknown {
  try {
    return exchange.body === "" ? undefined : JSON.parse(exchange.body);
  } catch {
    return undefined;
  }
}

/** A failure from the HTTP status alone, for platforms whose envelope adds nothing to classify by. */
export function failureFromStatus(
  exchange: NativeExchange,
  message: string,
  kind?: AdapterFailureKind,
): AdapterFailure {
  const status = exchange.status;
  const inferred: AdapterFailureKind =
    kind ??
    (status === 401
      ? "unauthorized"
      : status === 403
        ? "forbidden"
        : status === 404
          ? "not-found"
          : status === 409
            ? "conflict"
            : status === 415
              ? "unsupported-media-type"
              : status === 429
                ? "rate-limited"
                : status === 503
                  ? "unavailable"
                  : status === 504
                    ? "gateway-timeout"
                    : status >= 500
                      ? "server-error"
                      : "bad-request");
  const retryAfter = exchange.headers.find((h) => h.name.toLowerCase() === "retry-after")?.value;
  return {
    kind: inferred,
    status,
    message,
    exchange,
    retryAfterMs: retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined,
  };
}

/**
 * Native devices in the CMO's terms. A status the platform's vocabulary does not know is a protocol
 * failure, said loudly: a default would pass a carrier's new state off as another one.
 */
export function viewDevices<T>(
  context: Pick<AdapterContext, "code" | "vocabulary">,
  exchange: NativeExchange,
  items: readonly T[],
  nativeStatus: (item: T) => unknown,
  view: (item: T, status: CmoStatus, nativeStatus: string) => DeviceView,
): Outcome<DeviceView[]> {
  const views: DeviceView[] = [];
  for (const item of items) {
    const native = nativeStatus(item);
    const status = typeof native === "string" ? context.vocabulary.toCmo[native] : undefined;
    if (status === undefined)
      return failed({
        kind: "protocol",
        status: exchange.status,
        message: `${context.code} reported a status it does not have: ${JSON.stringify(native)}`,
        exchange,
      });
    views.push(view(item, status, native as string));
  }
  return ok(views, exchange);
}

/** One native device in the CMO's terms (see `viewDevices`). */
export function viewDevice<T>(
  context: Pick<AdapterContext, "code" | "vocabulary">,
  exchange: NativeExchange,
  item: T,
  nativeStatus: (item: T) => unknown,
  view: (item: T, status: CmoStatus, nativeStatus: string) => DeviceView,
): Outcome<DeviceView> {
  const views = viewDevices(context, exchange, [item], nativeStatus, view);
  return views.ok ? ok(views.value[0] as DeviceView, exchange) : views;
}

export function ok<T>(value: T, exchange: NativeExchange): Outcome<T> {
  return { ok: true, value, exchange };
}

export function failed<T>(failure: AdapterFailure): Outcome<T> {
  return { ok: false, failure };
}

/** Polls `check` on the clock until it settles or `timeoutMs` passes (IOTA: sync in CMO, async natively). */
export async function waitUntilSettled(
  clock: Clock,
  timeoutMs: number,
  intervalMs: number,
  check: () => Promise<Outcome<PollResult>>,
): Promise<Outcome<PollResult> | { ok: false; failure: AdapterFailure; timedOut: true }> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const outcome = await check();
    if (!outcome.ok || outcome.value.state !== "IN_PROGRESS") return outcome;
    if (clock.now() + intervalMs > deadline) {
      return {
        ok: false,
        timedOut: true,
        failure: {
          kind: "gateway-timeout",
          status: 504,
          message: `operation still in progress after ${timeoutMs} ms`,
        },
      };
    }
    await clock.sleep(intervalMs);
  }
}

/**
 * Items [offset, offset + limit) of a page-numbered native list, fetching as few pages of
 * `pageSize` as cover the window. `firstPage` is 1 for APIs that count pages from one.
 */
export async function pagedWindow<T>(
  offset: number,
  limit: number,
  pageSize: number,
  firstPage: 0 | 1,
  fetchPage: (page: number, size: number) => Promise<Outcome<{ items: T[]; total: number }>>,
): Promise<Outcome<{ items: T[]; total: number }>> {
  const items: T[] = [];
  let page = Math.floor(offset / pageSize);
  let skip = offset - page * pageSize;
  let total = 0;
  let last: Outcome<{ items: T[]; total: number }> | undefined;
  while (items.length < limit) {
    last = await fetchPage(page + firstPage, pageSize);
    if (!last.ok) return last;
    total = last.value.total;
    items.push(...last.value.items.slice(skip, skip + limit - items.length));
    if (last.value.items.length < pageSize || (page + 1) * pageSize >= total) break;
    skip = 0;
    page++;
  }
  return last?.ok
    ? ok({ items, total }, last.exchange)
    : ok({ items, total }, { status: 200, headers: [], body: "" });
}

/** Items [offset, offset + limit) of an offset/limit native list, in as few calls as its maximum allows. */
export async function offsetWindow<T>(
  offset: number,
  limit: number,
  maxLimit: number,
  fetch: (offset: number, limit: number) => Promise<Outcome<{ items: T[]; total: number }>>,
): Promise<Outcome<{ items: T[]; total: number }>> {
  const items: T[] = [];
  for (;;) {
    const page = await fetch(offset + items.length, Math.max(1, Math.min(maxLimit, limit - items.length)));
    if (!page.ok) return page;
    items.push(...page.value.items.slice(0, limit - items.length));
    const exhausted = page.value.items.length === 0 || offset + items.length >= page.value.total;
    if (items.length >= limit || exhausted) return ok({ items, total: page.value.total }, page.exchange);
  }
}

/** Looks a header up in an exchange, case-insensitively. */
export function header(exchange: NativeExchange, name: string): string | undefined {
  const lower = name.toLowerCase();
  return exchange.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}
