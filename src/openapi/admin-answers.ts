import { z } from "zod";
import { CmoStatus, PlatformProfile, StageSpec } from "../config/schema.js";

/**
 * What the admin API answers (src/admin/app.ts, src/admin/views.ts). As with the CMO answers, the
 * tests in test/openapi check real answers against the document generated from these.
 */

const Outage = z.object({
  start: z.number().meta({ description: "Simulated epoch ms" }),
  end: z.number().optional().meta({ description: "Open-ended until stopped when absent" }),
  status: z.number().int(),
  reason: z.string(),
});

/** A profile with every field present: the platform's defaults under the configured and live overrides. */
export const ResolvedProfile = PlatformProfile.required().extend({
  maxConcurrent: z.number().int().positive().nullable(),
  asyncTimeline: z.array(StageSpec).nullable(),
});

export const PlatformView = z.object({
  code: z.string(),
  family: z.string(),
  nativeName: z.string(),
  connectivity: z.enum(["CELLULAR", "SATELLITE"]),
  cmoMode: z.enum(["sync", "async"]),
  transport: z.enum(["in-process", "http"]),
  basePath: z.string().meta({ description: "Where its native API is mounted" }),
  profile: ResolvedProfile,
  override: PlatformProfile.nullable().meta({ description: "The live override set through this API" }),
  outage: Outage.nullable().meta({ description: "The outage in progress" }),
  outages: z.array(Outage),
  operationsInFlight: z.number().int().nonnegative(),
  pacing: z
    .object({
      queued: z.number().int().nonnegative().meta({ description: "Calls waiting now" }),
      calls: z.number().int().nonnegative().meta({ description: "Calls sent since start" }),
      waited: z.number().int().nonnegative().meta({ description: "Calls sent after queueing" }),
      waitedMs: z.number().nonnegative().meta({ description: "Their waits added up" }),
      refused: z.object({
        rate: z
          .number()
          .int()
          .nonnegative()
          .meta({ description: "No rate-limit slot within maxWaitMs (429)" }),
        gate: z
          .number()
          .int()
          .nonnegative()
          .meta({ description: "No turn at the one-at-a-time gate within callTimeoutMs (504)" }),
      }),
    })
    .meta({ description: "The CMO's pacing queue to this platform: its own calls, all accounts" }),
  accounts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      tenant: z.string(),
      size: z.number().int().nonnegative(),
      devices: z.number().int().nonnegative(),
      rateLimits: z.array(
        z.object({
          rule: z.string(),
          limit: z.number().int(),
          windowMs: z.number(),
          remaining: z.number(),
          resetMs: z.number(),
        }),
      ),
      inFlight: z.number().int().nonnegative(),
      pacing: z
        .object({
          queued: z.number().int().nonnegative(),
          inFlight: z.number().int().nonnegative(),
          heldForMs: z.number().nonnegative().meta({
            description: "How much longer the platform's own 429 holds the queue",
          }),
        })
        .meta({ description: "The CMO's pacing queue for this account (its own calls to the platform)" }),
    }),
  ),
});

export const PlatformList = z.array(PlatformView);

export const DeviceView = z.object({
  productId: z.string(),
  nativeId: z.string(),
  accountId: z.string(),
  nativeStatus: z.string(),
  status: CmoStatus,
  iccid: z.string().optional(),
  imsi: z.string().optional(),
  msisdn: z.string().optional(),
  imei: z.string().optional(),
  pendingOperation: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});

export const DevicePage = z.object({
  platform: z.string(),
  account: z.string(),
  total: z.number().int().nonnegative(),
  devices: z.array(DeviceView),
});

const Seed = z.union([z.number().int(), z.string()]);

export const Inventory = z.object({
  seed: Seed,
  tenants: z.array(
    z.object({
      id: z.string(),
      accounts: z.array(
        z.object({ platform: z.string(), id: z.string(), name: z.string(), size: z.number().int() }),
      ),
    }),
  ),
});

export const Reseeded = z.object({
  seed: Seed,
  tenants: z.array(z.object({ id: z.string(), accounts: z.number().int(), devices: z.number().int() })),
});

export const ClockView = z.object({
  kind: z.enum(["real", "virtual"]),
  mode: z.enum(["real", "manual"]),
  now: z.number().meta({ description: "Simulated epoch ms" }),
  iso: z.iso.datetime(),
  timeScale: z.number().positive(),
  requestLatency: z.boolean(),
});

export const ClockAdvanced = z.object({
  kind: z.literal("virtual"),
  now: z.number(),
  iso: z.iso.datetime(),
  pendingTimers: z.number().int().nonnegative(),
});

export const JournalPage = z.object({
  size: z.number().int().nonnegative(),
  entries: z.array(
    z.object({
      seq: z.number().int().positive(),
      at: z.number(),
      face: z.enum(["cmo", "platform", "admin", "auth", "other"]),
      platform: z.string().optional(),
      method: z.string(),
      path: z.string(),
      status: z.number().int(),
      latencyMs: z.number(),
      caller: z.enum(["client", "cmo-adapter"]),
      fault: z.string().optional(),
      pacedMs: z
        .number()
        .nonnegative()
        .optional()
        .meta({ description: "How long a CMO call waited in the CMO's pacing queue before it was sent" }),
    }),
  ),
});

const EntryState = z.enum(["IN_PROGRESS", "DONE", "FAILED"]);

export const MonitorList = z.object({
  inFlight: z.number().int().nonnegative(),
  outcomes: z.object({ DONE: z.number().int(), FAILED: z.number().int() }),
  monitors: z.array(
    z.object({
      id: z.string(),
      tenant: z.string(),
      kind: z.enum(["status", "transfer", "batch"]),
      createdAt: z.iso.datetime(),
      finishedAt: z.iso.datetime().nullable(),
      entries: z.array(z.object({ platform: z.string(), productId: z.string(), state: EntryState })),
    }),
  ),
});

export const Revoked = z.union([
  z.object({ platform: z.string(), revoked: z.number().int().nonnegative() }),
  z.object({ revoked: z.string().meta({ description: "The client id, or 'all clients'" }) }),
]);

export const EndpointIndex = z.object({ endpoints: z.array(z.string()) });
export const Health = z.object({ status: z.literal("ok") });
