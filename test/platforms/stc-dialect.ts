import { expect } from "vitest";
import { stc } from "../../simulators/stc/index.js";
import {
  type Answer,
  accessToken,
  form,
  send,
  type TicketDialect,
  ticketApi,
  WHOLE_SECONDS,
} from "./ticket-dialect-support.js";

/** `ms` as ConnectME writes it: Riyadh wall time with its offset. */
export const riyadh = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19) + "+03:00";

/** An answer with ConnectME's result code and its English message. */
const result = (status: number, resultCode: string, resultMessage: string): Answer => ({
  status,
  retryAfter: null,
  location: null,
  body: { resultCode, resultMessage },
});

export const STC: TicketDialect = {
  definition: stc,
  ...ticketApi("/platforms/stc/api/v2", {
    method: "PUT",
    path: (iccid) => `/subscriptions/${iccid}/status`,
    body: (_iccid, status) => ({ status }),
  }),
  async signIn(f, lang = "en") {
    const token = await accessToken(
      send(f, `/platforms/stc/api/v2/oauth/token`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`${f.account.username}:${f.account.secret}`)}` },
        body: form({ grant_type: "client_credentials" }),
      }),
    );
    return { authorization: `Bearer ${token}`, "content-type": "application/json", "accept-language": lang };
  },
  acceptedStatus: 202,
  ticketOf: (accepted) => accepted.body.transactionId,
  ticketPath: (id) => `/transactions/${id}`,
  simPath: (iccid) => `/subscriptions/${iccid}`,
  forged: { resultCode: "E1010", resultMessage: "Invalid access token" },
  read: {
    view: (f, sim) => ({
      iccid: sim.record.iccid,
      msisdn: sim.record.msisdn,
      imsi: sim.record.imsi,
      status: "ACTIVE",
      ratePlan: sim.record.ratePlan,
      customerAccount: f.account.id,
      activationDate: riyadh(sim.activatedAt!),
      lastUpdated: riyadh(sim.updatedAt),
    }),
    numbering: [/^8996601\d{13}$/, /^42001\d{10}$/, /^9665[035]\d{7}$/],
    unknown: "89966010000000000000",
  },
  unknown: () => result(404, "E1002", "Subscription not found"),
  paging: {
    list: "/subscriptions",
    items: "subscriptions",
    window: ["offset=30&limit=30", { offset: 30, limit: 30, totalCount: 100 }],
    last: "offset=90&limit=30",
    defaults: { offset: 0, limit: 50 },
    tooBig: ["limit=201", result(400, "E1001", "limit must be between 1 and 200")],
    invalid: "offset=-1",
  },
  lifecycle: {
    accepted(answer) {
      const { transactionId } = answer.body as { transactionId: string };
      expect(transactionId).toMatch(/^TRX20260601\d{8}$/);
      expect(answer.location).toBe(`/api/v2/transactions/${transactionId}`);
    },
    pending: (f, transactionId, sim) => ({
      transactionId,
      type: "STATUS_CHANGE",
      iccid: sim.record.iccid,
      requestedStatus: "SUSPENDED",
      status: "PENDING",
      stage: "RECEIVED",
      createdAt: riyadh(f.clock.now()),
      updatedAt: riyadh(f.clock.now()),
      completedAt: null,
    }),
    secondStage: (plan) => ({
      status: "PENDING",
      stage: "PROVISIONING",
      updatedAt: riyadh(plan.stages[0]!.endsAt),
    }),
    done: (_sim, plan) => ({ status: "COMPLETED", stage: null, completedAt: riyadh(plan.endsAt) }),
    changed: (plan) => ({ status: "SUSPENDED", lastUpdated: riyadh(plan.endsAt) }),
  },
  failure: {
    durations: [2000, 60_000],
    polled: (sim) =>
      expect.objectContaining({
        status: "REJECTED",
        completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/),
        rejectionCode: "E3001",
        rejectionReason: `The network rejected the change of ${sim.record.iccid} to ACTIVE`,
      }),
  },
  refusal: {
    terminal: "TERMINATED",
    refused: result(409, "E1004", "Status change from TERMINATED to ACTIVE is not allowed"),
    conflict: { status: 409, body: { resultCode: "E1005" } },
  },
  parity: {
    failingStage: "PROVISIONING",
    ticket: /^TRX\d{16}$/,
    probe: [90, 250],
    outcomes: {
      probe: { ok: true, value: { items: { length: 10 } } },
      read: {
        ok: true,
        value: {
          status: "SUSPENDED",
          nativeStatus: "SUSPENDED",
          accountId: expect.any(String),
          startDate: expect.stringMatching(/Z$/),
          characteristics: expect.arrayContaining([
            { name: "ICCID", value: expect.stringMatching(/^8996601/) },
            { name: "MSISDN", value: expect.stringMatching(/^9665/) },
            { name: "dateUpdated", value: expect.stringMatching(WHOLE_SECONDS) },
          ]),
        },
      },
      failedPoll: {
        ok: true,
        value: {
          state: "FAILED",
          failure: { kind: "server-error", message: expect.stringContaining("rejected the change") },
        },
      },
      // 409 alone would read as a conflict: the result code says it is a forbidden transition.
      refused: { ok: false, failure: { kind: "invalid-transition", status: 409 } },
      missing: { ok: false, failure: { kind: "not-found", status: 404, message: "Subscription not found" } },
    },
  },
};
