import { expect } from "vitest";
import { airlinq } from "../../simulators/airlinq/index.js";
import {
  type Answer,
  accessToken,
  clientCredentials,
  form,
  ISO,
  iso,
  send,
  type TicketDialect,
  ticketApi,
} from "./ticket-dialect-support.js";

/** An answer in the CMP's FAILURE envelope. */
const failure = (status: number, errorCode: string, errorMessage: string): Answer => ({
  status,
  retryAfter: null,
  location: null,
  body: { status: "FAILURE", errorCode, errorMessage },
});

export const AIRLINQ: TicketDialect = {
  definition: airlinq,
  ...ticketApi("/platforms/airlinq/cmp/api/v1", {
    method: "POST",
    path: () => "/sims/state-change",
    // A suspension says why, so the request shows a reason.
    body: (iccid, targetState) => ({
      iccids: [iccid],
      targetState,
      ...(targetState === "SUSPENDED" ? { reason: "Device returned" } : {}),
    }),
  }),
  async signIn(f) {
    const token = await accessToken(
      send(f, "/platforms/airlinq/cmp/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form(clientCredentials(f)),
      }),
    );
    return { authorization: `Bearer ${token}`, "content-type": "application/json" };
  },
  acceptedStatus: 202,
  ticketOf: (accepted) => accepted.body.requestId,
  ticketPath: (id) => `/requests/${id}`,
  simPath: (iccid) => `/sims/${iccid}`,
  forged: { status: "FAILURE", errorCode: "CMP-4010", errorMessage: "Invalid access token" },
  read: {
    view: (f, sim) => ({
      iccid: sim.record.iccid,
      imsi: sim.record.imsi,
      msisdn: sim.record.msisdn,
      imei: sim.record.imei,
      simState: "ACTIVE",
      plan: sim.record.ratePlan,
      accountId: f.account.id,
      activatedAt: iso(sim.activatedAt!),
      stateChangedAt: iso(sim.updatedAt),
    }),
    numbering: [/^8991874\d{13}$/, /^405857\d{9}$/, /^91[6-9]\d{9}$/],
    unknown: "89918740000000000000",
  },
  unknown: (iccid) => ({
    status: 404,
    retryAfter: null,
    location: null,
    body: {
      status: "FAILURE",
      errorCode: "CMP-4004",
      errorMessage: `SIM ${iccid} not found in this account`,
    },
  }),
  paging: {
    list: "/sims",
    items: "sims",
    window: ["pageNo=2&pageSize=30", { pageNo: 2, pageSize: 30, totalRecords: 100, totalPages: 4 }],
    last: "pageNo=4&pageSize=30",
    defaults: { pageNo: 1, pageSize: 50 },
    tooBig: ["pageSize=501", failure(400, "CMP-4001", "pageSize must be between 1 and 500")],
    invalid: "pageNo=0",
  },
  lifecycle: {
    accepted(answer) {
      expect(answer.body).toEqual({
        requestId: expect.stringMatching(/^[0-9a-f]{24}$/),
        status: "IN_PROGRESS",
      });
    },
    pending: (f, requestId, sim) => ({
      requestId,
      requestType: "STATE_CHANGE",
      targetState: "SUSPENDED",
      reason: "Device returned",
      status: "IN_PROGRESS",
      submittedAt: iso(f.clock.now()),
      completedAt: null,
      totalCount: 1,
      successCount: 0,
      failureCount: 0,
      results: [{ iccid: sim.record.iccid, status: "QUEUED", errorCode: null, errorMessage: null }],
    }),
    secondStage: () => ({ status: "IN_PROGRESS", results: [{ status: "PROCESSING" }] }),
    done: (sim, plan) => ({
      status: "SUCCESS",
      completedAt: iso(plan.endsAt),
      successCount: 1,
      results: [{ iccid: sim.record.iccid, status: "SUCCESS" }],
    }),
    changed: (plan) => ({ simState: "SUSPENDED", stateChangedAt: iso(plan.endsAt) }),
  },
  failure: {
    durations: [1000, 20_000],
    polled: (sim, requestId) => ({
      requestId,
      requestType: "STATE_CHANGE",
      targetState: "ACTIVE",
      reason: null,
      status: "FAILED",
      submittedAt: expect.stringMatching(ISO),
      completedAt: expect.stringMatching(ISO),
      totalCount: 1,
      successCount: 0,
      failureCount: 1,
      results: [
        {
          iccid: sim.record.iccid,
          status: "FAILED",
          errorCode: "CMP-5101",
          errorMessage: `The network did not confirm the change of ${sim.record.iccid} to ACTIVE`,
        },
      ],
    }),
  },
  refusal: {
    terminal: "TERMINATED",
    refused: failure(422, "CMP-4002", "Status change from TERMINATED to ACTIVE is not allowed"),
    conflict: { status: 409, body: { errorCode: "CMP-4009" } },
  },
  parity: {
    failingStage: "PROCESSING",
    ticket: /^[0-9a-f]{24}$/,
    probe: [95, 10],
    extras: async (h, account, suspended) => ({
      transfer: await h.adapter.transfer(account, suspended, account),
    }),
    outcomes: {
      probe: { ok: true, value: { items: { length: 5 } } },
      read: {
        ok: true,
        value: {
          status: "SUSPENDED",
          nativeStatus: "SUSPENDED",
          msisdn: expect.stringMatching(/^91\d{10}$/),
          characteristics: expect.arrayContaining([
            { name: "ICCID", value: expect.stringMatching(/^8991874/) },
            { name: "IMSI", value: expect.stringMatching(/^405857/) },
            { name: "dateUpdated", value: expect.stringMatching(ISO) },
          ]),
          connectivity: [
            { name: "networkProvider", value: "Reliance Jio" },
            { name: "ratePlan", value: expect.any(String) },
          ],
        },
      },
      failedPoll: { ok: true, value: { state: "FAILED", failure: { kind: "server-error", status: 200 } } },
      refused: {
        ok: false,
        failure: { kind: "invalid-transition", status: 422, message: expect.stringContaining("TERMINATED") },
      },
      missing: { ok: false, failure: { kind: "not-found", status: 404 } },
      transfer: { ok: false, failure: { kind: "invalid-transition" } },
    },
  },
};
