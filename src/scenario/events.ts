import { PLATFORMS } from "../../simulators/registry.js";
import { mergeDeep } from "../../simulators/shared/profile.js";
import type { AdminClient } from "../admin/client.js";
import { adminRoutes } from "../admin/routes.js";
import type { PlatformProfileInput } from "../config/schema.js";
import { setOverride } from "./admin.js";
import type { ScenarioEvent } from "./schema.js";

/** An event as the report shows it: when, what, where, and whether the simulator took it. */
export interface EventRecord {
  index: number;
  type: ScenarioEvent["type"];
  at: number;
  /** When a windowed change was undone (or an outage ends by itself). */
  until?: number;
  platforms: string[];
  summary: string;
  error?: string;
}

/** Duration models and lists replace whole, as in PATCH /_sim/platforms/{code}/profile. */
const WHOLE = new Set(["latency", "duration", "transitions"]);

export function eventPlatforms(event: ScenarioEvent): string[] {
  if (event.type === "revokeTokens") return event.platform ? [event.platform] : [];
  if (event.platform === "all") return PLATFORMS.map((p) => p.code);
  return Array.isArray(event.platform) ? event.platform : [event.platform];
}

/** The profile change a windowed event makes, or undefined for outages and revocations. */
function profilePatch(event: ScenarioEvent): PlatformProfileInput | undefined {
  switch (event.type) {
    case "latency":
      return event.operation
        ? { operations: { [event.operation]: { latency: event.latency } } }
        : { latency: event.latency };
    case "faults":
      return event.operation
        ? { operations: { [event.operation]: { faults: event.faults } } }
        : { faults: event.faults };
    case "rateLimits":
      return { rateLimits: event.rules };
    case "profile":
      return event.profile;
    default:
      return undefined;
  }
}

export function describeEvent(event: ScenarioEvent): string {
  switch (event.type) {
    case "outage":
      return `outage (${event.status})${event.reason === "scenario outage" ? "" : `: ${event.reason}`}`;
    case "outageEnd":
      return "outage ends";
    case "latency":
      return `latency${event.operation ? ` of ${event.operation}` : ""} ${JSON.stringify(event.latency)}`;
    case "faults":
      return `faults${event.operation ? ` on ${event.operation}` : ""} ${JSON.stringify(event.faults)}`;
    case "rateLimits":
      return `rate limits ${event.rules.map((r) => `${r.limit}/${r.windowMs}ms`).join(", ") || "removed"}`;
    case "profile":
      return `profile ${JSON.stringify(event.profile)}`;
    case "revokeTokens":
      return event.platform
        ? `${event.platform} native tokens revoked`
        : `CMO tokens of ${event.clientId ?? "every client"} revoked`;
  }
}

/**
 * Applies timed events through the admin API. Profile changes are layers per platform: each
 * windowed event adds one and removes it when its window ends, and the platform's run-time
 * override is always the merge of the layers still active, so overlapping windows undo cleanly.
 */
export class EventApplier {
  readonly #layers = new Map<string, Array<{ index: number; patch: PlatformProfileInput }>>();

  constructor(
    private readonly admin: AdminClient,
    /** Overrides the scenario itself asks for (a target simulator gets them as its base layer). */
    private readonly base: (code: string) => PlatformProfileInput | undefined,
  ) {}

  /** Starts the event; the returned function undoes a windowed change. */
  async apply(event: ScenarioEvent, index: number): Promise<(() => Promise<void>) | undefined> {
    const platforms = eventPlatforms(event);
    switch (event.type) {
      case "outage":
        for (const code of platforms)
          await this.admin.call(adminRoutes.startOutage, {
            params: { code },
            body: {
              ...(event.duration === undefined ? {} : { durationMs: Math.max(1, event.duration) }),
              status: event.status,
              reason: event.reason,
            },
          });
        return undefined;
      case "outageEnd":
        for (const code of platforms) await this.admin.call(adminRoutes.stopOutage, { params: { code } });
        return undefined;
      case "revokeTokens":
        await this.admin.call(adminRoutes.revokeTokens, {
          body: {
            ...(event.clientId ? { clientId: event.clientId } : {}),
            ...(event.platform ? { platform: event.platform } : {}),
          },
        });
        return undefined;
      default: {
        const patch = profilePatch(event) as PlatformProfileInput;
        for (const code of platforms) {
          const layers = this.#layers.get(code) ?? [];
          layers.push({ index, patch });
          this.#layers.set(code, layers);
          await this.#push(code);
        }
        return async () => {
          for (const code of platforms) {
            this.#layers.set(
              code,
              (this.#layers.get(code) ?? []).filter((l) => l.index !== index),
            );
            await this.#push(code);
          }
        };
      }
    }
  }

  async #push(code: string): Promise<void> {
    const layers = this.#layers.get(code) ?? [];
    const base = this.base(code);
    if (layers.length === 0) return setOverride(this.admin, code, base);
    const merged = layers.reduce<PlatformProfileInput>(
      (acc, l) => mergeDeep(acc, l.patch, WHOLE),
      base ?? {},
    );
    await setOverride(this.admin, code, merged);
  }
}
