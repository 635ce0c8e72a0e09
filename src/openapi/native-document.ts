import { existsSync } from "node:fs";
import type { Hono } from "hono";
import { type DocProbe, type GuardInfo, guardOf } from "../../simulators/shared/doc-hooks.js";
import type { NativeEnv, PlatformDefinition } from "../../simulators/shared/types.js";
import { type PactInteraction, readPact } from "../contracts/pact-file.js";
import { platformContractFile } from "../contracts/shipped.js";
import {
  OPENAPI_VERSION,
  type OpenApiDocument,
  openApiPath,
  pathParamNames,
  templateCovers,
} from "./document.js";
import { schemaOf } from "./infer-schema.js";
import type { JsonSchema } from "./route-doc.js";

type ErrorDoc = { name: string; status: string; description: string; probes: DocProbe["error"][] };

/** An error whose one probe is the fake's own answer at the documented status. */
const renderedOnce = (
  name: string,
  description: string,
  error: Exclude<DocProbe["error"], string>,
): ErrorDoc => ({ name, status: String(error.status), description, probes: [error] });

/** Errors every guarded route can answer, rendered by the fake itself to learn its envelope. */
const ERRORS: ErrorDoc[] = [
  {
    name: "Unauthorized",
    status: "401",
    description: "Missing, wrong or expired credentials",
    probes: ["missing-credentials", { kind: "unauthorized", status: 401, message: "Invalid access token" }],
  },
  renderedOnce("RateLimited", "A rate limit or the one-call-at-a-time gate", {
    kind: "rate-limited",
    status: 429,
    message: "Rate limit exceeded",
  }),
  renderedOnce("ServerError", "An injected error", {
    kind: "server-error",
    status: 500,
    message: "Internal error while processing the request",
  }),
  renderedOnce("Unavailable", "An outage", {
    kind: "unavailable",
    status: 503,
    message: "Service unavailable: outage",
  }),
  renderedOnce("GatewayTimeout", "An injected timeout", {
    kind: "gateway-timeout",
    status: 504,
    message: "Upstream request timed out",
  }),
  {
    name: "Error",
    status: "default",
    description:
      "Other errors (bad request, refused transition, unknown resource…) in the platform's envelope",
    probes: [
      { kind: "bad-request", status: 400, message: "Bad request" },
      { kind: "invalid-transition", status: 400, message: "Transition not allowed" },
      { kind: "forbidden", status: 403, message: "Forbidden" },
      { kind: "not-found", status: 404, message: "Not found" },
      { kind: "conflict", status: 409, message: "Conflict" },
      { kind: "unsupported-media-type", status: 415, message: "Unsupported media type" },
    ],
  },
];

const PROBE_PATH = "/__cmo-sim-doc-probe__";

interface NativeRoute {
  method: string;
  /** OpenAPI template. */
  path: string;
  guard: GuardInfo | undefined;
  /** Answers the shipped contract shows for this route. */
  answers: PactInteraction[];
}

/**
 * The interactions of the platform's shipped contract (its CMO adapter against this fake), each
 * given to the most specific route that covers it. `npm test` verifies that contract against the
 * fake, so these examples are answers the fake really gives.
 */
function attachContractAnswers(code: string, routes: NativeRoute[]): void {
  const file = platformContractFile(code);
  // A platform without a shipped contract is documented without examples; a broken one is an error.
  if (!existsSync(file)) return;
  for (const interaction of readPact(file).interactions) {
    const { method, path } = interaction.request;
    const route = routes
      .filter((r) => r.method === method.toLowerCase() && templateCovers(r.path, path))
      .sort((a, b) => a.path.split("{").length - b.path.split("{").length)[0];
    route?.answers.push(interaction);
  }
}

const contentTypeOf = (interaction: PactInteraction) =>
  Object.entries(interaction.response.headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ??
  "application/json";

/** Success answers by status, with a schema fitted to the contract's examples. */
function successResponses(route: NativeRoute): JsonSchema {
  const byStatus = new Map<string, PactInteraction[]>();
  for (const answer of route.answers) {
    const status = String(answer.response.status);
    byStatus.set(status, [...(byStatus.get(status) ?? []), answer]);
  }
  if (byStatus.size === 0) return { 200: { description: "The platform's answer" } };
  const responses: JsonSchema = {};
  for (const [status, answers] of byStatus) {
    const content: JsonSchema = {};
    for (const type of new Set(answers.map(contentTypeOf))) {
      const bodies = answers.filter((a) => contentTypeOf(a) === type).map((a) => a.response.body);
      content[type] = {
        schema: schemaOf(bodies, { nullable: true }),
        examples: Object.fromEntries(
          answers.map((a, i) => [`example${i + 1}`, { summary: a.description, value: a.response.body }]),
        ),
      };
    }
    responses[status] = {
      description: "The platform's answer (examples from the shipped contract, verified against this fake)",
      content,
    };
  }
  return responses;
}

/** The fake's operations from its registered Hono routes; middleware and catch-alls are no operations. */
function nativeRoutes(app: Hono<NativeEnv>): NativeRoute[] {
  const routes = new Map<string, NativeRoute>();
  for (const route of app.routes) {
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const path = openApiPath(route.path);
    const key = `${route.method} ${path}`;
    const entry = routes.get(key) ?? {
      method: route.method.toLowerCase(),
      path,
      guard: undefined,
      answers: [],
    };
    entry.guard ??= guardOf(route.handler);
    routes.set(key, entry);
  }
  return [...routes.values()];
}

async function rendered(app: Hono<NativeEnv>, errors: DocProbe["error"][]): Promise<JsonSchema> {
  const byType = new Map<string, unknown[]>();
  for (const error of errors) {
    const res = await app.request(PROBE_PATH, {}, { docProbe: { error } });
    const text = await res.text();
    if (text === "") continue;
    const type = res.headers.get("content-type") ?? "application/octet-stream";
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    byType.set(type, [...(byType.get(type) ?? []), body]);
  }
  return Object.fromEntries(
    [...byType].map(([type, bodies]) => [
      type,
      {
        schema: schemaOf(bodies),
        examples: Object.fromEntries(bodies.map((body, i) => [`example${i + 1}`, { value: body }])),
      },
    ]),
  );
}

function operation(route: NativeRoute, scheme: string): JsonSchema {
  const { guard } = route;
  const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });
  const responses: JsonSchema = successResponses(route);
  if (guard) {
    for (const { name, status } of ERRORS) {
      if (status !== "401" || !guard.public) responses[status] = ref(name);
    }
  } else {
    responses.default = { description: "A refused token request, in the token endpoint's own shape" };
  }
  const params = pathParamNames(route.path).map((name) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const body =
    route.method === "get" || route.method === "delete"
      ? {}
      : {
          requestBody: {
            required: false,
            content: Object.fromEntries(
              (guard && !guard.public
                ? ["application/json"]
                : ["application/x-www-form-urlencoded", "application/json"]
              ).map((type) => [type, { schema: { type: "object" } }]),
            ),
          },
        };
  return {
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
    summary: guard ? `The platform's ${guard.operation} call` : "Get a token",
    description: guard
      ? `Counts as the platform's \`${guard.operation}\` operation for latency, faults and rate limits${guard.write ? "; a write, so ghost faults apply" : ""}.`
      : "Token endpoint: the grant carries the credentials.",
    tags: [guard?.public || !guard ? "Authentication" : "API"],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...body,
    security: guard && !guard.public ? [{ [scheme]: [] }] : [],
    responses,
  };
}

/**
 * One native fake's OpenAPI document, generated from its Hono routes: its operations, whether each
 * needs credentials (its guard), its scheme (a token endpoint means bearer tokens, none means HTTP
 * Basic on every call, as Cisco Control Center does) and its error envelope, rendered by the fake.
 */
export async function nativeDocument(
  definition: PlatformDefinition,
  app: Hono<NativeEnv>,
): Promise<OpenApiDocument> {
  const routes = nativeRoutes(app);
  attachContractAnswers(definition.code, routes);
  const publicPaths = routes
    .filter((r) => r.method === "post" && (!r.guard || r.guard.public))
    .map((r) => r.path);
  const scheme = publicPaths.length > 0 ? "bearerToken" : "basicAuth";
  const paths: OpenApiDocument["paths"] = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method] = operation(route, scheme);
  }
  const responses: Record<string, JsonSchema> = {};
  for (const { name, description, probes } of ERRORS) {
    const content = await rendered(app, probes);
    responses[name] = { description, ...(Object.keys(content).length > 0 ? { content } : {}) };
  }
  const code = definition.code;
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: `${definition.nativeName} (${code}), cmo-sim native fake`,
      version: "cmo-sim",
      description: `The simulated native API of ${code} (simulators/${definition.family}/README.md describes it). Generated from the fake's routes; bodies are the platform's own.`,
    },
    servers: [{ url: `/platforms/${code.toLowerCase()}` }],
    tags: [
      { name: "Authentication", description: "Getting a token" },
      { name: "API", description: "The platform's operations" },
    ].filter(({ name }) =>
      Object.values(paths).some((item) =>
        Object.values(item).some((op) => (op.tags as string[]).includes(name)),
      ),
    ),
    paths,
    components: {
      schemas: {},
      responses,
      securitySchemes: {
        [scheme]:
          scheme === "bearerToken"
            ? {
                type: "http",
                scheme: "bearer",
                description: `A token from ${publicPaths.map((p) => `POST ${p}`).join(" or ")}`,
              }
            : { type: "http", scheme: "basic", description: "The account's username and API key" },
      },
    },
  };
}
