import { expect } from "vitest";
import { turkcell } from "../../simulators/turkcell/index.js";
import {
  type Answer,
  accessToken,
  clientCredentials,
  send,
  type TicketDialect,
  ticketApi,
  WHOLE_SECONDS,
} from "./ticket-dialect-support.js";

/** `ms` as Turkcell writes it: Istanbul wall time (UTC+3), no zone. */
export const istanbul = (ms: number) =>
  new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
export const OK = { resultCode: "0", resultDescription: "SUCCESS" };

/** Turkcell's answer to a refused call: HTTP 200, the refusal in the header. */
export const turkcellRefusal = (resultCode: string, resultDescription: string): Answer => ({
  status: 200,
  retryAfter: null,
  location: null,
  body: { header: { resultCode, resultDescription }, body: null },
});

export const TURKCELL: TicketDialect = {
  definition: turkcell,
  ...ticketApi("/platforms/turkcell/m2m/v1", {
    method: "POST",
    path: (iccid) => `/lines/${iccid}/status`,
    body: (_iccid, targetStatus) => ({ targetStatus }),
  }),
  async signIn(f) {
    const token = await accessToken(
      send(f, "/platforms/turkcell/m2m/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(clientCredentials(f)),
      }),
    );
    return { authorization: `Bearer ${token}`, "content-type": "application/json" };
  },
  acceptedStatus: 200,
  ticketOf: (accepted) => accepted.body.body.orderId,
  ticketPath: (id) => `/orders/${id}`,
  simPath: (iccid) => `/lines/${iccid}`,
  forged: { header: { resultCode: "9401", resultDescription: "Invalid access token" }, body: null },
  read: {
    view: (_f, sim) => ({
      header: OK,
      body: {
        iccid: sim.record.iccid,
        msisdn: sim.record.msisdn!.slice(2),
        imsi: sim.record.imsi,
        lineStatus: "ACTIVE",
        tariff: sim.record.ratePlan,
        activationDate: istanbul(sim.activatedAt!),
      },
    }),
    numbering: [/^899001\d{14}$/, /^28601\d{10}$/, /^9053[0-6]\d{7}$/],
    unknown: "89900100000000000000",
  },
  unknown: (iccid) => turkcellRefusal("1001", `Line ${iccid} not found`),
  paging: {
    list: "/lines",
    items: "lines",
    page(body) {
      expect(body.header).toEqual(OK);
      return body.body;
    },
    window: ["pageIndex=1&pageSize=30", { pageIndex: 1, pageSize: 30, totalCount: 100, totalPages: 4 }],
    last: "pageIndex=3&pageSize=30",
    defaults: { pageIndex: 0, pageSize: 20 },
    tooBig: ["pageSize=101", turkcellRefusal("1000", "pageSize must be between 1 and 100")],
  },
  lifecycle: {
    accepted(answer) {
      expect(answer).toEqual({
        status: 200,
        retryAfter: null,
        location: null,
        body: { header: OK, body: { orderId: expect.stringMatching(/^3\d{9}$/) } },
      });
    },
    pending: (f, orderId, sim) => ({
      header: OK,
      body: {
        orderId,
        orderType: "LINE_STATUS_CHANGE",
        iccid: sim.record.iccid,
        targetStatus: "SUSPENDED",
        orderStatus: "WAITING",
        createDate: istanbul(f.clock.now()),
        updateDate: istanbul(f.clock.now()),
      },
    }),
    secondStage: () => ({ body: { orderStatus: "IN_PROCESS" } }),
    done: (_sim, plan) => ({ body: { orderStatus: "COMPLETED", updateDate: istanbul(plan.endsAt) } }),
    changed: () => ({ body: { lineStatus: "SUSPENDED" } }),
  },
  failure: {
    durations: [1000, 10_000],
    polled: (sim) => ({
      header: OK,
      body: expect.objectContaining({
        orderStatus: "ERROR",
        errorCode: "2001",
        errorDescription: `Network provisioning of ACTIVE failed for line ${sim.record.iccid}`,
      }),
    }),
  },
  refusal: {
    terminal: "CANCELLED",
    refused: turkcellRefusal("1003", "Status change from CANCELLED to ACTIVE is not allowed"),
    conflict: { body: { header: { resultCode: "1004" } } },
  },
  parity: {
    failingStage: "IN_PROCESS",
    ticket: /^3\d{9}$/,
    probe: [150, 30],
    inFlight: true,
    outcomes: {
      probe: expect.objectContaining({ ok: true, value: { items: [], total: 100 } }),
      whilePending: { ok: false, failure: { kind: "conflict", status: 200 } },
      read: {
        ok: true,
        value: {
          status: "SUSPENDED",
          nativeStatus: "SUSPENDED",
          msisdn: expect.stringMatching(/^9053\d{8}$/),
          startDate: expect.stringMatching(WHOLE_SECONDS),
          characteristics: expect.arrayContaining([
            { name: "ICCID", value: expect.stringMatching(/^899001/) },
          ]),
          connectivity: [
            { name: "networkProvider", value: "Turkcell" },
            { name: "tariff", value: expect.any(String) },
          ],
        },
      },
      failedPoll: { ok: true, value: { state: "FAILED", failure: { kind: "server-error", status: 200 } } },
      refused: {
        ok: false,
        failure: { kind: "invalid-transition", status: 200, message: expect.stringContaining("CANCELLED") },
      },
      missing: { ok: false, failure: { kind: "not-found", status: 200 } },
    },
  },
};
