import { PLATFORMS } from "../../simulators/registry.js";
import type { PlatformDefinition } from "../../simulators/shared/types.js";
import type { PlatformCode } from "../config/schema.js";
import { isLuhnValid } from "../inventory/identifiers.js";

/** `-simCard`, `-dataConnectivity`, `-terminal`, `-usageVolume-data`: the sub-products a composite bundles. */
export const SUB_PRODUCTS = ["simCard", "dataConnectivity", "terminal", "usageVolume-data"] as const;
export type SubProduct = (typeof SUB_PRODUCTS)[number];

export interface ProductRef {
  platform: PlatformCode;
  definition: PlatformDefinition;
  nativeId: string;
  /** `{PLATFORM}-{nativeId}` */
  compositeId: string;
  sub: SubProduct | undefined;
}

export type ParsedId = { ok: true; ref: ProductRef } | { ok: false; status: 400 | 404; detail: string };

const SUFFIXES = [...SUB_PRODUCTS].sort((a, b) => b.length - a.length);
const NATIVE_ID = /^[A-Za-z0-9]{1,40}$/;

/**
 * Splits a CMO product id into platform, native id and sub-product. A malformed id is a 400 that
 * says what is malformed; a well-formed id of something that cannot exist (unknown platform, a
 * terminal on a cellular product) is a 404.
 */
export function parseProductId(raw: string): ParsedId {
  if (raw.length > 120) return { ok: false, status: 400, detail: "Product id is longer than 120 characters" };
  const dash = raw.indexOf("-");
  if (dash <= 0)
    return {
      ok: false,
      status: 400,
      detail: `Product id '${raw}' must look like {PLATFORM}-{nativeId}[-subProduct]`,
    };
  const platform = raw.slice(0, dash);
  const definition = PLATFORMS.find((p) => p.code === platform);
  if (!definition) {
    return {
      ok: false,
      status: 404,
      detail: `Product ${raw} not found: ${platform} is not a platform (${PLATFORMS.map((p) => p.code).join(", ")})`,
    };
  }
  let rest = raw.slice(dash + 1);
  let sub: SubProduct | undefined;
  for (const suffix of SUFFIXES) {
    if (rest.endsWith(`-${suffix}`)) {
      sub = suffix;
      rest = rest.slice(0, -suffix.length - 1);
      break;
    }
  }
  if (!NATIVE_ID.test(rest)) {
    return {
      ok: false,
      status: 400,
      detail: `Product id '${raw}': '${rest}' is not a native id (letters and digits only) or '-${rest.split("-").pop()}' is not a sub-product (${SUB_PRODUCTS.join(", ")})`,
    };
  }
  const satellite = definition.connectivity === "SATELLITE";
  if (!satellite) {
    if (!/^\d{19,20}$/.test(rest))
      return {
        ok: false,
        status: 400,
        detail: `Product id '${raw}': an ICCID has 19 or 20 digits, '${rest}' does not`,
      };
    if (!isLuhnValid(rest))
      return {
        ok: false,
        status: 400,
        detail: `Product id '${raw}': ICCID ${rest} fails its Luhn check digit`,
      };
  }
  if (sub && (satellite ? ["simCard", "dataConnectivity"] : ["terminal"]).includes(sub)) {
    return {
      ok: false,
      status: 404,
      detail: `Product ${raw} not found: ${satellite ? "satellite" : "cellular"} products have no ${sub} sub-product`,
    };
  }
  return {
    ok: true,
    ref: {
      platform,
      definition,
      nativeId: rest,
      compositeId: `${platform}-${rest}`,
      sub,
    },
  };
}

/** The sub-product that carries status and custom properties: simCard or terminal. */
export function deviceSubProduct(definition: PlatformDefinition): "simCard" | "terminal" {
  return definition.connectivity === "SATELLITE" ? "terminal" : "simCard";
}

export function subProductsOf(definition: PlatformDefinition): SubProduct[] {
  return definition.connectivity === "SATELLITE"
    ? ["terminal", "usageVolume-data"]
    : ["simCard", "dataConnectivity", "usageVolume-data"];
}

/** Platforms whose numbering could have issued `nativeId` (routes /product/find lookups). */
export function platformsIssuing(nativeId: string, kind: "iccid" | "terminal"): PlatformDefinition[] {
  return PLATFORMS.filter((p) => {
    const n = p.numbering;
    if (kind === "iccid")
      return (
        n.kind === "cellular" && nativeId.startsWith(n.iccidIssuerPrefix) && nativeId.length === n.iccidLength
      );
    return (
      n.kind === "satellite" &&
      nativeId.startsWith(n.serialPrefix) &&
      nativeId.length === n.serialPrefix.length + n.serialDigits
    );
  });
}
