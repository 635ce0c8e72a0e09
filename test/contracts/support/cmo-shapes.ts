import { MatchersV3 as M } from "@pact-foundation/pact";

/**
 * The CMO's answers as ../shared/spec/cmo-api.md and the seed page describe them, in Pact matchers:
 * exact where the spec fixes a value (states, `@type`, titles), matched by type or pattern where it
 * varies. Examples follow the seed page's own. Fixed values are written `exact(…)`: inside a list
 * matched like its first item, a bare value would only be matched by type.
 */

const exact = M.equal;

export const BASE = "/api-gw/connection-management-orchestrator/v5/eos";
const ORIGIN = "https://cmo.example.com";
const PLATFORM = "(TMSP|TMUS|INTELSAT|IOTA|JASPER|AIRLINQ|1NCE|STC|TURKCELL|GALAXY1)";
const PRODUCT_ID = `${PLATFORM}-[0-9A-Za-z]+`;
const SUB_PRODUCT = "(simCard|terminal|dataConnectivity|usageVolume-data)";

export const EXAMPLE = {
  jasper: "JASPER-8997112300000000047",
  jasperIccid: "8997112300000000047",
  tmsp: "TMSP-89490200000000000059",
  tmspIccid: "89490200000000000059",
  once: "1NCE-8988228066600000017",
  unknown: "JASPER-8997112300000000104",
  unknownIccid: "8997112300000000104",
  monitorId: "89490200000000000059-1747918290-monitor",
  correlationId: "08cf2679-a736-45bb-936d-7c00d1628f38",
  traceId: "5b3c2a8e-0f7d-4c36-9a11-2b1f0c7d9e42",
  timestamp: "2020-04-01T20:00:00.000Z",
};

/** An absolute href below the tenant's base path; the host is whatever the client called. */
export function href(tailPattern: string, tailExample: string) {
  return M.regex(`^https?://[^/]+${BASE}/${tailPattern}$`, `${ORIGIN}${BASE}/${tailExample}`);
}

const correlationId = () => M.uuid(EXAMPLE.correlationId);
const characteristics = (name: string, value: string) =>
  M.eachLike({ name: M.like(name), value: M.like(value) });
const timestamp = () => M.timestamp("yyyy-MM-dd'T'HH:mm:ss.SSSX", EXAMPLE.timestamp);

/** Any of the spec's SIM and terminal statuses (cmo-api.md §2). */
export const anyStatus = () =>
  M.regex(
    "^(CREATED|INVENTORY|PENDING_ACTIVE|ACTIVE|SUSPENDED|PENDING_TERMINATE|TERMINATED|BLOCKED)$",
    "ACTIVE",
  );

/** Any platform's code, for answers about whichever platform the product is on. */
export const anyPlatform = (example: string) => M.regex(`^${PLATFORM}$`, example);

/** A SIM card sub-product (`@type: simCard`); its id comes from the provider state's `subProductId`. */
export function simCard(status: unknown, example: string, customProperty: unknown = M.like([])) {
  return {
    id: M.fromProviderState(`\${subProductId}`, `${example}-simCard`),
    href: href(`product/${PRODUCT_ID}-simCard`, `product/${example}-simCard`),
    isBundle: exact(false),
    status,
    productCharacteristic: characteristics("ICCID", example.split("-")[1] as string),
    customProperty,
    "@type": exact("simCard"),
    correlationId: correlationId(),
  };
}

const compositeFields = (id: unknown, example: string) => ({
  id,
  href: href(`product/${PRODUCT_ID}`, `product/${example}`),
  isBundle: exact(true),
  startDate: timestamp(),
  status: M.regex("^(ACTIVE|INACTIVE)$", "ACTIVE"),
  connectivityType: M.regex("^(CELLULAR|SATELLITE)$", "CELLULAR"),
  relatedParty: M.eachLike({
    id: M.like("100140001"),
    name: M.like("JASPER_EOS_1"),
    role: exact("customer"),
  }),
  productOffering: { name: M.like("100MB Shared Pool Local") },
  "@baseType": exact("product"),
  "@type": exact("IoTConnection"),
  correlationId: correlationId(),
});

/** A composite product (`@type: IoTConnection`) with its bundled sub-products, as a read returns it. */
export function composite(example: string) {
  return {
    ...compositeFields(M.fromProviderState(`\${productId}`, example), example),
    productCharacteristic: M.arrayContaining({ name: "SYSTEM", value: example.split("-")[0] }),
    productRelationship: M.eachLike({
      type: exact("BUNDLED"),
      product: {
        id: M.regex(`^${PRODUCT_ID}-${SUB_PRODUCT}$`, `${example}-simCard`),
        href: href(`product/${PRODUCT_ID}-${SUB_PRODUCT}`, `product/${example}-simCard`),
        isBundle: exact(false),
        "@type": M.regex("^(simCard|terminal|dataConnectivity|usageVolume)$", "simCard"),
      },
    }),
  };
}

/** A composite as the list and find show it: any platform's. */
export function listedComposite() {
  return {
    ...compositeFields(M.regex(`^${PRODUCT_ID}$`, EXAMPLE.jasper), EXAMPLE.jasper),
    productCharacteristic: characteristics("SYSTEM", "JASPER"),
  };
}

/** The CMO's problem body (spec §5): exact status and title. */
export function problem(status: number, title: string, externalErrors: unknown = M.like([])) {
  return {
    type: M.like(title),
    status: exact(status),
    title: exact(title),
    detail: M.like("what is wrong, in words"),
    instance: M.like(`${BASE}/product/${EXAMPLE.jasper}`),
    externalErrors,
    "@type": exact("problem"),
    traceId: M.like(EXAMPLE.traceId),
  };
}

const externalErrorItem = (platform: unknown, statusCode: unknown) => ({
  platform: typeof platform === "string" ? exact(platform) : platform,
  statusCode: typeof statusCode === "number" ? exact(statusCode) : statusCode,
  message: M.like("the platform's message"),
});

/** The platform's own error inside `externalErrors`. */
export function externalError(platform: string, statusCode: unknown) {
  return M.eachLike(externalErrorItem(platform, statusCode));
}

type State = "IN_PROGRESS" | "DONE" | "FAILED";

/**
 * One platform's entry in a monitor's `response`; its body is the platform's own answer. An entry
 * read later may hold no answer at all (the platform timed out or could not be reached): then only
 * its headers list is there, empty.
 */
export function monitorEntry(platform: unknown, state: unknown, answered = true) {
  const header = { name: M.like("Content-Type"), value: M.like("application/json") };
  return {
    platform: typeof platform === "string" ? exact(platform) : platform,
    statusCode: M.integer(202),
    message: M.like(""),
    state: typeof state === "string" ? exact(state) : state,
    ...(answered
      ? { body: M.like({}), headers: M.eachLike(header) }
      : { headers: M.atLeastLike(header, 0, 1) }),
  };
}

const MONITOR_ID = "[0-9A-Za-z]+-\\d{9,}(-\\d+)?-monitor";

/** Where a monitor comes from: a product's sub-product, or (for a batch) the monitor itself. */
export const MONITOR_SOURCE = {
  pattern: `(product/${PRODUCT_ID}-${SUB_PRODUCT}|monitor/${MONITOR_ID})`,
  example: `product/${EXAMPLE.tmsp}-simCard`,
};

/** A monitor's entry states given the monitor's own (spec §4: it rolls its entries up). */
export const ENTRY_STATES: Record<State, unknown> = {
  IN_PROGRESS: M.regex("^(IN_PROGRESS|DONE|FAILED)$", "IN_PROGRESS"),
  DONE: exact("DONE"),
  FAILED: M.regex("^(DONE|FAILED)$", "FAILED"),
};

/**
 * A monitor (the seed page's shape). `id` is the provider state's monitorId when the monitor
 * existed before the request, else any well-formed monitor id.
 */
export function monitor(options: {
  state: State;
  response: unknown;
  request: unknown;
  fromState?: boolean;
  source?: { pattern: string; example: string };
}) {
  const id = options.fromState
    ? M.fromProviderState(`\${monitorId}`, EXAMPLE.monitorId)
    : M.regex(`^${MONITOR_ID}$`, EXAMPLE.monitorId);
  const source = options.source ?? {
    pattern: `product/${PRODUCT_ID}-simCard`,
    example: `product/${EXAMPLE.tmsp}-simCard`,
  };
  return {
    id,
    href: href(`monitor/${MONITOR_ID}`, `monitor/${EXAMPLE.monitorId}`),
    sourceHref: href(source.pattern, source.example),
    state: options.state,
    request: options.request,
    response: options.response,
    "@type": "monitor",
    errors:
      options.state === "FAILED"
        ? M.eachLike({
            ...problem(
              502,
              "Bad Gateway",
              M.atLeastLike(externalErrorItem(anyPlatform("TMSP"), M.integer(200)), 0, 1),
            ),
            type: M.like("Bad Gateway"),
            status: M.integer(502),
            title: M.like("Bad Gateway"),
          })
        : [],
    correlationId: correlationId(),
  };
}

/** The request a monitor echoes: method, body and headers as the client sent them. */
export function echoedRequest(body: unknown) {
  return {
    method: "PATCH",
    body,
    headers: M.eachLike({ name: M.like("content-type"), value: M.like("application/json-patch+json") }),
  };
}

/** The 202's Link header (seed page): the monitor (related), then the product (self, canonical). */
export const LINK = M.regex(
  '^<https?://[^>]+/monitor/[^>]+-monitor>; rel="related"; title="monitor", <https?://[^>]+/(product|monitor)/[^>]+>; rel="self", <https?://[^>]+/(product|monitor)/[^>]+>; rel="canonical"$',
  `<${ORIGIN}${BASE}/monitor/${EXAMPLE.monitorId}>; rel="related"; title="monitor", <${ORIGIN}${BASE}/product/${EXAMPLE.tmsp}-simCard>; rel="self", <${ORIGIN}${BASE}/product/${EXAMPLE.tmsp}-simCard>; rel="canonical"`,
);

export const JSON_TYPE = { "Content-Type": "application/json" };
export const bearer = () =>
  M.regex("^Bearer [A-Za-z0-9._~+/=-]+$", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl");
