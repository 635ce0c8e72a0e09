import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asyncLifecycle } from "../helpers/async-lifecycle.js";
import { runOverBothTransports } from "../helpers/parity.js";
import { QUIET } from "../helpers/server.js";
import { AIRLINQ } from "./airlinq-dialect.js";
import { STC } from "./stc-dialect.js";
import { failingTimeline, type TicketFixture, ticketFixture } from "./ticket-dialect-support.js";
import { TURKCELL } from "./turkcell-dialect.js";

/**
 * What Airlinq, stc and Turkcell all do, each in its own words: a token, reads and pages, a status
 * change as a ticket polled through its stages, refusals, and one adapter over both transports.
 * What only one of them does stays in its own file.
 */
describe.each([AIRLINQ, STC, TURKCELL])("$definition.code in the ticket dialect", (dialect) => {
  let f: TicketFixture;
  beforeAll(async () => {
    f = await ticketFixture(dialect.definition);
  });
  afterAll(() => f.server.close(100));
  beforeEach(() => f.server.sim.reset());

  it("refuses a forged token with 401 in its own envelope", async () => {
    const forged = await dialect.get(f, dialect.paging.list, { authorization: "Bearer forged" });
    expect(forged).toEqual({ status: 401, retryAfter: null, location: null, body: dialect.forged });
  });

  it("reads a device with the platform's numbering, and refuses one it does not hold", async () => {
    const sim = await f.inStatus("ACTIVE");
    const headers = await dialect.signIn(f);
    const read = await dialect.get(f, dialect.simPath(sim.record.iccid!), headers);
    expect(read).toEqual({ status: 200, retryAfter: null, location: null, body: dialect.read.view(f, sim) });
    const [iccid, imsi, msisdn] = dialect.read.numbering;
    expect(sim.record.iccid).toMatch(iccid);
    expect(sim.record.imsi).toMatch(imsi);
    expect(sim.record.msisdn).toMatch(msisdn);
    const unknown = dialect.read.unknown;
    expect(await dialect.get(f, dialect.simPath(unknown), headers)).toEqual(dialect.unknown(unknown));
  });

  it("pages the account's devices, and refuses a page too large", async () => {
    const { list, items, page = (body) => body, window, last, defaults, tooBig, invalid } = dialect.paging;
    const headers = await dialect.signIn(f);
    const get = (query: string) => dialect.get(f, `${list}?${query}`, headers);
    const [query, meta] = window;
    const answer = await get(query);
    expect(answer.status).toBe(200);
    const second = page(answer.body);
    expect(second).toMatchObject(meta);
    expect(second[items]).toHaveLength(30);
    expect(second[items][0].iccid).toBe((await f.runtime.listDevices(f.account.id, 30, 1))[0]!.record.iccid);
    expect(page((await get(last)).body)[items]).toHaveLength(10);
    expect(page((await get("")).body)).toMatchObject(defaults);
    expect(await get(tooBig[0])).toEqual(tooBig[1]);
    if (invalid) expect((await get(invalid)).status).toBe(400);
  });

  it("takes a status change as a ticket and runs it through the platform's stages to success", async () => {
    const sim = await f.inStatus("ACTIVE");
    const headers = await dialect.signIn(f);
    const accepted = await dialect.change(f, sim.record.iccid!, "SUSPENDED", headers);
    expect(accepted.status).toBe(dialect.acceptedStatus);
    dialect.lifecycle.accepted(accepted);
    const id = dialect.ticketOf(accepted);
    const plan = (await f.runtime.getOperation(id))!.plan;
    const poll = async () => (await dialect.get(f, dialect.ticketPath(id), headers)).body;
    expect(await poll()).toEqual(dialect.lifecycle.pending(f, id, sim));
    await f.clock.advanceTo(plan.stages[0]!.endsAt);
    expect(await poll()).toMatchObject(dialect.lifecycle.secondStage(plan));
    await f.clock.advanceTo(plan.endsAt);
    expect(await poll()).toMatchObject(dialect.lifecycle.done(sim, plan));
    const read = await dialect.get(f, dialect.simPath(sim.record.iccid!), headers);
    expect(read.body).toMatchObject(dialect.lifecycle.changed(plan));
  });

  it("fails the ticket when the timeline fails, leaving the device as it was", async () => {
    const { timeline, after } = failingTimeline(dialect);
    await f.runtime.setProfileOverride({ ...QUIET, asyncTimeline: timeline });
    const sim = await f.inStatus("SUSPENDED");
    const headers = await dialect.signIn(f);
    const id = dialect.ticketOf(await dialect.change(f, sim.record.iccid!, "ACTIVE", headers));
    await f.clock.advance(after);
    const polled = await dialect.get(f, dialect.ticketPath(id), headers);
    expect(polled.status).toBe(200);
    expect(polled.body).toEqual(dialect.failure.polled(sim, id));
    expect((await f.runtime.findDevice(f.account.id, sim.record.nativeId))!.nativeStatus).toBe("SUSPENDED");
  });

  it("refuses a change from the final status, and a second change while one is in flight", async () => {
    const { terminal, refused, conflict } = dialect.refusal;
    const headers = await dialect.signIn(f);
    expect(await dialect.change(f, (await f.inStatus(terminal)).record.iccid!, "ACTIVE", headers)).toEqual(
      refused,
    );
    const busy = (await f.inStatus("ACTIVE")).record.iccid!;
    const second = await dialect.change(f, busy, "SUSPENDED", headers);
    expect(second.status).toBe(dialect.acceptedStatus);
    dialect.lifecycle.accepted(second);
    expect(await dialect.change(f, busy, terminal, headers)).toMatchObject(conflict);
  });

  it("gives identical adapter results in-process and over HTTP, polling tickets to DONE and to FAILED", async () => {
    const { code } = dialect.definition;
    const { failingStage, ticket, probe, inFlight, extras, outcomes } = dialect.parity;
    const { inProcess, http } = await runOverBothTransports(
      code,
      { platforms: { [code]: { profile: f.sure } } },
      async (h) => {
        const listed = await h.adapter.list(h.account(), ...probe);
        const { account, devices, suspended, outcomes } = await asyncLifecycle(
          h,
          failingStage,
          inFlight ? (who, first) => h.adapter.changeStatus(who, first, "TERMINATED") : undefined,
        );
        const gone = devices.find((d) => d.status === "TERMINATED")!;
        return {
          ...outcomes,
          probe: listed,
          refused: await h.adapter.changeStatus(account, gone, "ACTIVE"),
          missing: await h.adapter.get(account, dialect.read.unknown),
          ...(await extras?.(h, account, suspended)),
        };
      },
    );
    expect(inProcess.total).toBe(100);
    expect(inProcess.changed).toMatchObject({
      ok: true,
      value: { mode: "pending", ticket: expect.stringMatching(ticket) },
      exchange: { status: dialect.acceptedStatus },
    });
    expect(inProcess.early).toMatchObject({ ok: true, value: { state: "IN_PROGRESS" } });
    expect(inProcess.settled).toMatchObject({ ok: true, value: { state: "DONE" } });
    expect(inProcess).toMatchObject(outcomes);
    expect(http).toEqual(inProcess);
  });
});
