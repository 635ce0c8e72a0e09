import { beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../../simulators/registry.js";
import { ProductDirectory } from "../../../src/cmo/directory.js";
import type { ProductRef } from "../../../src/cmo/ids.js";
import { MonitorBook } from "../../../src/cmo/monitors.js";
import type { CustomProperty } from "../../../src/cmo/products.js";
import { CmoService, type RecordedRequest } from "../../../src/cmo/service.js";
import type { PlatformCode } from "../../../src/config/schema.js";
import { VirtualClock } from "../../../src/engine/clock.js";
import { ProblemError } from "../../../src/http/problem.js";
import { MemoryStore } from "../../../src/store/store.js";
import { TablePlatform, tableGateway } from "./table-platform.js";

const NATIVE = "89490200001234567890";
const SCOPE = { tenant: "eos", base: "https://cmo.example/v5/eos" };
const REQUEST: RecordedRequest = { method: "PATCH", body: [], headers: [] };
const SETTINGS = { retentionMs: 60_000, pollFirstMs: 1_000, pollMaxMs: 8_000, giveUpAfterMs: 3_600_000 };

let clock: VirtualClock;
let tmsp: TablePlatform;
let jasper: TablePlatform;
let service: CmoService;
let monitors: MonitorBook;

/** The simCard sub-product, or the composite product where `composite`. */
function ref(platform: PlatformCode, composite = false): ProductRef {
  const definition = PLATFORMS.find((p) => p.code === platform)!;
  const sub = composite ? undefined : "simCard";
  return { platform, definition, nativeId: NATIVE, compositeId: `${platform}-${NATIVE}`, sub };
}

async function refusal(change: Promise<unknown>): Promise<ProblemError> {
  const error = await change.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return error as ProblemError;
}

const suspend = (platform: PlatformCode) =>
  service.patch(SCOPE, ref(platform), { kind: "status", target: "SUSPENDED" }, REQUEST);

beforeEach(() => {
  clock = new VirtualClock(Date.UTC(2026, 4, 5, 10));
  tmsp = new TablePlatform();
  jasper = new TablePlatform();
  jasper.changes = "done";
  const gateway = tableGateway({ TMSP: tmsp, JASPER: jasper }, [
    { platform: "TMSP", id: "t1", name: "TMSP one", size: 1 },
    { platform: "TMSP", id: "t2", name: "TMSP two", size: 0 },
    { platform: "JASPER", id: "j1", name: "Jasper one", size: 1 },
  ]);
  tmsp.device("t1", NATIVE, "ACTIVE");
  jasper.device("j1", NATIVE, "ACTIVE");
  const store = new MemoryStore();
  const directory = new ProductDirectory(store, () => gateway);
  monitors = new MonitorBook(
    store,
    clock,
    () => gateway,
    directory,
    () => SETTINGS,
  );
  service = new CmoService(
    clock,
    directory,
    monitors,
    store.collection<CustomProperty[]>("customProperties"),
  );
});

describe("CmoService through its platform gateway", () => {
  it("answers an async platform's change with a monitor that holds the product; a second change is a 409 naming it", async () => {
    const result = await suspend("TMSP");
    if (result.kind !== "async") throw new Error("expected a monitor");
    expect(result.monitor.entries[0]).toMatchObject({
      state: "IN_PROGRESS",
      ticket: "ticket-1",
      accountId: "t1",
    });
    expect(result.productPath).toBe(`product/TMSP-${NATIVE}-simCard`);
    const busy = await refusal(suspend("TMSP"));
    expect(busy.status).toBe(409);
    expect(busy.headers.link).toBe(
      `<${SCOPE.base}/monitor/${result.monitor.id}>; rel="related"; title="monitor"`,
    );
    expect(
      tmsp.calls.filter((call) => call.startsWith("change")),
      "the 409 never reaches the platform",
    ).toHaveLength(1);

    tmsp.tickets.set("ticket-1", "DONE");
    await clock.advance(SETTINGS.pollFirstMs);
    expect((await service.monitor(SCOPE, result.monitor.id)).entries[0]?.state).toBe("DONE");
    expect(await monitors.inFlightCount(), "a finished monitor releases the product").toBe(0);
  });

  it("answers a sync platform's change with the device at once, and keeps no claim", async () => {
    const result = await suspend("JASPER");
    if (result.kind !== "sync") throw new Error("expected a product body");
    expect(result.body).toMatchObject({ status: "SUSPENDED" });
    expect(await monitors.inFlightCount()).toBe(0);
  });

  it("checks the transitions of the platform's live CMO policy before asking the platform", async () => {
    tmsp.rules = { ...tmsp.rules, transitions: { ACTIVE: ["TERMINATED"] } };
    const refused = await refusal(suspend("TMSP"));
    expect(refused).toMatchObject({ status: 400, title: "Invalid Action" });
    expect(refused.detail).toBe("TMSP does not allow ACTIVE → SUSPENDED; from ACTIVE it allows TERMINATED");
    expect(tmsp.calls.some((call) => call.startsWith("change"))).toBe(false);
    expect(await monitors.inFlightCount(), "a refused change releases its claim").toBe(0);
  });

  it("moves a product between accounts only where the policy allows transfers", async () => {
    const transfer = () =>
      service.patch(SCOPE, ref("TMSP", true), { kind: "transfer", targetAccountId: "t2" }, REQUEST);
    const refused = await refusal(transfer());
    expect(refused.detail).toBe("TMSP does not support moving products between accounts");
    tmsp.rules = { ...tmsp.rules, transfer: true };
    const accepted = await transfer();
    expect(accepted.kind).toBe("async");
    expect(tmsp.calls).toContain(`transfer ${NATIVE} t1 t2`);
  });

  it("shows a product with a change in flight as PENDING_, and custom properties never reach the platform", async () => {
    tmsp.rules = { ...tmsp.rules, transitions: { SUSPENDED: ["ACTIVE"] } };
    tmsp.device("t1", NATIVE, "SUSPENDED");
    await service.patch(SCOPE, ref("TMSP"), { kind: "status", target: "ACTIVE" }, REQUEST);
    expect(await service.read(SCOPE, ref("TMSP"))).toMatchObject({ status: "PENDING_ACTIVE" });
    const calls = tmsp.calls.length;
    const site = { name: "site", value: "Bonn" };
    const patched = await service.patch(
      SCOPE,
      ref("TMSP"),
      { kind: "customProperty", apply: () => [site] },
      REQUEST,
    );
    expect(patched).toMatchObject({ kind: "sync", body: { customProperty: [site] } });
    expect(tmsp.calls.slice(calls).every((call) => call.startsWith("get"))).toBe(true);
  });
});
