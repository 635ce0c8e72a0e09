import type { CmoStatus } from "../config/schema.js";
import type { CmoRequest } from "./client.js";
import { deviceSuffix, platformOf } from "./inventory.js";
import { TENANT_SCOPE } from "./schema.js";

/** A CMO request and what it concerns, ready to send. */
export interface Planned {
  operation: string;
  request: CmoRequest;
  /** Platform code, or CMO for tenant-wide requests. */
  scope: string;
  product?: string;
  /** Products a write acts on (the runner keeps two writes off one product). */
  writes: string[];
  /** The status a status change asks for, so the runner can remember it once it is done. */
  target?: CmoStatus;
  /** The account a transfer moves its product to. */
  account?: string;
}

const JSON_PATCH = "application/json-patch+json";
const JSON_PATCH_QUERY = "application/json-patch-query+json";

/** A PATCH of a product's device sub-product (simCard, or terminal on satellite platforms). */
function devicePatch(operation: string, product: string, body: unknown, contentType: string): Planned {
  const path = `/product/${product}-${deviceSuffix(platformOf(product))}`;
  return {
    operation,
    request: { method: "PATCH", path, body, contentType },
    scope: platformOf(product),
    product,
    writes: [],
  };
}

/** The CMO requests a scenario can make, as `docs/cmo-api.md` describes them. */
export const requests = {
  read(product: string, sub?: string): Planned {
    return {
      operation: "read",
      request: { method: "GET", path: `/product/${product}${sub ? `-${sub}` : ""}` },
      scope: platformOf(product),
      product,
      writes: [],
    };
  },

  list(pageSize = 20, pageNumber = 1): Planned {
    return {
      operation: "list",
      request: { method: "GET", path: `/product?pageSize=${pageSize}&pageNumber=${pageNumber}` },
      scope: TENANT_SCOPE,
      writes: [],
    };
  },

  find(products: string[]): Planned {
    const iccidList: string[] = [];
    const terminalSNList: string[] = [];
    for (const id of products) {
      const nativeId = id.slice(id.indexOf("-") + 1);
      (deviceSuffix(platformOf(id)) === "terminal" ? terminalSNList : iccidList).push(nativeId);
    }
    const body = {
      ...(iccidList.length ? { iccidList } : {}),
      ...(terminalSNList.length ? { terminalSNList } : {}),
    };
    return {
      operation: "find",
      request: { method: "POST", path: "/product/find", body },
      scope: products.length === 1 ? platformOf(products[0] as string) : TENANT_SCOPE,
      product: products.length === 1 ? products[0] : undefined,
      writes: [],
    };
  },

  status(product: string, status: CmoStatus): Planned {
    const body = [{ op: "replace", path: "/status", value: status }];
    return { ...devicePatch("status", product, body, JSON_PATCH), writes: [product], target: status };
  },

  customProperty(product: string, op: "add" | "replace" | "remove", name: string, value = ""): Planned {
    const body =
      op === "add"
        ? [{ op, path: "/customProperty/-", value: { name, value } }]
        : op === "replace"
          ? [{ op, path: `customProperty[name=${name}]/value`, value }]
          : [{ op, path: `customProperty[name=${name}]` }];
    return devicePatch("customProperty", product, body, op === "add" ? JSON_PATCH : JSON_PATCH_QUERY);
  },

  transfer(product: string, account: string): Planned {
    return {
      operation: "transfer",
      request: {
        method: "PATCH",
        path: `/product/${product}`,
        body: [{ op: "replace", path: "/relatedParty/0/id", value: account }],
        contentType: JSON_PATCH,
      },
      scope: platformOf(product),
      product,
      writes: [product],
      account,
    };
  },

  batch(products: string[], status: CmoStatus): Planned {
    return {
      operation: "batch",
      request: {
        method: "PATCH",
        path: "/product",
        body: {
          productIdList: products.map((id) => `${id}-${deviceSuffix(platformOf(id))}`),
          request: {
            method: "PATCH",
            body: [{ op: "replace", path: "/status", value: status }],
            headers: [{ name: "Content-Type", value: JSON_PATCH }],
          },
        },
      },
      scope: TENANT_SCOPE,
      writes: products,
      target: status,
    };
  },

  raw(method: string, path: string, body?: unknown, contentType?: string): Planned {
    const product = /^\/product\/([A-Z0-9]{2,16}-[A-Za-z0-9]+)/.exec(path)?.[1];
    const scope = product ? platformOf(product) : TENANT_SCOPE;
    return { operation: "request", request: { method, path, body, contentType }, scope, product, writes: [] };
  },
};
