import type { Context, Hono } from "hono";
import { readJson } from "../shared/http.js";
import type { Device, PlatformRuntime } from "../shared/runtime.js";
import type { NativeApiKit, NativeEnv, NativeError } from "../shared/types.js";
import { queueBulkUpdate } from "./bulk.js";
import { applySimEdit, readSimEdit, refuseOtherIccid } from "./edit.js";
import { isError } from "./errors.js";
import { nativeSim } from "./model.js";
import {
  type ApiVersion,
  BASE,
  handle,
  pagingHeaders,
  readOptionalJson,
  readPage,
  simRoute,
  singleQuery,
  sortParam,
  VERSIONS,
} from "./request.js";
import { findSims, parseFilter, SIM_FIELDS } from "./sim-list.js";

/** `GET /sims?page&pageSize&q&sort`: identical in v1 and v2, a bare array with X-* paging headers. */
async function listSims(c: Context<NativeEnv>, runtime: PlatformRuntime): Promise<Response | NativeError> {
  const page = readPage(c, { param: "pageSize", fallback: 10, max: 100 });
  if (isError(page)) return page;
  const q = singleQuery(c, "q");
  if (isError(q)) return q;
  const criteria = parseFilter(q);
  if (isError(criteria)) return criteria;
  const keys = sortParam(c, SIM_FIELDS);
  if (isError(keys)) return keys;
  const { total, devices } = await findSims(runtime, c.get("account").id, {
    criteria,
    keys,
    offset: page.offset,
    limit: page.size,
  });
  return c.json(devices.map(nativeSim), 200, pagingHeaders(total, page));
}

/**
 * `PUT /sims/{iccid}`, applied at once with a bodiless 200. The versions differ only in what the
 * body must hold: v1 marks `status` required, v2 nothing (not even a body).
 */
async function updateSim(
  c: Context<NativeEnv>,
  runtime: PlatformRuntime,
  device: Device,
  version: ApiVersion,
): Promise<Response | NativeError> {
  const body = version === "v1" ? await readJson(c) : await readOptionalJson(c);
  if (!body.ok) return body.error;
  const edit = body.value === undefined ? {} : readSimEdit(body.value, version === "v1");
  if (isError(edit)) return edit;
  const refusal =
    refuseOtherIccid(edit, device) ?? (await applySimEdit(runtime, c.get("account"), device, edit));
  return refusal ?? c.body(null, 200);
}

export function simRoutes(app: Hono<NativeEnv>, kit: NativeApiKit): void {
  const { runtime, guard, fail } = kit;
  for (const version of VERSIONS) {
    const sims = `${BASE}/${version}/sims`;
    app.get(
      sims,
      guard("list"),
      handle(fail, (c) => listSims(c, runtime)),
    );
    app.get(
      `${sims}/:iccid`,
      guard("read"),
      simRoute(kit, (c, device) => c.json(nativeSim(device))),
    );
    app.put(
      `${sims}/:iccid`,
      guard("changeStatus", { write: true }),
      simRoute(kit, (c, device) => updateSim(c, runtime, device, version)),
    );
  }
  // v1 only: v2 has no bulk update.
  app.post(
    `${BASE}/v1/sims`,
    guard("changeStatus", { write: true }),
    handle(fail, (c) => queueBulkUpdate(c, runtime)),
  );
}
