import { z } from "zod";
import { TOKEN_PATH } from "../cmo/auth.js";
import { SUB_PRODUCTS } from "../cmo/ids.js";
import { PATCH_TYPES } from "../cmo/patch.js";
import { BatchBody, FindBody, listQuery, PatchDocument } from "../cmo/schemas.js";
import type { Config } from "../config/schema.js";
import {
  CompositeProduct,
  DeviceProduct,
  FindResult,
  Monitor,
  OAuthError,
  Problem,
  ProductPage,
  ProductSummary,
  SubProduct,
  TokenAnswer,
  TokenRequest,
} from "./cmo-answers.js";
import { type ApiSpec, describedTags, type ResponseDoc, type RouteDoc } from "./route-doc.js";

const Product = z.union([CompositeProduct, SubProduct]);

const problem = (description: string, headers?: ResponseDoc["headers"]): ResponseDoc => ({
  description,
  schema: Problem,
  headers,
});
const retryAfter = { "Retry-After": { description: "Seconds to wait", schema: { type: "string" } } };

/** The problems every CMO call can answer, and those of calls that reach a platform. */
const GUARDED: RouteDoc["responses"] = {
  401: problem("No valid bearer token (missing, malformed, expired or revoked)", {
    "WWW-Authenticate": { description: 'Bearer realm="iothub", error="invalid_token", …' },
  }),
  403: problem("The token is not valid for this tenant, or a write lacks the rw% role"),
  404: problem("Unknown tenant, product or monitor"),
};
const PLATFORM: RouteDoc["responses"] = {
  429: problem("The platform's rate limit, passed on", retryAfter),
  502: problem("The platform failed; its error is in externalErrors"),
  503: problem("The platform is down", retryAfter),
  504: problem("The platform did not answer in time"),
};
const BODY: RouteDoc["responses"] = {
  413: problem("The body is larger than the configured limit"),
  415: problem("Unsupported Content-Type"),
};

const accepted: ResponseDoc = {
  description: "Accepted: an asynchronous change or a batch, tracked by the monitor",
  schema: Monitor,
  headers: {
    Link: { description: 'The monitor (rel="related"), and the product (rel="self", rel="canonical")' },
    Location: { description: "The monitor's href" },
  },
};

/** The CMO front's routes (src/cmo/routes.ts, src/cmo/auth.ts) as the CMO document shows them. */
export function cmoSpec(config: Config, tenants: readonly string[]): ApiSpec {
  const base = config.cmo.basePath;
  const tenant = `Tenant id (${tenants.join(", ") || "none configured"})`;
  const productId = `{PLATFORM}-{ICCID or terminal serial}, optionally with a sub-product suffix: ${SUB_PRODUCTS.map((s) => `-${s}`).join(", ")}`;
  const read = { tags: ["Products"], secured: true, pathParams: { tenant, id: productId } };

  const routes: RouteDoc[] = [
    {
      method: "post",
      path: TOKEN_PATH,
      operationId: "getToken",
      summary: "Get an access token (OAuth2 client credentials)",
      tags: ["Authentication"],
      secured: false,
      body: { schema: TokenRequest, contentTypes: ["application/x-www-form-urlencoded"] },
      responses: {
        200: { description: "A bearer token", schema: TokenAnswer },
        400: { description: "Malformed request or unsupported grant type", schema: OAuthError },
        401: { description: "Unknown client or wrong secret", schema: OAuthError },
      },
    },
    {
      ...read,
      method: "get",
      path: `${base}/product`,
      operationId: "listProducts",
      summary: "List the tenant's products, page by page",
      query: listQuery(config.cmo),
      responses: {
        200: { description: "One page of composite products", schema: ProductPage },
        400: problem("A malformed paging or fields parameter"),
        ...GUARDED,
        ...PLATFORM,
      },
    },
    {
      ...read,
      method: "post",
      path: `${base}/product/find`,
      operationId: "findProducts",
      summary: "Find products by ICCID or terminal serial number",
      description: `At most ${config.cmo.batchLimit} identifiers.`,
      body: { schema: FindBody, contentTypes: ["application/json"] },
      responses: {
        200: {
          description: "What was found, and one 404 problem per identifier that was not",
          schema: FindResult,
        },
        400: problem("A malformed body"),
        ...GUARDED,
        ...BODY,
      },
    },
    {
      ...read,
      method: "get",
      path: `${base}/product/{id}`,
      operationId: "getProduct",
      summary: "Read a composite product, or one sub-product",
      responses: {
        200: { description: "The composite with its sub-products, or the sub-product", schema: Product },
        400: problem("A malformed product id"),
        ...GUARDED,
        ...PLATFORM,
      },
    },
    {
      ...read,
      method: "patch",
      path: `${base}/product/{id}`,
      operationId: "patchProduct",
      summary: "Change a status, custom properties, or the account (SIM transfer)",
      description:
        "Replace /status on the simCard or terminal sub-product (200 on synchronous platforms, 202 with a monitor on asynchronous ones); add, replace or remove /customProperty entries (always 200); replace /relatedParty/0/id on the composite to move it to another account (202).",
      body: { schema: PatchDocument, contentTypes: Object.keys(PATCH_TYPES) },
      responses: {
        200: { description: "Applied at once: the updated sub-product", schema: DeviceProduct },
        202: accepted,
        400: problem(
          "A malformed patch (Missing or malformed parameter) or a refused change (Invalid Action)",
        ),
        ...GUARDED,
        409: problem("Another change of this product is in flight"),
        ...BODY,
        ...PLATFORM,
      },
    },
    {
      ...read,
      method: "patch",
      path: `${base}/product`,
      operationId: "patchProducts",
      summary: "Apply one JSON Patch to many products (batch)",
      description: `At most ${config.cmo.batchLimit} products; always 202 with one monitor entry per product.`,
      body: { schema: BatchBody, contentTypes: ["application/json"] },
      responses: { 202: accepted, 400: problem("A malformed batch"), ...GUARDED, ...BODY },
    },
    {
      ...read,
      tags: ["Monitors"],
      method: "get",
      path: `${base}/monitor/{id}`,
      operationId: "getMonitor",
      summary: "Read a monitor",
      pathParams: { tenant, id: "The monitor id from a 202 answer" },
      responses: { 200: { description: "The monitor", schema: Monitor }, ...GUARDED },
    },
  ];

  return {
    info: {
      title: "CMO API (cmo-sim)",
      version: "v5",
      description: `Deutsche Telekom IoT Hub's Connection Management Orchestrator API as cmo-sim answers it: one product inventory in front of ten carrier platforms.${config.auth.enabled ? "" : " Authentication is switched off in this simulator: calls need no token."}`,
    },
    tags: describedTags({
      Authentication: "Keycloak-shaped token endpoint",
      Products: "Products, status changes, custom properties, transfers, batches",
      Monitors: "Progress of asynchronous changes",
    }),
    routes,
    components: {
      Problem,
      ProductPage,
      ProductSummary,
      CompositeProduct,
      SubProduct,
      DeviceProduct,
      Product,
      FindResult,
      Monitor,
      TokenRequest,
      TokenAnswer,
      OAuthError,
      FindBody,
      BatchBody,
      PatchDocument,
    },
    securitySchemes: {
      bearerJwt: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      clientCredentials: {
        type: "oauth2",
        description: config.auth.clients
          ? "Clients, secrets, tenants and roles come from the configuration"
          : "Default clients: cmo-sim-client / cmo-sim-secret (read-write, tenant eos), cmo-sim-readonly / cmo-sim-secret (read-only)",
        flows: { clientCredentials: { tokenUrl: TOKEN_PATH, scopes: {} } },
      },
    },
    security: [{ bearerJwt: [] }, { clientCredentials: [] }],
  };
}
