import type { Context, Hono } from "hono";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { isError } from "./errors.js";
import { eventV1, eventV2 } from "./event-views.js";
import { eventsOf } from "./events.js";
import { type ApiVersion, BASE, pagingHeaders, readLogQuery, simRoute, VERSIONS } from "./request.js";
import { sortBy } from "./sort.js";

/** v1 sorts events (`-timestamp,id` is its example); v2 has no `sort`. */
const EVENT_SORT_FIELDS = ["timestamp", "id"] as const;

/**
 * `GET /sims/{iccid}/events?page&pageSize` (1–1000, default 10), oldest first unless sorted. Both
 * versions send the X-* paging headers (each documents the totals "in the response header"); v1
 * also wraps the page in `{events, totalEvents, totalPages}`, v2 answers a bare array.
 */
async function listEvents(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  device: Device,
  version: ApiVersion,
): Promise<Response | NativeError> {
  const query = readLogQuery(
    c,
    { param: "pageSize", fallback: 10, max: 1000 },
    version === "v1"
      ? EVENT_SORT_FIELDS
      : { refused: "v2 events come oldest first and cannot be sorted (v1 can)" },
  );
  if (isError(query)) return query;
  const { page, keys } = query;
  const events = sortBy(await eventsOf(runtime, device), keys, (e, field) =>
    field === "id" ? Number(e.id) : e.at,
  );
  const shown = events.slice(page.offset, page.offset + page.size);
  const headers = pagingHeaders(events.length, page);
  if (version === "v2") {
    const account = c.get("account");
    return c.json(
      shown.map((e) => eventV2(e, device, account)),
      200,
      headers,
    );
  }
  return c.json(
    {
      events: shown.map((e) => eventV1(e, device)),
      totalEvents: events.length,
      totalPages: Math.ceil(events.length / page.size),
    },
    200,
    headers,
  );
}

export function eventRoutes(app: Hono<NativeEnv>, kit: NativeApiKit): void {
  for (const version of VERSIONS)
    app.get(
      `${BASE}/${version}/sims/:iccid/events`,
      kit.guard("read"),
      simRoute(kit, (c, device) => listEvents(c, kit.runtime, device, version)),
    );
}
