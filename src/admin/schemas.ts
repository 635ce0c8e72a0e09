import { z } from "zod";
import { Duration, PositiveDuration } from "../config/duration.js";
import { CmoStatus, Config, DurationSpec, FaultSpec, Operation, TenantConfig } from "../config/schema.js";

/**
 * What the admin API accepts, as zod schemas the handlers validate with and the OpenAPI document
 * (src/openapi) is generated from.
 */

export const OutageBody = z.strictObject({
  durationMs: PositiveDuration.optional(),
  status: z.number().int().min(400).max(599).default(503),
  reason: z.string().min(1).default("outage started through the admin API"),
});

export const FaultsBody = z.strictObject({ operation: Operation.optional(), faults: FaultSpec });
export const LatencyBody = z.strictObject({ operation: Operation.optional(), latency: DurationSpec });
export const AdvanceBody = z.union(
  [z.strictObject({ ms: Duration }), z.strictObject({ to: z.iso.datetime({ offset: true }) })],
  {
    error: 'give {ms: a duration, as 90000 or "1m30s"} or {to: ISO-8601 date-time}',
  },
);
export const InventoryBody = z.strictObject({
  seed: Config.shape.seed.optional(),
  size: z.number().int().nonnegative().max(10_000_000).optional(),
  tenants: z.array(TenantConfig).optional(),
});
export const DeviceBody = z.union(
  [z.strictObject({ status: CmoStatus }), z.strictObject({ nativeStatus: z.string().min(1) })],
  {
    error: "give {status: CMO status} or {nativeStatus: the platform's own status}",
  },
);
export const RevokeBody = z.strictObject({
  clientId: z.string().min(1).optional(),
  platform: z.string().optional(),
});

/** A whole-number query parameter; values above `max` are clamped to it rather than refused. */
function wholeNumber(name: string, max: number, fallback?: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a whole number`)
    .transform((value) => Math.min(Number(value), max))
    .optional()
    .meta({
      description: `A whole number, at most ${max}${fallback === undefined ? "" : `; ${fallback} when absent`}`,
    });
}

export const DevicesQuery = z.object({
  account: z
    .string()
    .optional()
    .meta({ description: "Platform account id; the platform's first account when absent" }),
  offset: wholeNumber("offset", 10_000_000, 0),
  limit: wholeNumber("limit", 1000, 100),
  status: z.string().optional().meta({ description: "Only devices with this CMO or native status" }),
});

export const JournalQuery = z.object({
  face: z.string().optional().meta({ description: "cmo, platform, admin, auth or other" }),
  platform: z.string().optional().meta({ description: "Platform code (any case)" }),
  method: z.string().optional(),
  status: wholeNumber("status", 999),
  path: z.string().optional().meta({ description: "Only entries whose path contains this text" }),
  since: wholeNumber("since", Number.MAX_SAFE_INTEGER).meta({
    description: "Only entries with a sequence number above this one",
  }),
  limit: wholeNumber("limit", 10_000, 100),
});

export const MonitorsQuery = z.object({
  tenant: z.string().optional(),
  limit: wholeNumber("limit", 10_000, 100),
});
