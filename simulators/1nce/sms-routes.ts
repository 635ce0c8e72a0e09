import type { Context, Hono } from "hono";
import type { LogEntry } from "../shared/device-log.js";
import { badRequest, notFound, readJson } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { isError } from "./errors.js";
import {
  type ApiVersion,
  BASE,
  foreignParam,
  type PageRequest,
  type PageSize,
  pagingHeaders,
  readLogQuery,
  simRoute,
  VERSIONS,
} from "./request.js";
import { cancelSms, findSms, smsOf, smsPhase, storedSms, submitSms } from "./sms.js";
import { readSmsRequest } from "./sms-request.js";
import { SMS_STATUS_IDS, smsV1, smsV2 } from "./sms-views.js";
import { type SortValue, sortBy } from "./sort.js";

/** Ours: 1NCE's v1 example (`status,ip_address`) looks copied from the SIM list; these are SMS fields. */
const SMS_SORT_FIELDS = ["id", "submit_date", "delivery_date", "final_date", "status"] as const;
type SmsField = (typeof SMS_SORT_FIELDS)[number];

/** What differs between the versions' SMS endpoints; the messages underneath are the same. */
interface SmsFace {
  size: PageSize;
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

function sortValue(entry: LogEntry, field: SmsField, now: number): SortValue {
  if (field === "id") return Number(entry.id);
  const sms = storedSms(entry);
  if (field === "submit_date") return sms.submittedAt;
  const { phase, finalAt } = smsPhase(sms, now);
  if (field === "status") return SMS_STATUS_IDS[phase];
  if (field === "final_date") return finalAt;
  // delivery_date: a delivered message's final date is its delivery.
  return phase === "DELIVERED" ? finalAt : undefined;
}

async function listSms(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  device: Device,
  face: SmsFace,
): Promise<Response | NativeError> {
  const foreign = foreignParam(c, face.otherSize, `the page size here is ${face.size.param}`);
  if (foreign) return foreign;
  const query = readLogQuery(
    c,
    face.size,
    face.sortable ? SMS_SORT_FIELDS : { refused: "v2 lists SMS oldest first and cannot sort them (v1 can)" },
  );
  if (isError(query)) return query;
  const { page, keys } = query;
  const now = runtime.now();
  const all = sortBy(await smsOf(runtime, device), keys, (e, field) => sortValue(e, field, now));
  const shown = all.slice(page.offset, page.offset + page.size).map((e) => face.render(e, device, now));
  return c.json(shown, 200, face.listHeaders(all.length, page));
}

/** The message the path names, of the SIM it names; ids are numbers in both versions. */
async function messageOf(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  device: Device,
): Promise<LogEntry | NativeError> {
  const id = c.req.param("id") ?? "";
  if (!/^\d{1,15}$/.test(id)) return badRequest(`Cannot parse parameter id: ${id} is not a number`);
  return (
    (await findSms(runtime, device, String(Number(id)))) ??
    notFound(`SMS ${id} of SIM ${c.req.param("iccid")} not found`)
  );
}

export function smsRoutes(app: Hono<NativeEnv>, kit: NativeApiKit): void {
  const { runtime, guard } = kit;
  for (const version of VERSIONS) {
    const face = FACES[version];
    const path = `${BASE}/${version}/sims/:iccid/sms`;
    app.get(
      path,
      guard("read"),
      simRoute(kit, (c, device) => listSms(c, runtime, device, face)),
    );
    app.post(
      path,
      guard("changeStatus", { write: true }),
      simRoute(kit, async (c, device) => {
        const body = await readJson(c);
        if (!body.ok) return body.error;
        const request = readSmsRequest(body.value, runtime.now());
        if (isError(request)) return request;
        const entry = await submitSms(runtime, c.get("account"), device, request);
        return isError(entry) ? entry : face.answer(c, 201, entry.id);
      }),
    );
    app.get(
      `${path}/:id`,
      guard("read"),
      simRoute(kit, async (c, device) => {
        const entry = await messageOf(c, runtime, device);
        return isError(entry) ? entry : c.json(face.render(entry, device, runtime.now()));
      }),
    );
    app.delete(
      `${path}/:id`,
      guard("changeStatus", { write: true }),
      simRoute(kit, async (c, device) => {
        const entry = await messageOf(c, runtime, device);
        if (isError(entry)) return entry;
        return (await cancelSms(runtime, c.get("account"), device, entry)) ?? face.answer(c, 200, entry.id);
      }),
    );
  }
}
