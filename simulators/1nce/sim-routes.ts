import type { Context, Hono } from "hono";
import { readJson } from "../shared/http.js";
import type { PlatformRuntime } from "../shared/runtime.js";
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
  simOf,
  singleQuery,
  VERSIONS,
} from "./request.js";
import { findSims, parseFilter, parseSimSort } from "./sim-list.js";

/** `GET /sims?page&pageSize&q&sort`: identical in v1 and v2, a bare array with X-* paging headers. */
async function listSims(c: Context<NativeEnv>, runtime: PlatformRuntime): Promise<Response | NativeError> {
  const page = readPage(c, { param: "pageSize", fallback: 10, max: 100 });
  if (isError(page)) return page;
  const q = singleQuery(c, "q");
  if (isError(q)) return q;
  const sort = singleQuery(c, "sort");
  if (isError(sort)) return sort;
  const criteria = parseFilter(q);
  if (isError(criteria)) return criteria;
  const keys = parseSimSort(sort);
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
  version: ApiVersion,
): Promise<Response | NativeError> {
  const device = simOf(c, runtime);
  if (isError(device)) return device;
  const body = version === "v1" ? await readJson(c) : await readOptionalJson(c);
  if (!body.ok) return body.error;
  const edit = body.value === undefined ? {} : readSimEdit(body.value, version === "v1");
  if (isError(edit)) return edit;
  const refusal = refuseOtherIccid(edit, device) ?? applySimEdit(runtime, c.get("account"), device, edit);
  return refusal ?? c.body(null, 200);
}

export function simRoutes(app: Hono<NativeEnv>, { runtime, guard, fail }: NativeApiKit): void {
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
      handle(fail, (c) => {
        const device = simOf(c, runtime);
        return isError(device) ? device : c.json(nativeSim(device));
      }),
    );
    app.put(
      `${sims}/:iccid`,
      guard("changeStatus", { write: true }),
      handle(fail, (c) => updateSim(c, runtime, version)),
    );
  }
  // v1 only: v2 has no bulk update.
  app.post(
    `${BASE}/v1/sims`,
    guard("changeStatus", { write: true }),
    handle(fail, (c) => queueBulkUpdate(c, runtime)),
  );
}
