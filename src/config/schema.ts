import { z } from "zod";
import { parseStoreUrl } from "./store-url.js";

/**
 * The one schema for everything that is behaviour-as-data: server configuration, platform
 * profiles and (extended in scenario/schema.ts) scenario files. Messages name what was expected so
 * that, with the path added by `describeIssues`, a user can fix a file without reading code.
 */

/**
 * A platform's code as the CMO writes it in product ids (TMSP, 1NCE…). Which codes exist is the
 * registry's business (simulators/registry.ts), so that a new carrier is one folder and one line.
 */
export const PlatformCode = z
  .string()
  .regex(/^[A-Z0-9]{2,16}$/, "a platform code is 2-16 upper-case letters and digits");
export type PlatformCode = string;

export const CMO_STATUSES = [
  "CREATED",
  "INVENTORY",
  "INACTIVE",
  "PENDING_ACTIVE",
  "ACTIVE",
  "SUSPENDED",
  "PENDING_TERMINATE",
  "TERMINATED",
  "BLOCKED",
] as const;
export const CmoStatus = z.enum(CMO_STATUSES, { error: () => `expected one of ${CMO_STATUSES.join(", ")}` });
export type CmoStatus = z.infer<typeof CmoStatus>;

const ms = (what: string) =>
  z.number({ error: `${what} must be a number of milliseconds` }).nonnegative(`${what} cannot be negative`);
const positive = (what: string) =>
  z.number({ error: `${what} must be a number` }).positive(`${what} must be greater than 0`);
const rate = (what: string) =>
  z
    .number({ error: `${what} must be a probability between 0 and 1` })
    .min(0, `${what} cannot be below 0`)
    .max(1, `${what} cannot exceed 1`);

/** Latency and duration models; WireMock's `delayDistribution` objects are valid as they are. */
export const DurationSpec = z.union(
  [
    ms("a fixed duration"),
    z.strictObject({ type: z.literal("fixed"), milliseconds: ms("milliseconds") }),
    z.strictObject({ fixedDelayMilliseconds: ms("fixedDelayMilliseconds") }),
    z
      .strictObject({ type: z.literal("uniform"), lower: ms("lower"), upper: ms("upper") })
      .refine((d) => d.upper >= d.lower, { message: "upper must be at least lower", path: ["upper"] }),
    z.strictObject({
      type: z.literal("lognormal"),
      median: positive("median"),
      sigma: z.number({ error: "sigma must be a number" }).nonnegative("sigma cannot be negative"),
      maxValue: positive("maxValue").optional(),
    }),
    z
      .strictObject({
        type: z.literal("percentiles"),
        p1: positive("p1").optional(),
        p5: positive("p5").optional(),
        p50: positive("p50"),
        p95: positive("p95").optional(),
        p99: positive("p99").optional(),
        maxValue: positive("maxValue").optional(),
      })
      .refine((d) => [d.p1, d.p5, d.p95, d.p99].some((p) => p !== undefined), {
        message: "a percentiles model needs p50 and at least one of p1, p5, p95, p99",
      })
      .refine(
        (d) => {
          const seq = [d.p1, d.p5, d.p50, d.p95, d.p99].filter((p): p is number => p !== undefined);
          return seq.every((p, i) => i === 0 || p >= (seq[i - 1] as number));
        },
        { message: "percentiles must not decrease (p1 <= p5 <= p50 <= p95 <= p99)" },
      ),
    z
      .strictObject({
        type: z.literal("range"),
        min: positive("min"),
        max: positive("max"),
        median: positive("median").optional(),
      })
      .refine((d) => d.max >= d.min, { message: "max must be at least min", path: ["max"] })
      .refine((d) => d.median === undefined || (d.median >= d.min && d.median <= d.max), {
        message: "median must lie between min and max",
        path: ["median"],
      }),
  ],
  {
    error: () =>
      "expected a duration: a number of ms, or {type: fixed|uniform|lognormal|percentiles|range, …}, or {fixedDelayMilliseconds}",
  },
);
export type DurationSpec = z.infer<typeof DurationSpec>;

export const FaultSpec = z.strictObject({
  errorRate: rate("errorRate").optional(),
  errorStatus: z.number().int().min(400).max(599, "errorStatus must be a 4xx or 5xx status").optional(),
  timeoutRate: rate("timeoutRate").optional(),
  timeoutMs: ms("timeoutMs").optional(),
  ghostRate: rate("ghostRate").optional(),
  ghostMode: z
    .enum(["gateway-timeout", "connection-reset"], {
      error: "ghostMode must be gateway-timeout or connection-reset",
    })
    .optional(),
});
export type FaultSpecInput = z.infer<typeof FaultSpec>;

export const RateLimitRule = z.strictObject({
  name: z.string().min(1),
  limit: z.number().int("limit must be a whole number").positive("limit must be at least 1"),
  windowMs: positive("windowMs"),
  algorithm: z
    .enum(["fixed-window", "token-bucket"], { error: "algorithm must be fixed-window or token-bucket" })
    .default("fixed-window"),
  /** Limit only these operations (per-endpoint limits, as Aeris has); every operation when absent. */
  operations: z.array(z.lazy(() => Operation)).optional(),
});

export const StageSpec = z.strictObject({
  state: z.string().min(1),
  duration: DurationSpec,
  failureRate: rate("failureRate").optional(),
});

/** Simulated epoch ms, an ISO-8601 date, or (when a number below 10^11) ms after the run starts. */
export const TimePoint = z.union([z.number().nonnegative(), z.iso.datetime({ offset: true })], {
  error: "expected ms after start or an ISO-8601 date-time",
});

export const OutageSpec = z.strictObject({
  start: TimePoint,
  durationMs: positive("durationMs").optional(),
  status: z.number().int().min(400).max(599).default(503),
  reason: z.string().default("planned outage"),
});

export const OPERATIONS = ["auth", "read", "list", "changeStatus", "poll", "transfer"] as const;
export const Operation = z.enum(OPERATIONS, { error: `expected one of ${OPERATIONS.join(", ")}` });
export type Operation = z.infer<typeof Operation>;

export const OperationOverride = z.strictObject({
  latency: DurationSpec.optional(),
  faults: FaultSpec.optional(),
});

/** How the CMO paces its own calls to a platform (spec: the CMO is a gateway that protects its carriers). */
export const PacingSpec = z.strictObject({
  maxWaitMs: ms("maxWaitMs")
    .optional()
    .describe("longest a call waits for a rate-limit slot before the CMO refuses it with 429 (real ms)"),
  passThrough: z
    .boolean({ error: "passThrough must be true or false" })
    .optional()
    .describe("send calls as clients ask and hand the carrier's own 429s back"),
});

/** What a platform does: all optional here, completed from the platform's defaults. */
export const PlatformProfile = z.strictObject({
  latency: DurationSpec.optional(),
  operations: z.partialRecord(Operation, OperationOverride).optional(),
  faults: FaultSpec.optional(),
  outages: z.array(OutageSpec).optional(),
  rateLimits: z.array(RateLimitRule).optional(),
  maxConcurrent: z.number().int().positive().nullable().optional(),
  asyncTimeline: z.array(StageSpec).min(1, "an async timeline needs at least one stage").optional(),
  transitions: z.partialRecord(CmoStatus, z.array(CmoStatus)).optional(),
  transfer: z.boolean().optional(),
  /** How long the CMO adapter waits for a platform that it presents as synchronous (IOTA). */
  syncWaitTimeoutMs: positive("syncWaitTimeoutMs").optional(),
  pacing: PacingSpec.optional(),
  /** How long the CMO waits for a turn at a one-at-a-time gate, and then for the native answer (real ms). */
  callTimeoutMs: positive("callTimeoutMs").optional(),
  nativeTokenLifetimeSeconds: positive("nativeTokenLifetimeSeconds").optional(),
});
export type PlatformProfileInput = z.infer<typeof PlatformProfile>;

export const PlatformConfig = z.strictObject({
  profile: PlatformProfile.optional(),
  /** Reach this platform over HTTP instead of in-process (another simulator or a real sandbox). */
  baseUrl: z.url({ error: "baseUrl must be an absolute http(s) URL" }).optional(),
});

const StatusMix = z.partialRecord(CmoStatus, z.number().nonnegative());

export const AccountConfig = z.strictObject({
  platform: PlatformCode,
  id: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "account id must be 1-64 letters, digits, dot, dash or underscore"),
  name: z.string().min(1),
  size: z.number().int("size must be a whole number").nonnegative().max(10_000_000).default(100),
  statusMix: StatusMix.optional(),
  credentials: z.strictObject({ username: z.string().min(1), secret: z.string().min(1) }).optional(),
});
export type AccountConfig = z.infer<typeof AccountConfig>;

export const TenantConfig = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "tenant id must be lower-case letters, digits and dashes"),
  accounts: z.array(AccountConfig),
});

export const ClientConfig = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  tenants: z.array(z.string()).min(1, "a client needs at least one tenant"),
  roles: z.array(z.enum(["ro", "rw"], { error: "roles are ro (read) and rw (write)" })).min(1),
});

export const Config = z.strictObject({
  seed: z.number({ error: "seed must be a whole number" }).int("seed must be a whole number").default(1),
  timeScale: positive("timeScale").default(1),
  clock: z.enum(["real", "manual"], { error: "clock must be real or manual" }).default("real"),
  server: z
    .strictObject({
      host: z.string().default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(8080),
      bodyLimitBytes: z.number().int().positive().default(1_048_576),
      /** `PUT /_sim/snapshot` takes a whole state, which outgrows the body limit of everyday calls. */
      snapshotLimitBytes: z
        .number()
        .int()
        .positive()
        .default(64 * 1_048_576),
      requestTimeoutMs: z.number().int().positive().default(30_000),
      shutdownGraceMs: z.number().int().positive().default(4_000),
      /** Locks the admin API (/_sim, the dashboard): every call needs `Authorization: Bearer <token>`. */
      adminToken: z.string().min(16, "adminToken must be at least 16 characters").optional(),
      /** Host names the admin API answers to, besides IP addresses and localhost (DNS rebinding guard). */
      allowedHosts: z.array(z.string().min(1)).default([]),
      /** Build hrefs, Link and Location from X-Forwarded-Host / -Proto: only behind a proxy you run. */
      trustProxy: z.boolean().default(false),
      /** Processes serving this port through node:cluster; more than one needs a shared store. */
      workers: z
        .number({ error: "workers must be a whole number" })
        .int("workers must be a whole number")
        .min(1, "workers must be at least 1")
        .max(64, "workers cannot exceed 64")
        .default(1),
    })
    .prefault({}),
  /** Where the world's state lives: this process's memory when absent, else a store replicas share. */
  store: z
    .strictObject({
      url: z
        .string({ error: "store.url must be a redis:// or rediss:// URL" })
        .superRefine((text, context) => {
          const parsed = parseStoreUrl(text);
          if ("problem" in parsed) context.addIssue({ code: "custom", message: parsed.problem });
        })
        .optional(),
    })
    .prefault({}),
  auth: z
    .strictObject({
      enabled: z.boolean().default(true),
      tokenLifetimeSeconds: z.number().int().positive().default(300),
      issuer: z.string().default("http://127.0.0.1:8080/auth/realms/iothub"),
      signingSecret: z.string().min(32, "signingSecret must be at least 32 characters").optional(),
      clients: z.array(ClientConfig).optional(),
    })
    .prefault({}),
  cmo: z
    .strictObject({
      basePath: z
        .string()
        .regex(/^\/[^?#]*\{tenant\}$/, "basePath must start with / and end with {tenant}")
        .default("/api-gw/connection-management-orchestrator/v5/{tenant}"),
      batchLimit: z.number().int().positive().default(100),
      pageSizeDefault: z.number().int().positive().default(20),
      pageSizeMax: z.number().int().positive().default(100),
      monitorRetentionMs: z
        .number()
        .int()
        .positive()
        .default(24 * 3600 * 1000),
      /** Background polling of native async operations, doubling from first to max. */
      pollFirstMs: z.number().int().positive().default(1_000),
      pollMaxMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  tenants: z.array(TenantConfig).optional(),
  platforms: z.record(PlatformCode, PlatformConfig).default({}),
  journal: z.strictObject({ maxEntries: z.number().int().nonnegative().default(1000) }).prefault({}),
});
export type ConfigInput = z.input<typeof Config>;
export type Config = z.infer<typeof Config>;
