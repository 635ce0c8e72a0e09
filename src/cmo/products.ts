import type { DeviceView } from "../../simulators/shared/adapter.js";
import type { PlatformDefinition } from "../../simulators/shared/types.js";
import type { CmoStatus } from "../config/schema.js";
import { deviceSubProduct, type SubProduct, subProductsOf } from "./ids.js";

/**
 * Renders TMF637-shaped CMO products from a platform's device. Field names, `@type`s and nesting
 * follow the public CMO docs (cmo-api-notes §5); values come from the platform via its adapter.
 */

export interface CustomProperty {
  name: string;
  value: string;
}

export interface RenderContext {
  /** `{origin}{basePath with tenant}`: every href starts with it. */
  base: string;
  definition: PlatformDefinition;
  account: { id: string; name: string };
  customProperties: readonly CustomProperty[];
  /** Target of a status change in flight, which the CMO shows as PENDING_ACTIVE / PENDING_TERMINATE. */
  pendingTarget: CmoStatus | undefined;
}

type Json = Record<string, unknown>;

export function shownStatus(device: DeviceView, pendingTarget: CmoStatus | undefined): CmoStatus {
  if (pendingTarget === "ACTIVE") return "PENDING_ACTIVE";
  if (pendingTarget === "TERMINATED") return "PENDING_TERMINATE";
  return device.status;
}

function productId(ctx: RenderContext, device: DeviceView, sub?: SubProduct): string {
  return sub
    ? `${ctx.definition.code}-${device.nativeId}-${sub}`
    : `${ctx.definition.code}-${device.nativeId}`;
}

// Builders assign fields in order rather than spreading helper objects: they run for every product
// of every page, and field order is what the JSON shows.

export function deviceProduct(device: DeviceView, ctx: RenderContext): Json {
  const sub = deviceSubProduct(ctx.definition);
  const id = productId(ctx, device, sub);
  const body: Json = { id, href: `${ctx.base}/product/${id}`, isBundle: false };
  if (sub === "terminal") body.isCustomerVisible = true;
  body.status = shownStatus(device, ctx.pendingTarget);
  body.productCharacteristic = device.characteristics;
  body.customProperty = ctx.customProperties.map((p) => ({ name: p.name, value: p.value }));
  body["@baseType"] = "product";
  body["@type"] = sub;
  return body;
}

export function connectivityProduct(device: DeviceView, ctx: RenderContext): Json {
  const id = productId(ctx, device, "dataConnectivity");
  return {
    id,
    href: `${ctx.base}/product/${id}`,
    isBundle: false,
    status: shownStatus(device, ctx.pendingTarget),
    productCharacteristic: device.connectivity ?? [],
    "@baseType": "product",
    "@type": "dataConnectivity",
  };
}

const KB = 1024;

export function usageProduct(device: DeviceView, ctx: RenderContext): Json {
  const usage = device.usage;
  const amount = usage ? Math.round((usage.bytes / KB) * 1e6) / 1e6 : 0;
  const id = productId(ctx, device, "usageVolume-data");
  return {
    id,
    href: `${ctx.base}/product/${id}`,
    isShared: false,
    isBundle: false,
    usageType: "DATA",
    "@baseType": "product",
    "@type": "usageVolume",
    bucketCounter: usage
      ? [
          {
            valueName: `${amount} KB`,
            value: { amount, units: "KB" },
            consumptionPeriod: { startDateTime: usage.since, endDateTime: usage.until },
            counterType: "USED",
          },
        ]
      : [],
  };
}

export function subProduct(sub: SubProduct, device: DeviceView, ctx: RenderContext): Json {
  switch (sub) {
    case "simCard":
    case "terminal":
      return deviceProduct(device, ctx);
    case "dataConnectivity":
      return connectivityProduct(device, ctx);
    case "usageVolume-data":
      return usageProduct(device, ctx);
  }
}

/** The bundle: composite fields, plus its sub-products unless `summary` (list pages). */
export function compositeProduct(device: DeviceView, ctx: RenderContext, summary = false): Json {
  const status = shownStatus(device, ctx.pendingTarget);
  const identifiers: Array<{ name: string; value: string }> = [
    { name: "SYSTEM", value: ctx.definition.code },
  ];
  if (device.iccid) identifiers.push({ name: "ICCID", value: device.iccid });
  if (device.imsi) identifiers.push({ name: "IMSI", value: device.imsi });
  if (device.msisdn) identifiers.push({ name: "MSISDN", value: device.msisdn });
  if (ctx.definition.connectivity === "SATELLITE")
    identifiers.push({ name: "serialNumber", value: device.nativeId });
  const id = productId(ctx, device);
  const body: Json = { id, href: `${ctx.base}/product/${id}`, isBundle: true };
  if (device.startDate) body.startDate = device.startDate;
  body.status = status === "ACTIVE" ? "ACTIVE" : "INACTIVE";
  body.connectivityType = ctx.definition.connectivity;
  body.relatedParty = [{ id: ctx.account.id, name: ctx.account.name, role: "customer" }];
  body.productOffering = { name: device.offering ?? "" };
  body.productCharacteristic = identifiers;
  if (!summary) {
    body.productRelationship = subProductsOf(ctx.definition).map((sub) => ({
      type: "BUNDLED",
      product: subProduct(sub, device, ctx),
    }));
  }
  body["@baseType"] = "product";
  body["@type"] = "IoTConnection";
  return body;
}

/** Keeps only the requested top-level fields (`fields=id,status`), in the order asked. */
export function project(entity: Json, fields: readonly string[] | undefined): Json {
  if (!fields) return entity;
  const out: Json = {};
  for (const field of fields) if (field in entity) out[field] = entity[field];
  return out;
}

export const PROJECTABLE_FIELDS = [
  "id",
  "href",
  "isBundle",
  "startDate",
  "status",
  "connectivityType",
  "relatedParty",
  "productOffering",
  "productCharacteristic",
  "@baseType",
  "@type",
  "correlationId",
] as const;
