import { randomBytes } from "node:crypto";
import type { Config } from "../config/schema.js";
import type { StateStore } from "../store/store.js";

/**
 * What makes a world the same world: everything in the configuration that decides its behaviour
 * or its contents. Left out is what each process may choose for itself: the `server` section
 * (host, port, limits, admin lock, workers), the store's address, and the signing secret, which
 * is compared on its own so that it is never printed.
 */
export type WorldDefinition = Omit<Config, "server" | "store" | "auth"> & {
  auth: Omit<Config["auth"], "signingSecret">;
};

/** The record the first process on a store writes, and every later one checks itself against. */
export interface WorldIdentity {
  definition: unknown;
  /** The key every replica signs and checks CMO tokens with. */
  signingSecret: string;
  createdAt: string;
  /** When the world began (epoch ms): every replica's start, for planned outages and a manual clock. */
  startedAt?: number;
}

/** This process does not belong to the world in the store: `differences` says where, one line each. */
export class WorldMismatch extends Error {
  constructor(
    readonly where: string,
    readonly differences: string[],
  ) {
    super(
      [
        `this process's configuration differs from the world already in ${where}; replicas must start with the same configuration and seed:`,
        ...differences.map((line) => `  ${line}`),
        "Start it with that world's configuration, or give it a store (or ?prefix=) of its own.",
      ].join("\n"),
    );
    this.name = "WorldMismatch";
  }
}

const IDENTITY_COLLECTION = "world";
const IDENTITY_KEY = "identity";
const MAX_DIFFERENCES = 10;

export function worldDefinition(config: Config): WorldDefinition {
  const { server: _server, store: _store, auth, ...world } = config;
  const { signingSecret: _secret, ...sharedAuth } = auth;
  return { ...world, auth: sharedAuth };
}

/** JSON with every object's keys sorted: the same configuration, however written, gives the same value. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

const shown = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** Where two canonical values differ, one line per path, as `path: store has X, this process Y`. */
export function differences(stored: unknown, mine: unknown, path = ""): string[] {
  if (JSON.stringify(stored) === JSON.stringify(mine)) return [];
  const here = path === "" ? "(whole configuration)" : path;
  if (stored === undefined) return [`${here}: only this process has ${shown(mine)}`];
  if (mine === undefined) return [`${here}: only the store has ${shown(stored)}`];
  if (isRecord(stored) && isRecord(mine)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(mine)])].sort();
    return keys.flatMap((key) => differences(stored[key], mine[key], join(path, key)));
  }
  if (Array.isArray(stored) && Array.isArray(mine)) {
    const lines = Array.from({ length: Math.max(stored.length, mine.length) }, (_, i) =>
      differences(stored[i], mine[i], join(path, i)),
    ).flat();
    return stored.length === mine.length
      ? lines
      : [`${here}: store has ${stored.length} entries, this process ${mine.length}`, ...lines];
  }
  return [`${here}: store has ${shown(stored)}, this process ${shown(mine)}`];
}

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_DIFFERENCES) return lines;
  return [...lines.slice(0, MAX_DIFFERENCES - 1), `... and ${lines.length - MAX_DIFFERENCES + 1} more`];
}

/**
 * Joins the world in `store`, or founds it: the first process writes the identity (insert-if-absent,
 * so of two starting together exactly one founds it), every later one must match it. Returns the
 * world's signing secret: this process's configured one, or the one the founder drew, so that every
 * replica signs and checks tokens with the same key.
 */
export async function joinWorld(
  store: StateStore,
  config: Config,
  where: string,
  drawSecret: () => string = () => randomBytes(32).toString("base64url"),
): Promise<{ signingSecret: string; startedAt: number | undefined; founded: boolean }> {
  const identities = store.collection<WorldIdentity>(IDENTITY_COLLECTION);
  const definition = canonical(worldDefinition(config));
  const configured = config.auth.signingSecret;
  const founding = Date.now();
  const mine: WorldIdentity = {
    definition,
    signingSecret: configured ?? drawSecret(),
    createdAt: new Date(founding).toISOString(),
    startedAt: founding,
  };
  if (await identities.insert(IDENTITY_KEY, mine))
    return { signingSecret: mine.signingSecret, startedAt: founding, founded: true };
  const stored = await identities.get(IDENTITY_KEY);
  // Taken a moment ago, gone now: the world was cleared in between; found it afresh.
  if (stored === undefined) return joinWorld(store, config, where, drawSecret);
  const found = differences(stored.definition, definition);
  if (configured !== undefined && configured !== stored.signingSecret)
    found.push("auth.signingSecret: differs (neither is shown)");
  if (found.length > 0) throw new WorldMismatch(where, capped(found));
  return { signingSecret: stored.signingSecret, startedAt: stored.startedAt, founded: false };
}
