import type { Context, Hono } from "hono";
import type { LogEntry } from "../shared/device-log.js";
import { readJson } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { badRequest, isError, notFound } from "./errors.js";
import {
  type ApiVersion,
  BASE,
  foreignParam,
  handle,
  type PageRequest,
  pagingHeaders,
  readPage,
  simOf,
  singleQuery,
  VERSIONS,
} from "./request.js";
import { cancelSms, findSms, smsOf, smsPhase, storedSms, submitSms } from "./sms.js";
import { readSmsRequest } from "./sms-request.js";
import { smsStatusId, smsV1, smsV2 } from "./sms-views.js";
import { parseSort, type SortKey, sortBy } from "./sort.js";

/** Ours: 1NCE's v1 example (`status,ip_address`) looks copied from the SIM list; these are SMS fields. */
const SMS_SORT_FIELDS = ["id", "submit_date", "delivery_date", "final_date", "status"] as const;
type SmsField = (typeof SMS_SORT_FIELDS)[number];

/** What differs between the versions' SMS endpoints; the messages underneath are the same. */
interface SmsFace {
  size: { param: string; fallback: number; max: number };
  /** The other version's page-size name, refused here so it is not silently ignored. */
  otherSize: string;
  sortable: boolean;
  render(entry: LogEntry, device: Device, now: number): unknown;
  listHeaders(total: number, page: PageRequest): Record<string, string> | undefined;
  /** v1 answers 201/200 without a body, v2 with `{id}`. */
  answer(c: Context, status: 200 | 201, id: string): Response;
}

const FACES: Record<ApiVersion, SmsFace> = {
  v1: {
    size: { param: "pageSize", fallback: 10, max: 100 },
    otherSize: "per_page",
    sortable: true,
    render: smsV1,
    // Its `page` parameter says the totals are "listed in the response header".
    listHeaders: pagingHeaders,
    answer: (c, status) => c.body(null, status),
  },
  v2: {
    size: { param: "per_page", fallback: 20, max: 1000 },
    otherSize: "pageSize",
    sortable: false,
    render: smsV2,
    listHeaders: () => undefined,
    answer: (c, status, id) => c.json({ id }, status),
  },
};

function sortValue(entry: LogEntry, field: SmsField, now: number): number | null {
  const sms = storedSms(entry);
  const { phase, finalAt } = smsPhase(sms, now);
  if (field === "id") return Number(entry.id);
  if (field === "submit_date") return sms.submittedAt;
  if (field === "delivery_date") return phase === "DELIVERED" ? sms.deliverAt : null;
  if (field === "final_date") return finalAt;
  return smsStatusId(entry, now);
}

async function listSms(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  face: SmsFace,
): Promise<Response | NativeError> {
  const device = simOf(c, runtime);
  if (isError(device)) return device;
  const foreign = foreignParam(c, face.otherSize, `the page size here is ${face.size.param}`);
  if (foreign) return foreign;
  const page = readPage(c, face.size);
  if (isError(page)) return page;
  let keys: Array<SortKey<SmsField>> = [];
  if (face.sortable) {
    const sort = singleQuery(c, "sort");
    if (isError(sort)) return sort;
    const parsed = parseSort(sort, SMS_SORT_FIELDS);
    if (isError(parsed)) return parsed;
    keys = parsed;
  } else {
    const refused = foreignParam(c, "sort", "v2 lists SMS oldest first and cannot sort them (v1 can)");
    if (refused) return refused;
  }
  const now = runtime.now();
  const all = sortBy(smsOf(runtime, device), keys, (e, field) => sortValue(e, field, now));
  const shown = all.slice(page.offset, page.offset + page.size).map((e) => face.render(e, device, now));
  return c.json(shown, 200, face.listHeaders(all.length, page));
}

/** The message the path names, of the SIM it names; ids are numbers in both versions. */
function messageOf(c: Context<NativeEnv>, runtime: PlatformRuntime): [Device, LogEntry] | NativeError {
  const device = simOf(c, runtime);
  if (isError(device)) return device;
  const id = c.req.param("id") ?? "";
  if (!/^\d{1,15}$/.test(id)) return badRequest(`Cannot parse parameter id: ${id} is not a number`);
  const entry = findSms(runtime, device, String(Number(id)));
  return entry ? [device, entry] : notFound(`SMS ${id} of SIM ${c.req.param("iccid")} not found`);
}

export function smsRoutes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
  for (const version of VERSIONS) {
    const face = FACES[version];
    const path = `${BASE}/${version}/sims/:iccid/sms`;
    app.get(
      path,
      guard("read"),
      handle(fail, (c) => listSms(c, runtime, face)),
    );
    app.post(
      path,
      guard("changeStatus", { write: true }),
      handle(fail, async (c) => {
        const device = simOf(c, runtime);
        if (isError(device)) return device;
        const body = await readJson(c);
        if (!body.ok) return body.error;
        const request = readSmsRequest(body.value, runtime.now());
        if (isError(request)) return request;
        const entry = submitSms(runtime, c.get("account"), device, request);
        return isError(entry) ? entry : face.answer(c, 201, entry.id);
      }),
    );
    app.get(
      `${path}/:id`,
      guard("read"),
      handle(fail, (c) => {
        const found = messageOf(c, runtime);
        return isError(found) ? found : c.json(face.render(found[1], found[0], runtime.now()));
      }),
    );
    app.delete(
      `${path}/:id`,
      guard("changeStatus", { write: true }),
      handle(fail, (c) => {
        const found = messageOf(c, runtime);
        if (isError(found)) return found;
        const refusal = cancelSms(runtime, c.get("account"), found[0], found[1]);
        return refusal ?? face.answer(c, 200, found[1].id);
      }),
    );
  }
}
