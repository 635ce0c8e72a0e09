import type { AdapterAccount, DeviceView } from "../../simulators/shared/adapter.js";
import type { Device } from "../../simulators/shared/runtime.js";
import type { PlatformDefinition } from "../../simulators/shared/types.js";
import { VirtualClock } from "../../src/engine/clock.js";
import type { StageSpec } from "../../src/engine/timeline.js";
import type { ParityHarness } from "../helpers/parity.js";
import { QUIET, startServer } from "../helpers/server.js";

/**
 * A server running one platform of the ticket dialect (Airlinq, stc, Turkcell) on a virtual clock,
 * with the platform's default stages made sure to succeed: tests of the happy path must not depend
 * on a seeded draw.
 */
export async function ticketFixture(definition: PlatformDefinition) {
  const stages = definition.defaults.asyncTimeline as StageSpec[];
  const sure = { ...QUIET, asyncTimeline: stages.map((stage) => ({ ...stage, failureRate: 0 })) };
  const clock = new VirtualClock(Date.UTC(2026, 5, 1, 12));
  const server = await startServer({ platforms: { [definition.code]: { profile: sure } } }, { clock });
  const runtime = server.sim.world.platform(definition.code)!.runtime;
  const account = [...runtime.accounts.values()].find((a) => a.tenant === "eos")!;
  /** The first device of the account in the native `status`. */
  const inStatus = async (status: string): Promise<Device> =>
    (await runtime.listDevices(account.id, 0, 100)).find((d) => d.nativeStatus === status)!;
  return { definition, sure, clock, server, runtime, account, inStatus };
}

export type TicketFixture = Awaited<ReturnType<typeof ticketFixture>>;

/** One answer of the native API, as the tests compare it. */
export interface Answer {
  status: number;
  retryAfter: string | null;
  location: string | null;
  body: any;
}

export async function answerOf(res: Response): Promise<Answer> {
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    location: res.headers.get("location"),
    body: await res.json(),
  };
}

export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** Whole seconds, as adapters write a platform's times. */
export const WHOLE_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/;
export const iso = (ms: number) => new Date(ms).toISOString();

export const send = (f: TicketFixture, path: string, init: RequestInit) =>
  f.server.request(path, init).then(answerOf);
/**
 * A platform's API under `api`: GETs of paths below it, and a status change of one device sent as
 * `change` says (method, path below the API, JSON body).
 */
export function ticketApi(
  api: string,
  change: { method: string; path(iccid: string): string; body(iccid: string, status: string): unknown },
): Pick<TicketDialect, "api" | "get" | "change"> {
  return {
    api,
    get: (f, path, headers) => send(f, `${api}${path}`, { headers }),
    change: (f, iccid, status, headers) =>
      send(f, `${api}${change.path(iccid)}`, {
        method: change.method,
        headers,
        body: JSON.stringify(change.body(iccid, status)),
      }),
  };
}

/** The platform's own two stages, lasting `failure.durations`, the last one sure to fail; and their end. */
export function failingTimeline(dialect: TicketDialect): { timeline: StageSpec[]; after: number } {
  const [first, last] = dialect.definition.defaults.asyncTimeline as StageSpec[];
  const [wait, work] = dialect.failure.durations;
  return {
    timeline: [
      { state: first!.state, duration: wait },
      { state: last!.state, duration: work, failureRate: 1 },
    ],
    after: wait + work,
  };
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields);
export const clientCredentials = (f: TicketFixture) => ({
  grant_type: "client_credentials",
  client_id: f.account.username,
  client_secret: f.account.secret,
});
export const accessToken = async (answer: Promise<Answer>) => (await answer).body.access_token as string;

export type Headers = Record<string, string>;
export type Json = Record<string, any>;

/** How the table-driven suite speaks to one platform of the ticket dialect, and what it expects back. */
export interface TicketDialect {
  definition: PlatformDefinition;
  /** The native API's base path under the simulator. */
  api: string;
  signIn(f: TicketFixture, lang?: string): Promise<Headers>;
  /** GET of `path` under the API. */
  get(f: TicketFixture, path: string, headers: Headers): Promise<Answer>;
  change(f: TicketFixture, iccid: string, status: string, headers: Headers): Promise<Answer>;
  /** The HTTP status of an accepted change. */
  acceptedStatus: number;
  /** The ticket a change answered with. */
  ticketOf(accepted: Answer): string;
  ticketPath(id: string): string;
  simPath(iccid: string): string;
  forged: Json;
  read: { view(f: TicketFixture, sim: Device): Json; numbering: [RegExp, RegExp, RegExp]; unknown: string };
  /** The platform's answer for `unknown`. */
  unknown(iccid: string): Answer;
  paging: {
    list: string;
    items: string;
    /** The page inside an answer's body (checks the envelope, where there is one); the body itself by default. */
    page?(body: Json): Json;
    window: [string, Json];
    last: string;
    defaults: Json;
    tooBig: [string, Answer];
    invalid?: string;
  };
  lifecycle: {
    /** What a change answers at once besides its status: the ticket. */
    accepted(answer: Answer): void;
    pending(f: TicketFixture, id: string, sim: Device): Json;
    secondStage(plan: { stages: Array<{ endsAt: number }> }): Json;
    done(sim: Device, plan: { endsAt: number }): Json;
    changed(plan: { endsAt: number }): Json;
  };
  failure: {
    /** How long each of the platform's two stages lasts when the last one is made to fail. */
    durations: [number, number];
    /** The failed ticket's body. */
    polled(sim: Device, id: string): unknown;
  };
  /** The status nothing leaves; the answer to a change from it and to a second change in flight. */
  refusal: { terminal: string; refused: Answer; conflict: Json };
  parity: {
    failingStage: string;
    ticket: RegExp;
    /** A page listed before the script, as the platform pages. */
    probe: [number, number];
    /** A second change of the suspended device while the first is in flight. */
    inFlight?: boolean;
    /** What this platform's script does after the shared one. */
    extras?(h: ParityHarness, account: AdapterAccount, suspended: DeviceView): Promise<Json>;
    /** What this platform's outcomes show beyond the shared ones. */
    outcomes: Json;
  };
}
