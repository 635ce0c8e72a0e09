import { z } from "zod";
import { CmoStatus } from "../config/schema.js";

/**
 * What the CMO front answers, as zod schemas written from cmo-api.md and the seed page. Nothing
 * validates answers with them at run time; the integration tests in test/openapi check real answers
 * against the document generated from them, so a change to the bodies must change these too.
 */

export const Problem = z
  .object({
    type: z.string().meta({ description: "The reason phrase, as the CMO writes it (not a URI)" }),
    status: z.number().int().min(400).max(599),
    title: z.string().meta({ description: "Bad Request, Missing or malformed parameter, Invalid Action…" }),
    detail: z.string(),
    instance: z.string(),
    externalErrors: z.array(z.unknown()).meta({ description: "The platform's own error, when one answered" }),
    "@type": z.literal("problem"),
    traceId: z.uuid(),
  })
  .meta({ description: "Every CMO error (application/json)" });

const NameValue = z.object({ name: z.string(), value: z.string() });
const ProductBase = {
  id: z.string(),
  href: z.url().meta({ description: "Absolute, built from the request's own origin" }),
  isBundle: z.literal(false),
};
const correlated = { correlationId: z.uuid().meta({ description: "Fresh for every answer" }) };

const SimCardOrTerminal = z.object({
  ...ProductBase,
  isCustomerVisible: z.literal(true).optional().meta({ description: "On terminals only" }),
  status: CmoStatus,
  productCharacteristic: z.array(NameValue),
  customProperty: z.array(NameValue),
  "@baseType": z.literal("product"),
  "@type": z.enum(["simCard", "terminal"]),
});

const DataConnectivity = z.object({
  ...ProductBase,
  status: CmoStatus,
  productCharacteristic: z.array(NameValue),
  "@baseType": z.literal("product"),
  "@type": z.literal("dataConnectivity"),
});

const UsageVolume = z.object({
  ...ProductBase,
  isShared: z.literal(false),
  usageType: z.literal("DATA"),
  "@baseType": z.literal("product"),
  "@type": z.literal("usageVolume"),
  bucketCounter: z.array(
    z.object({
      valueName: z.string(),
      value: z.object({ amount: z.number().nonnegative(), units: z.literal("KB") }),
      consumptionPeriod: z.object({ startDateTime: z.string(), endDateTime: z.string() }),
      counterType: z.literal("USED"),
    }),
  ),
});

export const DeviceProduct = SimCardOrTerminal.extend(correlated).meta({
  description: "The simCard (cellular) or terminal (satellite) sub-product: status and custom properties",
});

export const SubProduct = z
  .union([DeviceProduct, DataConnectivity.extend(correlated), UsageVolume.extend(correlated)])
  .meta({ description: "One sub-product: simCard, terminal, dataConnectivity or usageVolume-data" });

const Summary = {
  id: z.string().meta({ description: "{PLATFORM}-{ICCID or terminal serial number}" }),
  href: ProductBase.href,
  isBundle: z.literal(true),
  startDate: z.string().optional(),
  status: z.enum(["ACTIVE", "INACTIVE"]),
  connectivityType: z.enum(["CELLULAR", "SATELLITE"]),
  relatedParty: z.array(z.object({ id: z.string(), name: z.string(), role: z.literal("customer") })),
  productOffering: z.object({ name: z.string() }),
  productCharacteristic: z.array(NameValue),
};
const Tail = { "@baseType": z.literal("product"), "@type": z.literal("IoTConnection"), ...correlated };

export const ProductSummary = z
  .object({ ...Summary, ...Tail })
  .meta({ description: "A composite product as list pages show it (without its sub-products)" });

export const CompositeProduct = z
  .object({
    ...Summary,
    productRelationship: z.array(
      z.object({
        type: z.literal("BUNDLED"),
        product: z.union([SimCardOrTerminal, DataConnectivity, UsageVolume]),
      }),
    ),
    ...Tail,
  })
  .meta({ description: "The composite product (@type IoTConnection) with its bundled sub-products" });

export const ProductPage = z.object({
  entities: z
    .array(z.union([ProductSummary, ProductSummary.partial()]))
    .meta({ description: "Whole summaries, or only the fields asked for with `fields`" }),
  statistics: z.object({
    currentPage: z.number().int().positive(),
    pageSize: z.number().int().positive(),
    totalCount: z.number().int().nonnegative(),
  }),
  links: z.array(z.object({ type: z.enum(["self", "next", "prev"]), url: z.url() })),
});

export const FindResult = z.object({
  entities: z.array(CompositeProduct),
  errors: z.array(Problem).meta({ description: "One problem (404) per identifier not found" }),
});

const Header = z.object({ name: z.string(), value: z.string() });
const EntryState = z.enum(["IN_PROGRESS", "DONE", "FAILED"]);

export const Monitor = z
  .object({
    id: z
      .string()
      .meta({ description: "{nativeId}-{unixSeconds}-monitor, or {nativeId}-{unixSeconds}-{n}-monitor" }),
    href: z.url(),
    sourceHref: z.url(),
    state: EntryState.meta({
      description: "IN_PROGRESS while any entry is; then DONE if all are, else FAILED",
    }),
    request: z.object({ method: z.string(), body: z.unknown(), headers: z.array(Header) }),
    response: z.array(
      z.object({
        platform: z.string(),
        statusCode: z.number().int(),
        message: z.string(),
        state: EntryState,
        body: z.unknown().meta({ description: "The platform's native answer, as it sent it" }),
        headers: z.array(Header),
      }),
    ),
    "@type": z.literal("monitor"),
    errors: z.array(Problem).meta({ description: "One problem per failed entry when the monitor FAILED" }),
    correlationId: z.uuid(),
  })
  .meta({ description: "Tracks an asynchronous change or a batch" });

export const TokenRequest = z
  .object({
    grant_type: z.literal("client_credentials"),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
  })
  .meta({ description: "Client credentials in the form, or in an HTTP Basic Authorization header" });

export const TokenAnswer = z.object({
  access_token: z.string().meta({ description: "An HS256 JWT with tenants and realm_access.roles claims" }),
  expires_in: z.number().int().positive(),
  refresh_expires_in: z.literal(0),
  token_type: z.literal("Bearer"),
  "not-before-policy": z.literal(0),
  scope: z.string(),
});

export const OAuthError = z.object({
  error: z.enum(["invalid_request", "unsupported_grant_type", "unauthorized_client"]),
  error_description: z.string(),
});
