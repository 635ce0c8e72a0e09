import { TOKEN_PATH } from "../cmo/auth.js";
import type { Config } from "../config/schema.js";
import type { Simulator } from "../server/simulator.js";
import { VERSION } from "./version.js";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Listening beyond this machine with nothing guarding the control plane. */
export function openControlPlane(config: Config): boolean {
  return !LOOPBACK.has(config.server.host) && config.server.adminToken === undefined;
}

/** Where the world lives and how many processes serve it, when the banner should say so. */
export interface BannerStore {
  shown: string;
  workers: number;
}

export function banner(sim: Simulator, url: string, store?: BannerStore): string {
  const { config } = sim;
  const clients = sim.cmo.auth.clients;
  const first = clients[0];
  const lines = [
    `cmo-sim ${VERSION} is listening on ${url}`,
    "",
    `  CMO base path  ${url}${config.cmo.basePath}`,
    `  tenants        ${sim.world.tenants.map((t) => `${t.id} (${t.accounts.length} platform accounts, ${t.accounts.reduce((n, a) => n + a.size, 0)} products)`).join(", ")}`,
    `  platforms      ${[...sim.world.platforms.keys()].map((code) => `${url}/platforms/${code.toLowerCase()}`).join("\n                 ")}`,
    `  admin API      ${url}/_sim`,
    `  dashboard      ${url}/_sim/ui`,
    `  API docs       ${url}/docs`,
    `  clock          ${config.clock}${config.clock === "manual" ? " (moves only via POST /_sim/clock/advance)" : ""}, time scale ${config.timeScale}, seed ${config.seed}`,
    ...(store
      ? [
          `  store          ${store.shown}${store.workers > 1 ? `, served by ${store.workers} worker processes on this port` : ""}`,
        ]
      : []),
    `  admin lock     ${config.server.adminToken ? "on: /_sim and the dashboard need the admin token" : "off (--admin-token or CMO_SIM_ADMIN_TOKEN locks it)"}`,
  ];
  if (openControlPlane(config))
    lines.push(
      "",
      `  WARNING: bound to ${config.server.host} with the admin API unlocked: anyone who can reach this port can`,
      "  change the simulator, read its state and mint CMO tokens. Set --admin-token, or bind to 127.0.0.1.",
    );
  if (!config.auth.enabled) {
    lines.push(
      "",
      "  AUTH IS OFF (--no-auth): every request is accepted as a read-write client of every tenant.",
    );
  } else {
    lines.push(
      `  clients        ${clients.map((c) => `${c.clientId} / ${c.clientSecret} (${c.roles.join("+")}, ${c.tenants.join(", ")})`).join("\n                 ")}`,
    );
    if (first) {
      lines.push(
        "",
        "  Get a token:",
        `    curl -s -X POST ${url}${TOKEN_PATH} \\`,
        `      -d grant_type=client_credentials -d client_id=${first.clientId} -d client_secret=${first.clientSecret}`,
      );
    }
  }
  return lines.join("\n");
}
