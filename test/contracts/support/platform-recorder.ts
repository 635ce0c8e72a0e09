import { MatchersV3 as M, type PactV4 } from "@pact-foundation/pact";
import type { AdapterAccount, CmoAdapter, DeviceView } from "../../../simulators/shared/adapter.js";
import type { PlatformDefinition } from "../../../simulators/shared/types.js";
import { accountCredentials } from "../../../src/config/defaults.js";
import { platformStates } from "../../../src/contracts/platform-states.js";
import { contractConfig } from "../../../src/contracts/provider-sim.js";
import {
  ProviderStateRunner,
  SETTLE_MS,
  Session,
  type StateValues,
} from "../../../src/contracts/provider-states.js";
import { SimClient } from "../../../src/contracts/sim-client.js";
import { VirtualClock } from "../../../src/engine/clock.js";
import { createSimulator, type Simulator } from "../../../src/server/simulator.js";
import { HttpTransport } from "../../../src/transport/http.js";
import { InProcessTransport } from "../../../src/transport/in-process.js";
import type { NativeExchange, NativeRequest, Transport } from "../../../src/transport/types.js";
import { driveUntilSettled } from "../../helpers/virtual-time.js";
import { textBody } from "./pacts.js";

/**
 * Consumer side of a platform contract: THE REAL ADAPTER is driven through its calls against the
 * native fake while every exchange is recorded; the recording becomes Pact interactions (requests
 * exactly as the adapter sent them, answers as their types, with status and state fields exact
 * because the adapter decides by them); then the adapter runs again against Pact's mock server,
 * which proves it sends exactly that and copes with exactly those answers.
 */

const EPOCH = Date.UTC(2026, 0, 1);
const ACTIVE = { name: "a device in status ACTIVE", params: { status: "ACTIVE" } };
const COMPLETED = {
  name: "a status change to SUSPENDED has completed for a device in status ACTIVE",
  params: { target: "SUSPENDED", status: "ACTIVE" },
};
const SMALL_INVENTORY = { name: "every account holds 3 devices", params: { count: 3 } };
const TRANSFERRED = {
  name: "a transfer to another account has completed for a device in status ACTIVE",
  params: { status: "ACTIVE" },
};

interface Recorded {
  request: NativeRequest;
  exchange: NativeExchange;
  phase: "sign-in" | "before" | "after";
}

/** Passes calls on and keeps them; the first write marks everything after it as "after the change". */
class RecordingTransport implements Transport {
  readonly kind = "in-process";
  readonly records: Recorded[] = [];
  #changed = false;

  constructor(private readonly inner: Transport) {}

  async send(request: NativeRequest): Promise<NativeExchange> {
    const exchange = await this.inner.send(request);
    const signIn =
      typeof (parse(exchange.body) as { access_token?: unknown } | undefined)?.access_token === "string";
    this.records.push({ request, exchange, phase: signIn ? "sign-in" : this.#changed ? "after" : "before" });
    if (!signIn && request.method !== "GET") this.#changed = true;
    return exchange;
  }
}

function parse(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

const header = (headers: Record<string, string> | NativeExchange["headers"], name: string) =>
  (Array.isArray(headers) ? headers.map((h) => [h.name, h.value] as const) : Object.entries(headers)).find(
    ([key]) => key.toLowerCase() === name,
  )?.[1];

/** Fields an adapter decides by (a status, a state, a result code): their values are the contract. */
const DECISIVE = /(status|state)$|^resultCode$/i;

/** The example as Pact matchers: every value by type, decisive fields exactly, arrays item by item. */
function template(value: unknown, key = ""): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => template(item, key));
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, template(v, k)]),
    );
  }
  return DECISIVE.test(key) ? M.equal(value) : M.like(value);
}

/** Replaces provider-state values (a device id, an operation id) by expressions the verifier fills in. */
function withState(text: string, values: StateValues): { template: string; changed: boolean } {
  let out = text;
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string" && value.length >= 4 && out.includes(value))
      out = out.split(value).join(`\${${name}}`);
  }
  return { template: out, changed: out !== text };
}

function stateful(value: unknown, values: StateValues): unknown {
  if (typeof value === "string") {
    const { template: t, changed } = withState(value, values);
    return changed && /^\$\{\w+\}$/.test(t) ? M.fromProviderState(t, value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => stateful(v, values));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stateful(v, values)]));
  }
  return value;
}

/**
 * Every token the fake issued becomes one example token: a contract must not depend on which
 * token a run happened to draw, and the verifier swaps the example for a real one anyway.
 */
function withExampleToken(records: readonly Recorded[], example: string): Recorded[] {
  const issued = records.flatMap((r) => {
    const token =
      r.phase === "sign-in" ? (parse(r.exchange.body) as { access_token: string }).access_token : undefined;
    return token ? [token] : [];
  });
  const swap = (text: string) => issued.reduce((out, token) => out.split(token).join(example), text);
  return records.map((r) => ({
    ...r,
    request: {
      ...r.request,
      headers: Object.fromEntries(Object.entries(r.request.headers).map(([k, v]) => [k, swap(v)])),
    },
    exchange: { ...r.exchange, body: swap(r.exchange.body) },
  }));
}

/** A change's outcome; when the platform took it as an operation, also the poll once it has finished. */
async function pollIfPending(
  adapter: CmoAdapter,
  account: AdapterAccount,
  change: ReturnType<CmoAdapter["changeStatus"]>,
  afterChange: () => Promise<void>,
): Promise<unknown> {
  const accepted = await change;
  if (!accepted.ok || accepted.value.mode !== "pending")
    return accepted.ok ? accepted.value : accepted.failure;
  await afterChange();
  const polled = await adapter.poll(account, accepted.value.ticket);
  return { accepted: accepted.value, polled: polled.ok ? polled.value : polled.failure };
}

export interface PlatformStep {
  name: string;
  state: { name: string; params: Record<string, unknown> };
  /** The provider state of the calls after the change (polls); a finished status change unless named. */
  completed?: { name: string; params: Record<string, unknown> };
  run(
    adapter: CmoAdapter,
    account: AdapterAccount,
    device: DeviceView | undefined,
    afterChange: () => Promise<void>,
    other: AdapterAccount | undefined,
  ): Promise<unknown>;
}

/**
 * The calls a CMO adapter makes of every platform: read, list, change a status and, where
 * asynchronous, poll; where the platform serves usage apart from the device (Cisco's ctdUsages),
 * read usage; where it transfers SIMs and the tenant has a second account there, transfer and poll.
 */
export function stepsFor(
  definition: PlatformDefinition,
  options: { usageApart: boolean; transferTarget: boolean },
): PlatformStep[] {
  const steps: PlatformStep[] = [
    {
      name: "read a device",
      state: ACTIVE,
      run: (adapter, account, device) => adapter.get(account, device!.nativeId),
    },
    { name: "list devices", state: SMALL_INVENTORY, run: (adapter, account) => adapter.list(account, 0, 3) },
    {
      name: "change a status",
      state: ACTIVE,
      run: (adapter, account, device, afterChange) =>
        pollIfPending(adapter, account, adapter.changeStatus(account, device!, "SUSPENDED"), afterChange),
    },
  ];
  if (options.usageApart)
    steps.push({
      name: "read usage",
      state: ACTIVE,
      run: (adapter, account, device) =>
        (adapter.getUsage as NonNullable<CmoAdapter["getUsage"]>)(account, device!.nativeId),
    });
  if (definition.defaults.transfer && options.transferTarget)
    steps.push({
      name: "transfer a device and poll",
      state: ACTIVE,
      completed: TRANSFERRED,
      run: (adapter, account, device, afterChange, other) =>
        pollIfPending(adapter, account, adapter.transfer(account, device!, other!), afterChange),
    });
  return definition.defaults.asyncTimeline === null && definition.cmoMode === "sync"
    ? steps
    : steps.map((s) => (s.name === "change a status" ? { ...s, name: "change a status and poll" } : s));
}

export class PlatformRecorder {
  readonly sim: Simulator;
  readonly client: SimClient;
  readonly runner: ProviderStateRunner;
  readonly account: AdapterAccount;
  /** The tenant's second account on the platform, if it has one: where a transfer goes. */
  readonly other: AdapterAccount | undefined;

  constructor(readonly definition: PlatformDefinition) {
    this.sim = createSimulator(contractConfig(), { clock: new VirtualClock(EPOCH) });
    this.client = new SimClient({ base: "http://sim", fetch: async (request) => this.sim.fetch(request) });
    const session = new Session();
    this.runner = new ProviderStateRunner(this.client, platformStates(definition.code, session), session);
    const [first, second] = this.sim.world
      .accountsOf("eos", definition.code)
      .map((config) => ({ id: config.id, name: config.name, tenant: "eos", ...accountCredentials(config) }));
    this.account = first!;
    this.other = second;
  }

  /** Whether this platform's adapter reads usage with a call of its own. */
  get readsUsageApart(): boolean {
    return this.#adapter(this.#fake()).getUsage !== undefined;
  }

  /** The native fake itself, in process. */
  #fake(): Transport {
    return new InProcessTransport((request) =>
      this.sim.world.platform(this.definition.code)!.app.fetch(request),
    );
  }

  #adapter(transport: Transport, clock = this.sim.clock): CmoAdapter {
    const { definition } = this;
    return definition.adapter({
      code: definition.code,
      transport,
      clock,
      vocabulary: definition.vocabulary,
      profile: () => this.sim.world.platform(definition.code)!.runtime.profile,
      pacer: this.sim.world.platform(definition.code)!.pacer,
    });
  }

  /** Runs a step against the native fake and returns the interactions it made, ready for Pact. */
  async record(step: PlatformStep) {
    await this.runner.begin();
    const values = (await this.runner.setup(step.state.name, step.state.params)) ?? {};
    const code = this.definition.code;
    const fake = this.#fake();
    const device =
      typeof values.nativeId === "string"
        ? await this.#adapter(fake)
            .get(this.account, values.nativeId)
            .then((o) => (o.ok ? o.value : undefined))
        : undefined;
    const recorder = new RecordingTransport(fake);
    const clock = this.sim.clock as VirtualClock;
    const startedAt = clock.now();
    const outcome = await driveUntilSettled(
      clock,
      step.run(this.#adapter(recorder), this.account, device, () => clock.sleep(SETTLE_MS), this.other),
    );
    const operation = (await this.sim.world.platform(code)!.runtime.snapshot()).operations.find((o) =>
      o.items.some((item) => item.nativeId === values.nativeId),
    );
    const after: StateValues = {
      nativeId: String(values.nativeId ?? ""),
      ...(operation ? { operationId: operation.id } : {}),
    };
    const before: StateValues = typeof values.nativeId === "string" ? { nativeId: values.nativeId } : {};
    // The same call made twice (a sign-in after the clock moved, a poll until done) is one
    // interaction: its last answer.
    const byRequest = new Map<string, Recorded>();
    for (const r of withExampleToken(recorder.records, `${code.toLowerCase()}-pact-example-token`)) {
      byRequest.set(`${r.request.method} ${r.request.path} ${r.request.body ?? ""}`, r);
    }
    const interactions = [...byRequest.values()].map((r) =>
      this.#interaction(step, r, r.phase === "after" ? after : r.phase === "before" ? before : {}),
    );
    return { interactions, outcome, device, startedAt };
  }

  #interaction(step: PlatformStep, r: Recorded, values: StateValues) {
    const [pathOnly = "", query = ""] = r.request.path.split("?");
    const path = withState(pathOnly, values);
    const state =
      r.phase === "sign-in" ? undefined : r.phase === "before" ? step.state : (step.completed ?? COMPLETED);
    return {
      description: `${r.phase === "sign-in" ? "sign in" : step.name}: ${r.request.method} ${path.template}`,
      state,
      method: r.request.method,
      path: path.changed ? M.fromProviderState(path.template, pathOnly) : pathOnly,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers: Object.fromEntries(
        Object.entries(r.request.headers).map(([k, v]) => [
          k,
          /^bearer /i.test(v) ? M.regex("^Bearer .+$", v) : v,
        ]),
      ),
      body: r.request.body,
      bodyValues: values,
      status: r.exchange.status,
      responseHeaders: {
        ...(header(r.exchange.headers, "content-type") !== undefined
          ? { "Content-Type": header(r.exchange.headers, "content-type") }
          : {}),
        ...(header(r.exchange.headers, "x-total-count") !== undefined
          ? { "X-Total-Count": M.regex("^\\d+$", header(r.exchange.headers, "x-total-count")!) }
          : {}),
      },
      responseBody: parse(r.exchange.body),
    };
  }

  /** Adds a step's interactions to the pact and replays the step against Pact's mock server. */
  async verifyAgainstMock(pact: PactV4, step: PlatformStep) {
    const { interactions, outcome, device, startedAt } = await this.record(step);
    let builder: ReturnType<PactV4["addInteraction"]> | undefined;
    let last:
      | { executeTest: (fn: (server: { url: string }) => Promise<unknown>) => Promise<unknown> }
      | undefined;
    for (const i of interactions) {
      builder = pact.addInteraction();
      if (i.state) builder = builder.given(i.state.name, i.state.params as never);
      last = builder
        .uponReceiving(i.description)
        .withRequest(i.method, i.path as string, (b) => {
          b.headers(i.headers as never);
          if (Object.keys(i.query).length > 0) b.query(i.query);
          if (i.body !== undefined) {
            const type = header(i.headers as Record<string, string>, "content-type") ?? "application/json";
            // JSON of any flavour (merge-patch too) keeps its content type and its matchers.
            const json = /json/i.test(type) ? parse(i.body) : undefined;
            textBody(b, type, json === undefined ? i.body : JSON.stringify(stateful(json, i.bodyValues)));
          }
        })
        .willRespondWith(i.status, (b) => {
          b.headers(i.responseHeaders as never);
          if (i.responseBody !== undefined) b.jsonBody(template(i.responseBody));
        });
    }
    let replayed: unknown;
    await last!.executeTest(async (server) => {
      // The adapter reads the clock (usage "until now", token expiry): the same time as when recorded.
      const clock = new VirtualClock(startedAt);
      const adapter = this.#adapter(new HttpTransport(server.url, clock), clock);
      replayed = await driveUntilSettled(
        clock,
        step.run(adapter, this.account, device, () => clock.sleep(SETTLE_MS), this.other),
      );
    });
    return { recorded: outcome, replayed };
  }
}
