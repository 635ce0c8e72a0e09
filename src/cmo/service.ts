import { randomUUID } from "node:crypto";
import type { CmoStatus } from "../config/schema.js";
import type { Clock } from "../engine/clock.js";
import { type Problem, ProblemError, problem } from "../http/problem.js";
import type { Collection } from "../store/store.js";
import { acceptedEntry, checkTransition, failedEntry, propertiesEntry } from "./changes.js";
import { type Claimed, type Scope, withClaim } from "./claims.js";
import type { Located, ProductDirectory } from "./directory.js";
import { failureToProblem } from "./failures.js";
import { deviceSubProduct, type ProductRef, parseProductId, platformsIssuing } from "./ids.js";
import { Interned } from "./interned.js";
import type { MonitorEntry, MonitorRecord } from "./monitor-model.js";
import type { MonitorBook } from "./monitors.js";
import type { PatchIntent } from "./patch.js";
import {
  type CustomProperty,
  compositeProduct,
  deviceProduct,
  type RenderContext,
  subProduct,
} from "./products.js";

type Json = Record<string, unknown>;

/**
 * What many monitors repeat is held once: the request a client sends again and again, and each
 * answer header a platform repeats (all but the Location naming the ticket, say).
 */
const requests = new Interned();
const answerHeaders = new Interned();

export interface RecordedRequest {
  method: string;
  body: unknown;
  headers: Array<{ name: string; value: string }>;
}

export type ChangeResult =
  | { kind: "sync"; body: Json }
  | { kind: "async"; monitor: MonitorRecord; productPath: string };

/**
 * CMO semantics over the platform adapters: reading and listing products, status changes with
 * per-platform rules, custom properties kept in the CMO, transfers and batches with monitors.
 */
export class CmoService {
  constructor(
    private readonly clock: Clock,
    private readonly directory: ProductDirectory,
    private readonly monitors: MonitorBook,
    private readonly properties: Collection<CustomProperty[]>,
  ) {}

  correlationId(): string {
    return randomUUID();
  }

  /** A product body gets a fresh correlationId, last, as every CMO product body has. */
  #stamp(body: Json): Json {
    body.correlationId = this.correlationId();
    return body;
  }

  parse(raw: string): ProductRef {
    const parsed = parseProductId(raw);
    if (!parsed.ok)
      throw new ProblemError(
        parsed.status,
        parsed.detail,
        parsed.status === 400 ? "Missing or malformed parameter" : undefined,
      );
    return parsed.ref;
  }

  /** `claimed` false: no product has a change in flight, so there is no claim to read. */
  async #context(
    scope: Scope,
    located: Located | Omit<Located, "slot">,
    claimed = true,
  ): Promise<RenderContext> {
    const compositeId = `${located.definition.code}-${located.device.nativeId}`;
    // Asked together: on a shared store the two reads go out in one round trip.
    const [claim, properties] = await Promise.all([
      claimed ? this.monitors.claimOf(scope.tenant, compositeId) : undefined,
      this.properties.get(`${scope.tenant}|${compositeId}`),
    ]);
    return {
      base: scope.base,
      definition: located.definition,
      account: { id: located.account.id, name: located.account.name },
      customProperties: properties ?? [],
      pendingTarget: claim?.target as CmoStatus | undefined,
    };
  }

  async #withUsage(located: Located): Promise<Located> {
    if (located.device.usage || !located.slot.adapter.getUsage) return located;
    const usage = await located.slot.adapter.getUsage(located.account, located.device.nativeId);
    if (!usage.ok)
      throw failureToProblem(
        located.definition.code,
        usage.failure,
        `Usage of ${located.definition.code}-${located.device.nativeId}`,
      );
    return { ...located, device: { ...located.device, usage: usage.value } };
  }

  // ---- reads --------------------------------------------------------------------------------

  async read(scope: Scope, ref: ProductRef): Promise<Json> {
    let located = await this.directory.locate(
      scope.tenant,
      ref,
      `Product ${ref.compositeId}${ref.sub ? `-${ref.sub}` : ""}`,
    );
    if (ref.sub === undefined || ref.sub === "usageVolume-data") located = await this.#withUsage(located);
    const ctx = await this.#context(scope, located);
    const body = ref.sub ? subProduct(ref.sub, located.device, ctx) : compositeProduct(located.device, ctx);
    return this.#stamp(body);
  }

  async list(
    scope: Scope,
    pageNumber: number,
    pageSize: number,
  ): Promise<{ entities: Json[]; total: number }> {
    const { items, total } = await this.directory.page(scope.tenant, (pageNumber - 1) * pageSize, pageSize);
    // One count instead of a claim read per product (a store round trip each): pages are mostly
    // read while no change is in flight.
    const claimed = (await this.monitors.inFlightCount()) > 0;
    const entities: Json[] = [];
    for (const item of items) {
      const ctx = await this.#context(scope, item, claimed);
      entities.push(this.#stamp(compositeProduct(item.device, ctx, true)));
    }
    return { entities, total };
  }

  /** `/product/find`: full composites for what was found, one 404 problem per identifier that was not. */
  async find(
    scope: Scope,
    identifiers: Array<{ id: string; kind: "iccid" | "terminal" }>,
    instance: string,
  ): Promise<{ entities: Json[]; errors: Problem[] }> {
    const results = await Promise.all(
      identifiers.map((identifier) => this.#findOne(scope, identifier, instance)),
    );
    return {
      entities: results.filter((r): r is { entity: Json } => "entity" in r).map((r) => r.entity),
      errors: results.filter((r): r is { error: Problem } => "error" in r).map((r) => r.error),
    };
  }

  async #findOne(
    scope: Scope,
    { id, kind }: { id: string; kind: "iccid" | "terminal" },
    instance: string,
  ): Promise<{ entity: Json } | { error: Problem }> {
    const label = kind === "iccid" ? "iccid" : "terminal serial number";
    const notFound = (): { error: Problem } => ({
      error: problem({
        status: 404,
        title: "Error",
        detail: `Product with ${label} ${id} not found`,
        instance,
      }),
    });
    for (const definition of platformsIssuing(id, kind)) {
      const parsed = parseProductId(`${definition.code}-${id}`);
      if (!parsed.ok) continue;
      try {
        return { entity: await this.read(scope, parsed.ref) };
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        if (error.status === 404) continue;
        return { error: error.toProblem(instance) };
      }
    }
    return notFound();
  }

  // ---- changes ------------------------------------------------------------------------------

  /** PATCH on a product: dispatches the intent; custom properties never reach the platform. */
  async patch(
    scope: Scope,
    ref: ProductRef,
    intent: PatchIntent,
    request: RecordedRequest,
  ): Promise<ChangeResult> {
    switch (intent.kind) {
      case "customProperty":
        return { kind: "sync", body: await this.#patchProperties(scope, ref, intent.apply) };
      case "status":
        return this.#changeStatus(scope, ref, intent.target, request);
      case "transfer":
        return this.#transfer(scope, ref, intent.targetAccountId, request);
    }
  }

  async #patchProperties(
    scope: Scope,
    ref: ProductRef,
    apply: (current: readonly CustomProperty[]) => CustomProperty[],
  ): Promise<Json> {
    // Custom properties live in the CMO: a bad patch is refused before the platform is asked anything.
    const key = `${scope.tenant}|${ref.compositeId}`;
    const next = apply((await this.properties.get(key)) ?? []);
    const located = await this.directory.locate(scope.tenant, ref);
    await this.properties.set(key, next);
    return this.#stamp(deviceProduct(located.device, await this.#context(scope, located)));
  }

  /** Finds the device, checks the platform's transition rules and asks its platform for the change. */
  async #sendStatus(scope: Scope, ref: ProductRef, target: CmoStatus) {
    const located = await this.directory.locate(scope.tenant, ref);
    checkTransition(located, target);
    const outcome = await located.slot.adapter.changeStatus(located.account, located.device, target);
    return { located, outcome };
  }

  async #changeStatus(
    scope: Scope,
    ref: ProductRef,
    target: CmoStatus,
    request: RecordedRequest,
  ): Promise<ChangeResult> {
    if (ref.sub !== deviceSubProduct(ref.definition))
      throw new ProblemError(
        400,
        "The status can only be changed on the simCard or terminal sub-product",
        "Invalid Action",
      );
    return withClaim(this.monitors, scope, ref.compositeId, target, async () => {
      const { located, outcome } = await this.#sendStatus(scope, ref, target);
      if (!outcome.ok) throw failureToProblem(ref.platform, outcome.failure, `Product ${ref.compositeId}`);
      if (outcome.value.mode === "done" && located.definition.cmoMode === "sync") {
        // Released before rendering, so the answer shows the device without a PENDING_ status.
        await this.monitors.release(scope.tenant, ref.compositeId);
        // The platform applied the change; when it could not also show the result (its read-back was
        // refused, say for its rate limit), the answer is the device as it now is, not an error.
        const device = outcome.value.device ?? {
          ...located.device,
          status: target,
          nativeStatus: located.definition.vocabulary.target[target] ?? located.device.nativeStatus,
        };
        const context = await this.#context(scope, { ...located, device }, false);
        const body = this.#stamp(deviceProduct(device, context));
        return { value: { kind: "sync", body }, handedOver: false, released: true };
      }
      const entry = acceptedEntry(located, outcome, { kind: "status", target });
      const productPath = `product/${ref.compositeId}-${ref.sub}`;
      return this.#accepted(scope, "status", productPath, request, entry);
    });
  }

  async #transfer(
    scope: Scope,
    ref: ProductRef,
    targetAccountId: string,
    request: RecordedRequest,
  ): Promise<ChangeResult> {
    if (ref.sub !== undefined)
      throw new ProblemError(
        400,
        "A SIM transfer patches /relatedParty/0/id on the composite product",
        "Invalid Action",
      );
    const target = this.directory.accounts(scope.tenant, ref.platform).find((a) => a.id === targetAccountId);
    if (!target)
      throw new ProblemError(
        400,
        `Account ${targetAccountId} is not a ${ref.platform} account of tenant ${scope.tenant}`,
        "Invalid Action",
      );
    return withClaim(this.monitors, scope, ref.compositeId, undefined, async () => {
      const located = await this.directory.locate(scope.tenant, ref);
      if (!located.slot.policy().transfer)
        throw new ProblemError(
          400,
          `${ref.platform} does not support moving products between accounts`,
          "Invalid Action",
        );
      if (located.account.id === target.id)
        throw new ProblemError(
          400,
          `${ref.compositeId} already belongs to account ${target.id}`,
          "Invalid Action",
        );
      const outcome = await located.slot.adapter.transfer(located.account, located.device, target);
      if (!outcome.ok) throw failureToProblem(ref.platform, outcome.failure, `Product ${ref.compositeId}`);
      const entry = acceptedEntry(located, outcome, { kind: "transfer", targetAccountId: target.id });
      if (entry.state === "DONE")
        await this.directory.moved(scope.tenant, ref.platform, ref.nativeId, located.account.id, target.id);
      return this.#accepted(scope, "transfer", `product/${ref.compositeId}`, request, entry);
    });
  }

  /** A single product's change as a 202 with its monitor; the monitor holds the claim while in flight. */
  async #accepted(
    scope: Scope,
    kind: "status" | "transfer",
    productPath: string,
    request: RecordedRequest,
    entry: MonitorEntry,
  ): Promise<Claimed<ChangeResult>> {
    const nativeId = entry.nativeId as string;
    const monitor = await this.#openMonitor(scope, kind, productPath, request, [entry], nativeId);
    return { value: { kind: "async", monitor, productPath }, handedOver: entry.state === "IN_PROGRESS" };
  }

  async #openMonitor(
    scope: Scope,
    kind: MonitorRecord["kind"],
    source: string | ((id: string) => string),
    request: RecordedRequest,
    entries: MonitorEntry[],
    nativeId: string,
  ): Promise<MonitorRecord> {
    const id = await this.monitors.newId(scope.tenant, nativeId);
    // In place: these entries were made for this monitor, and copies of them cost 350 bytes more
    // per monitor in flight (bench/monitor-memory.ts): something still holds the first ones.
    for (const entry of entries)
      entry.native = { ...entry.native, headers: entry.native.headers.map((h) => answerHeaders.of(h)) };
    const record: MonitorRecord = {
      id,
      tenant: scope.tenant,
      kind,
      source: typeof source === "string" ? source : source(id),
      request: requests.of(request),
      entries,
      correlationId: this.correlationId(),
      createdAt: this.clock.now(),
    };
    await this.monitors.add(record);
    return record;
  }

  // ---- batch --------------------------------------------------------------------------------

  /** Batch PATCH: always a monitor, one entry per product, sync entries already settled. */
  async batch(
    scope: Scope,
    productIds: string[],
    intent: PatchIntent,
    request: RecordedRequest,
  ): Promise<MonitorRecord> {
    const entries = await Promise.all(productIds.map((raw) => this.#batchEntry(scope, raw, intent)));
    const first = parseProductId(productIds[0] as string);
    const nativeId = first.ok ? first.ref.nativeId : "batch";
    return this.#openMonitor(scope, "batch", (id) => `monitor/${id}`, request, entries, nativeId);
  }

  async #batchEntry(scope: Scope, raw: string, intent: PatchIntent): Promise<MonitorEntry> {
    const parsed = parseProductId(raw);
    if (!parsed.ok)
      return failedEntry(raw, "UNKNOWN", raw, intent, new ProblemError(parsed.status, parsed.detail));
    const ref: ProductRef = { ...parsed.ref, sub: deviceSubProduct(parsed.ref.definition) };
    try {
      if (intent.kind === "transfer")
        throw new ProblemError(400, "Transfers cannot be batched", "Invalid Action");
      if (intent.kind === "customProperty") {
        return propertiesEntry(ref, await this.#patchProperties(scope, ref, intent.apply));
      }
      return await this.#batchStatus(scope, raw, ref, intent);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      return failedEntry(raw, ref.platform, ref.compositeId, intent, error);
    }
  }

  async #batchStatus(
    scope: Scope,
    raw: string,
    ref: ProductRef,
    intent: PatchIntent & { kind: "status" },
  ): Promise<MonitorEntry> {
    return withClaim(this.monitors, scope, ref.compositeId, intent.target, async () => {
      const { located, outcome } = await this.#sendStatus(scope, ref, intent.target);
      if (!outcome.ok) {
        const error = failureToProblem(ref.platform, outcome.failure, `Product ${ref.compositeId}`);
        const failed = failedEntry(
          raw,
          ref.platform,
          ref.compositeId,
          intent,
          error,
          outcome.failure.exchange,
        );
        return { value: failed, handedOver: false };
      }
      const entry = acceptedEntry(located, outcome, { kind: "status", target: intent.target });
      return { value: entry, handedOver: entry.state === "IN_PROGRESS" };
    });
  }

  async monitor(scope: Scope, id: string): Promise<MonitorRecord> {
    const record = await this.monitors.get(scope.tenant, id);
    if (!record) throw new ProblemError(404, `Monitor ${id} not found`);
    return record;
  }
}
