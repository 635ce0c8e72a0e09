import { z } from "zod";
import { PLATFORMS } from "../../simulators/registry.js";
import { Duration, Rate } from "../config/duration.js";
import {
  AccountConfig,
  CmoStatus,
  Config,
  DurationSpec,
  FaultSpec,
  Operation,
  PlatformProfile,
  RateLimitRule,
  TenantConfig,
} from "../config/schema.js";

/**
 * A scenario file: what the world does (platform behaviour, timed events, traffic) and what must
 * hold. Built from the pieces of the one configuration schema; `npm run scenarios:schema` exports
 * it as JSON Schema to scenarios/scenario.schema.json for editors.
 */

const CODES = PLATFORMS.map((p) => p.code) as [string, ...string[]];
export const ScenarioPlatform = z.enum(CODES, { error: () => `expected a platform: ${CODES.join(", ")}` });

/** Requests that concern no single platform are counted under these names in reports and expectations. */
export const TENANT_SCOPE = "CMO";
export const AUTH_SCOPE = "AUTH";
const PlatformKey = z.union([ScenarioPlatform, z.enum(["*", TENANT_SCOPE, AUTH_SCOPE])], {
  error: () => `expected "*", ${TENANT_SCOPE}, ${AUTH_SCOPE} or a platform: ${CODES.join(", ")}`,
});
const PlatformList = z.union([z.literal("all"), z.array(ScenarioPlatform).min(1)], {
  error: () => `expected "all" or a list of platforms (${CODES.join(", ")})`,
});

/** A name for a picked product; "{platform}" in it stands for the platform a per-platform step runs for. */
const NAME = /[A-Za-z](?:[A-Za-z0-9_-]|\{platform\}){0,63}/;
const ALIAS = new RegExp(`^@${NAME.source}$`);
const COMPOSITE_ID = /^[A-Z0-9]{2,16}-[A-Za-z0-9]{1,40}$/;

/** A product: its composite id, "@name" for one picked earlier, or a pick from the inventory. */
export const ProductRef = z.union(
  [
    z
      .string()
      .regex(
        new RegExp(`${COMPOSITE_ID.source}|${ALIAS.source}`),
        'expected a composite product id ("TMSP-8949…") or "@name" of a product picked earlier',
      ),
    z.strictObject({
      platform: ScenarioPlatform.optional(),
      status: CmoStatus.optional(),
      account: AccountConfig.shape.id.optional(),
      as: z
        .string()
        .regex(new RegExp(`^${NAME.source}$`), 'a name is letters, digits, dash, underscore and "{platform}"')
        .optional()
        .describe(
          'name the picked product, so later steps can say "@name" ("{platform}" in a per-platform step)',
        ),
    }),
  ],
  { error: () => 'expected a product id, "@name", or {platform, status, account?, as?}' },
);
export type ProductRef = z.infer<typeof ProductRef>;

const Count = z.strictObject({
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().nonnegative().optional(),
});

const StatusCode = z.number().int().min(100).max(599);

/** How the simulated client retries; every field defaults from the client's policy. */
export const RetryPolicy = z.strictObject({
  on: z.array(StatusCode).optional().describe("statuses that are retried (default 429, 502, 503, 504)"),
  attempts: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("attempts in all, the first included (default 5)"),
  backoff: Duration.optional().describe("first wait between attempts, doubled each time (default 1s)"),
  maxBackoff: Duration.optional().describe("longest wait between attempts (default 60s)"),
  honourRetryAfter: z.boolean().optional().describe("wait at least what Retry-After says (default true)"),
  jitter: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      "each wait grows by a random share up to this, so retries do not all return at once (default 0.5)",
    ),
  reconcile: z
    .boolean()
    .optional()
    .describe(
      "when a retried status change is refused, read the product: already in the target status counts as done (default true)",
    ),
});
export type RetryPolicyInput = z.infer<typeof RetryPolicy>;

export const PollPolicy = z.strictObject({
  first: Duration.optional().describe("first wait before reading a monitor (default 1s)"),
  max: Duration.optional().describe("longest wait between monitor reads (default 60s)"),
  timeout: Duration.optional().describe(
    "give up on a monitor after this long (default 2h): it counts as lost",
  ),
});

export const Client = z.strictObject({
  clientId: z.string().min(1).default("cmo-sim-client"),
  clientSecret: z.string().min(1).default("cmo-sim-secret"),
  tenant: TenantConfig.shape.id.default("eos"),
  renewBeforeExpiry: z
    .boolean()
    .default(true)
    .describe("sign in again before the token expires; false: only after a 401, as lazy clients do"),
  retry: RetryPolicy.prefault({}),
  poll: PollPolicy.prefault({}),
});

const BodyMatcher = z.union([
  z.strictObject({ matches: z.string().min(1).describe("a regular expression the value must match") }),
  z.strictObject({ present: z.boolean().describe("whether the field must exist") }),
  z.unknown(),
]);

export const StepExpect = z.strictObject({
  status: z
    .union([StatusCode, z.array(StatusCode).min(1)])
    .optional()
    .describe("final HTTP status"),
  body: z
    .record(z.string().min(1), BodyMatcher)
    .optional()
    .describe(
      'fields of the final answer by path ("status", "response[0].state"): a value, {matches} or {present}',
    ),
  monitor: z
    .strictObject({
      state: z.enum(["DONE", "FAILED"]).default("DONE"),
      within: Duration.optional().describe("simulated time from the 202 to the state"),
      entries: z.partialRecord(z.enum(["DONE", "FAILED"]), Count).optional(),
    })
    .optional()
    .describe("the monitor a 202 opened reaches this state (within this time)"),
  attempts: Count.optional().describe("HTTP attempts the step made, retries included"),
  seen: z.array(StatusCode).optional().describe("statuses that must appear among the step's attempts"),
});

const StepAction = {
  read: z
    .union([
      ProductRef,
      z.strictObject({
        product: ProductRef,
        sub: z
          .enum(["device", "simCard", "terminal", "dataConnectivity", "usageVolume-data"])
          .describe('a sub-product; "device" is simCard, or terminal on satellite platforms'),
      }),
    ])
    .optional()
    .describe("GET a product (or one of its sub-products)"),
  list: z
    .strictObject({
      pageSize: z.number().int().min(1).optional(),
      pageNumber: z.number().int().min(1).optional(),
    })
    .optional()
    .describe("GET one page of the tenant's products"),
  find: z
    .strictObject({ products: z.array(ProductRef).min(1) })
    .optional()
    .describe("POST /product/find by ICCID or terminal serial"),
  setStatus: z.strictObject({ product: ProductRef, status: CmoStatus }).optional(),
  customProperty: z
    .strictObject({
      product: ProductRef,
      name: z.string().min(1),
      value: z.string().optional(),
      op: z.enum(["add", "replace", "remove"]).default("add"),
    })
    .optional(),
  transfer: z
    .strictObject({
      product: ProductRef,
      account: z
        .string()
        .min(1)
        .describe('target account id, or "other": another account of the same platform and tenant'),
    })
    .optional(),
  batch: z.strictObject({ products: z.array(ProductRef).min(1), status: CmoStatus }).optional(),
  request: z
    .strictObject({
      method: z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"]),
      path: z.string().regex(/^\//, "path starts with / (below the tenant base)"),
      body: z.unknown().optional(),
      contentType: z.string().optional(),
    })
    .optional()
    .describe("any CMO request, path below /…/v5/{tenant}"),
  sleep: Duration.optional().describe("wait this long before the next step"),
};
export const STEP_ACTIONS = Object.keys(StepAction) as Array<keyof typeof StepAction>;

export const Step = z.strictObject({
  name: z.string().min(1),
  at: Duration.optional().describe("start no earlier than this time after the run starts"),
  platforms: PlatformList.optional().describe(
    'run the step once per platform; "{platform}" in the name is replaced',
  ),
  ...StepAction,
  retry: RetryPolicy.optional(),
  wait: z.boolean().default(true).describe("poll the monitor of a 202 until it finishes"),
  expect: StepExpect.optional(),
});
export type Step = z.infer<typeof Step>;

export const LOAD_OPERATIONS = [
  "read",
  "list",
  "find",
  "status",
  "customProperty",
  "batch",
  "transfer",
] as const;
export const LoadOperation = z.enum(LOAD_OPERATIONS);
export type LoadOperation = z.infer<typeof LoadOperation>;

export const Load = z.strictObject({
  name: z.string().min(1),
  start: Duration.default(0),
  duration: Duration.optional().describe("how long it runs (default: until the scenario's duration)"),
  rate: Rate,
  arrival: z.enum(["poisson", "uniform"]).default("poisson"),
  mix: z
    .partialRecord(LoadOperation, z.number().nonnegative())
    .default({ read: 1 })
    .refine(
      (mix) => Object.values(mix).some((w) => (w ?? 0) > 0),
      "the mix needs at least one positive weight",
    )
    .describe("relative weights of the operations"),
  targets: z
    .strictObject({
      platforms: PlatformList.default("all"),
      accounts: z.array(AccountConfig.shape.id).optional(),
      statuses: z
        .array(CmoStatus)
        .optional()
        .describe("pick SIMs whose status (at the start) is one of these"),
      limit: z.number().int().positive().optional().describe("at most this many SIMs in the pool"),
      distribution: z.enum(["uniform", "zipf"]).default("uniform"),
      zipfExponent: z.number().positive().default(1.1),
    })
    .prefault({}),
  statusCycle: z
    .array(CmoStatus)
    .min(2)
    .default(["ACTIVE", "SUSPENDED"])
    .describe("status changes move a SIM to the next status of this list"),
  batchSize: z.number().int().min(1).max(100).default(10),
  retry: RetryPolicy.optional(),
  wait: z.boolean().default(true),
});
export type Load = z.infer<typeof Load>;

const EventBase = {
  at: Duration,
  platform: z.union([ScenarioPlatform, z.literal("all"), z.array(ScenarioPlatform).min(1)], {
    error: () => `expected a platform (${CODES.join(", ")}), a list of them, or "all"`,
  }),
};
const Window = Duration.optional().describe("undo the change after this long (default: keep it)");

export const ScenarioEvent = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("outage"),
      ...EventBase,
      duration: Duration.optional(),
      status: z.number().int().min(400).max(599).default(503),
      reason: z.string().min(1).default("scenario outage"),
    }),
    z.strictObject({ type: z.literal("outageEnd"), ...EventBase }),
    z.strictObject({
      type: z.literal("latency"),
      ...EventBase,
      latency: DurationSpec,
      operation: Operation.optional(),
      duration: Window,
    }),
    z.strictObject({
      type: z.literal("faults"),
      ...EventBase,
      faults: FaultSpec,
      operation: Operation.optional(),
      duration: Window,
    }),
    z.strictObject({
      type: z.literal("rateLimits"),
      ...EventBase,
      rules: z.array(RateLimitRule),
      duration: Window,
    }),
    z.strictObject({ type: z.literal("profile"), ...EventBase, profile: PlatformProfile, duration: Window }),
    z.strictObject({
      type: z.literal("revokeTokens"),
      at: Duration,
      clientId: z
        .string()
        .min(1)
        .optional()
        .describe("revoke this client's CMO tokens (default: every client's)"),
      platform: ScenarioPlatform.optional().describe("revoke this platform's native tokens instead"),
    }),
  ],
  {
    error: () =>
      "expected an event type: outage, outageEnd, latency, faults, rateLimits, profile or revokeTokens",
  },
);
export type ScenarioEvent = z.infer<typeof ScenarioEvent>;

const Percentiles = z.strictObject({
  p50: Duration.optional(),
  p95: Duration.optional(),
  p99: Duration.optional(),
  max: Duration.optional(),
});

export const GlobalExpect = z.strictObject({
  noLostMonitors: z.boolean().default(true).describe("every 202 reaches DONE or FAILED before the run ends"),
  errorRate: z
    .union([z.number().min(0).max(1), z.partialRecord(PlatformKey, z.number().min(0).max(1))])
    .optional()
    .describe('largest share of operations that end in an error, overall or per platform ("*" for all)'),
  latency: z.partialRecord(PlatformKey, Percentiles).optional().describe("HTTP answer times per platform"),
  completion: z.partialRecord(PlatformKey, Percentiles).optional().describe("monitor times, 202 to finished"),
  statuses: z
    .partialRecord(
      PlatformKey,
      z.record(z.string().regex(/^([1-5]\d\d|[1-5]xx)$/, 'a status ("429") or class ("5xx")'), Count),
    )
    .optional()
    .describe("how often statuses appear among all HTTP attempts"),
  monitors: z
    .strictObject({ accepted: Count.optional(), done: Count.optional(), failed: Count.optional() })
    .optional(),
  operations: Count.optional().describe("how many operations the run made"),
  retryAfter: z.boolean().optional().describe("every 429 and 503 answer carries Retry-After"),
  contractConformance: z
    .union([z.boolean(), z.strictObject({ maxFindings: z.number().int().nonnegative() })])
    .optional()
    .describe("no (or at most this many) findings from the contract checkers"),
});

/**
 * A platform's settings in the shape the server configuration takes (`profile:` with its fields),
 * so one block moves between a config file and a scenario unchanged. `baseUrl` is the server's
 * alone: a scenario's platforms are the simulator's own.
 */
const ScenarioPlatformSettings = z.strictObject(
  { profile: PlatformProfile.optional() },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.some((key) => key in PlatformProfile.shape)
          ? `${issue.keys.join(", ")} go${issue.keys.length > 1 ? "" : "es"} under profile:, as in the server configuration (profile: { ${issue.keys[0]}: … })`
          : `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}: a platform takes profile: (as in the server configuration)`
        : undefined,
  },
);

const Inventory = z.strictObject({
  size: AccountConfig.shape.size.optional().describe("SIMs per account of the default tenants"),
  tenants: z.array(TenantConfig).optional(),
});

const ScenarioFields = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  seed: Config.shape.seed,
  clock: z.enum(["virtual", "real"], { error: "clock must be virtual or real" }).default("virtual"),
  start: z.iso
    .datetime({ offset: true, error: "start must be an ISO-8601 date-time" })
    .default("2026-01-01T00:00:00Z")
    .describe("simulated time the run starts at (virtual clock)"),
  timeScale: Config.shape.timeScale,
  duration: Duration.optional().describe("how long traffic runs (default: until the last step or event)"),
  drain: Duration.default(3_600_000).describe(
    "after the traffic, how long in-flight work may take to finish",
  ),
  client: Client.prefault({}),
  simulator: z
    .strictObject({ auth: Config.shape.auth, cmo: Config.shape.cmo })
    .partial()
    .optional()
    .describe("settings of the in-process simulator (ignored with --target)"),
  platforms: z
    .partialRecord(ScenarioPlatform, ScenarioPlatformSettings)
    .default({})
    .describe("platform settings, as in the server configuration: platforms.TMSP.profile.latency…"),
  inventory: Inventory.optional(),
  events: z.array(ScenarioEvent).default([]),
  steps: z.array(Step).default([]),
  load: z.array(Load).default([]),
  expect: GlobalExpect.prefault({}),
});

/** Rules that span fields: one action per step, names defined before use, times inside the run. */
function checkScenario(s: z.output<typeof ScenarioFields>, ctx: z.RefinementCtx): void {
  const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const names = new Set<string>();
  s.steps.forEach((step, i) => {
    const actions = STEP_ACTIONS.filter((key) => step[key] !== undefined);
    if (actions.length !== 1)
      problem(
        ["steps", i],
        `a step does exactly one of ${STEP_ACTIONS.join(", ")}${actions.length > 0 ? ` (this one: ${actions.join(", ")})` : ""}`,
      );
    const platforms =
      step.platforms === undefined ? [undefined] : step.platforms === "all" ? CODES : step.platforms;
    for (const [ref, path] of productRefs(step)) {
      const at = ["steps", i, ...path];
      if (typeof ref === "string") {
        const missing = platforms
          .map((p) => forPlatform(ref, p).slice(1))
          .find((name) => ref.startsWith("@") && !names.has(name));
        if (missing !== undefined)
          problem(at, `@${missing} is not named by an earlier step (name a pick with as: ${missing})`);
        continue;
      }
      if (ref.platform === undefined && step.platforms === undefined)
        problem(at, "say which platform to pick from (platform:, or platforms: on the step)");
      if (ref.as === undefined) continue;
      if (step.platforms !== undefined && !ref.as.includes("{platform}"))
        problem(
          [...at, "as"],
          'a per-platform step names one pick per platform: put "{platform}" in the name',
        );
      for (const name of platforms.map((p) => forPlatform(ref.as as string, p))) {
        if (names.has(name)) problem([...at, "as"], `the name ${name} is already taken`);
        names.add(name);
      }
    }
  });
  if (s.duration === undefined) return;
  const late = (at: number | undefined, path: PropertyKey[]) => {
    if (at !== undefined && at > s.duration!)
      problem(path, `is after the scenario's duration (${s.duration} ms); lengthen duration or move it`);
  };
  for (const [i, e] of s.events.entries()) late(e.at, ["events", i, "at"]);
  for (const [i, step] of s.steps.entries()) late(step.at, ["steps", i, "at"]);
  for (const [i, load] of s.load.entries()) late(load.start, ["load", i, "start"]);
}

/** A name or reference as it reads for one platform of a per-platform step. */
export function forPlatform(text: string, platform: string | undefined): string {
  return platform === undefined ? text : text.replaceAll("{platform}", platform);
}

export const Scenario = ScenarioFields.superRefine(checkScenario);
export type ScenarioInput = z.input<typeof Scenario>;
export type Scenario = z.infer<typeof Scenario>;

/** Every product reference a step makes, with its path inside the step. */
export function productRefs(step: Step): Array<[ProductRef, PropertyKey[]]> {
  const refs: Array<[ProductRef, PropertyKey[]]> = [];
  if (step.read !== undefined)
    refs.push(
      typeof step.read === "object" && "product" in step.read
        ? [step.read.product, ["read", "product"]]
        : [step.read as ProductRef, ["read"]],
    );
  for (const [i, p] of (step.find?.products ?? []).entries()) refs.push([p, ["find", "products", i]]);
  for (const [i, p] of (step.batch?.products ?? []).entries()) refs.push([p, ["batch", "products", i]]);
  for (const key of ["setStatus", "customProperty", "transfer"] as const) {
    const action = step[key];
    if (action) refs.push([action.product, [key, "product"]]);
  }
  return refs;
}
