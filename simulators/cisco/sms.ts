import type { Context, Hono } from "hono";
import { durationSampler } from "../../src/engine/latency.js";
import { readJson } from "../shared/http.js";
import type { Device, NativeAccount, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv } from "../shared/types.js";
import { cycleStart } from "./cycle.js";
import { badParameter, CODES, ccError, invalidIccid, malformedJson, missingParameter } from "./errors.js";
import {
  dateTimeParam,
  NO_PARAMS,
  PAGING_PARAMS,
  PARTIAL,
  pageOf,
  partial,
  readPaging,
  refuseOtherAccount,
  refuseUnknown,
} from "./query.js";
import { responder } from "./respond.js";
import {
  ENCODINGS,
  type Encoding,
  modifiedAt,
  readSendRequest,
  SMS,
  type SmsData,
  smsDetails,
  validityMs,
} from "./sms-message.js";

/** Statuses in which a SIM receives SMS: activated, or on its free test allowance. */
const RECEIVING = new Set(["ACTIVATED", "TEST_READY"]);
/** SMSC to handset, scaled by the run's time scale like every drawn duration. Invented. */
const DELIVERY = { type: "range", min: 1_000, max: 20_000 } as const;
const SEARCH_PARAMS = new Set<string>([
  "fromDate",
  "toDate",
  "accountId",
  "iccid",
  "msgType",
  ...PAGING_PARAMS,
]);
const DETAIL_PARAMS = new Set<string>(["messageEncoding", PARTIAL]);

const unknownMessage = () =>
  ccError("not-found", 404, CODES.notFound, "Resource not found - Invalid smsMsgId");

/** Messages of the device in the cycle so far, both ways: Get Device Usage's `ctdSMSUsage`. */
export async function smsThisCycle(runtime: PlatformRuntime, device: Device, now: number): Promise<number> {
  return (
    await runtime.logs.find(SMS, { nativeId: device.record.nativeId, since: cycleStart(now), until: now })
  ).length;
}

/** Send SMS: the message is stored with its fate drawn now, delivered or expired as the clock passes. */
async function send(c: Context<NativeEnv>, runtime: PlatformRuntime, device: Device) {
  const refused = refuseUnknown(c, NO_PARAMS);
  if (refused) return refused;
  const body = await readJson(c);
  if (!body.ok) return body.error.status === 400 ? malformedJson() : body.error;
  const request = readSendRequest(body.value);
  if ("kind" in request) return request;
  const account = c.get("account");
  const now = runtime.now();
  const nativeId = device.record.nativeId;
  const expiresAt = now + validityMs(request.tpvp);
  const stream = runtime.options.random.next(runtime.code, "sms", nativeId);
  const deliverAt = now + durationSampler(DELIVERY, runtime.options.timeScale)(stream);
  const data: SmsData = {
    msgType: "MT",
    messageText: request.messageText,
    messageEncoding: request.messageEncoding,
    dataCoding: request.dataCoding,
    senderLogin: account.username,
    sentTo: device.record.msisdn as string,
    sentFrom: "Server",
    // A SIM that cannot receive now keeps the message pending until its validity ends.
    deliverAt: RECEIVING.has(device.nativeStatus) && deliverAt <= expiresAt ? deliverAt : null,
    expiresAt,
  };
  const entry = await runtime.logs.append(SMS, { accountId: account.id, nativeId, at: now, data });
  return { smsMsgId: Number(entry.id) };
}

/** The device a search names, which must belong to the caller. */
async function namedDevice(c: Context, runtime: PlatformRuntime, account: NativeAccount) {
  const iccid = c.req.query("iccid");
  if (iccid === undefined) return undefined;
  return (await runtime.findDevice(account.id, iccid)) ?? invalidIccid();
}

/** Search SMS: the caller's messages sent or received in [fromDate, toDate], oldest change first. */
async function search(c: Context<NativeEnv>, runtime: PlatformRuntime) {
  const refused = refuseUnknown(c, SEARCH_PARAMS);
  if (refused) return refused;
  const account = c.get("account");
  const since = dateTimeParam(c, "fromDate");
  if (since === undefined) return missingParameter("One or more required fields are missing: fromDate.");
  if (typeof since === "object") return since;
  const now = runtime.now();
  const until = dateTimeParam(c, "toDate") ?? now;
  if (typeof until === "object") return until;
  const otherAccount = refuseOtherAccount(c, account);
  if (otherAccount) return otherAccount;
  const device = await namedDevice(c, runtime, account);
  if (device && "kind" in device) return device;
  const msgType = c.req.query("msgType");
  if (msgType !== undefined && msgType !== "MO" && msgType !== "MT")
    return badParameter(`MsgType ${msgType} is invalid.`);
  const paging = readPaging(c);
  if ("kind" in paging) return paging;

  const found = (
    await runtime.logs.find(SMS, { accountId: account.id, nativeId: device?.record.nativeId, since, until })
  )
    .filter((entry) => msgType === undefined || (entry.data as SmsData).msgType === msgType)
    .map((entry) => ({ id: Number(entry.id), modified: modifiedAt(entry, now) }))
    .sort((a, b) => a.modified - b.modified || a.id - b.id);
  const page = pageOf(found, paging);
  return { smsMsgIds: page.items.map((m) => m.id), pageNumber: paging.pageNumber, lastPage: page.lastPage };
}

/** Get SMS Details of one of the caller's messages. */
async function details(c: Context<NativeEnv>, runtime: PlatformRuntime) {
  const refused = refuseUnknown(c, DETAIL_PARAMS);
  if (refused) return refused;
  const encoding = (c.req.query("messageEncoding") ?? "LITERAL") as Encoding;
  if (!ENCODINGS.includes(encoding))
    return ccError("bad-request", 400, CODES.invalidMessageEncoding, "Invalid messageEncoding.");
  const id = c.req.param("smsMsgId") ?? "";
  const entry = /^\d{1,15}$/.test(id) ? await runtime.logs.get(SMS, String(Number(id))) : undefined;
  if (!entry || entry.accountId !== c.get("account").id) return unknownMessage();
  return partial(c, smsDetails(entry, entry.nativeId, encoding, runtime.now()));
}

/** The SMS functions: send to a device, search, read one. */
export function smsRoutes(
  app: Hono<NativeEnv>,
  { runtime, guard, fail }: NativeApiKit,
  base: string,
  deviceOf: (c: Context<NativeEnv>) => Promise<Device | undefined>,
): void {
  const answer = responder(fail);

  // Control Center's writes share one operation profile: a message counts as a change.
  app.post(`${base}/devices/:iccid/smsMessages`, guard("changeStatus", { write: true }), async (c) => {
    const device = await deviceOf(c);
    return device ? answer(c, await send(c, runtime, device)) : fail(c, invalidIccid());
  });
  app.get(`${base}/smsMessages`, guard("list"), async (c) => answer(c, await search(c, runtime)));
  app.get(`${base}/smsMessages/:smsMsgId`, guard("read"), async (c) => answer(c, await details(c, runtime)));
}
