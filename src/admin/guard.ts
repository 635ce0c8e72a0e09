import { isIP } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { secretsEqual } from "../../simulators/shared/http.js";
import { problemResponse } from "../http/problem.js";

/** The cookie the dashboard keeps the admin token in, once given (`POST /_sim/ui/login`). */
export const ADMIN_COOKIE = "cmo_sim_admin";

export interface AdminGuardSettings {
  /** When set, every call needs it: `Authorization: Bearer <token>`, or the dashboard's cookie. */
  token?: string | undefined;
  /** Host names (besides IP addresses and localhost) the control plane answers to. */
  allowedHosts: readonly string[];
}

/** `example.com:8080` → `example.com`; `[::1]:8080` → `::1`. */
function hostname(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return colon > 0 && !host.slice(0, colon).includes(":") ? host.slice(0, colon) : host;
}

/**
 * A page on another site can make a browser send requests here, and a DNS name rebound to
 * 127.0.0.1 makes them look same-origin. Names the simulator answers to are therefore an allow
 * list: IP addresses (a rebinding attack needs a name), localhost, and what the user configures.
 */
function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const name = hostname(host).toLowerCase();
  return isIP(name) !== 0 || name === "localhost" || allowed.some((h) => h.toLowerCase() === name);
}

/** The host:port of an Origin header ("null" and garbage have none). */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

const CHANGES = new Set(["POST", "PUT", "PATCH"]);

/**
 * The control plane's gate, in order: the Host it was reached by, the Origin of a browser's
 * request, a JSON content type on anything that changes state (a form or text/plain POST is what
 * a foreign page can send without asking), and the admin token when one is configured.
 */
export function adminGuard(
  settings: () => AdminGuardSettings,
  exempt: (c: Context) => boolean = () => false,
) {
  const handler: MiddlewareHandler = async (c, next) => {
    const { token, allowedHosts } = settings();
    const instance = c.req.path;
    const host = c.req.header("host");
    // An in-process request (the scenario runner, tests) carries no Host: nothing was rebound.
    if (host !== undefined && !hostAllowed(host, allowedHosts))
      return problemResponse({
        status: 403,
        detail: `Host ${host} is not one this simulator answers to on /_sim; add it to server.allowedHosts (CMO_SIM_ALLOWED_HOSTS)`,
        instance,
      });
    const origin = c.req.header("origin");
    if (origin !== undefined && host !== undefined && originHost(origin) !== host.toLowerCase())
      return problemResponse({
        status: 403,
        detail: `A page from ${origin} may not call the admin API; only the simulator's own pages may`,
        instance,
      });
    if (exempt(c)) return next();
    if (CHANGES.has(c.req.method)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      if (type !== "application/json")
        return problemResponse({
          status: 415,
          detail: `Admin calls that change something need Content-Type: application/json${type ? `, not ${type}` : ""} (a body may be empty)`,
          instance,
        });
    }
    if (token !== undefined && !presented(c, token))
      return problemResponse(
        {
          status: 401,
          detail:
            "The admin API is locked: send Authorization: Bearer <admin token> (the dashboard asks for it once)",
          instance,
        },
        { "www-authenticate": 'Bearer realm="cmo-sim admin"' },
      );
    return next();
  };
  return handler;
}

/** Whether the request carries the admin token, as a bearer token or the dashboard's cookie. */
export function presented(c: Context, token: string): boolean {
  const bearer = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  const given = bearer ?? getCookie(c, ADMIN_COOKIE);
  return given !== undefined && secretsEqual(given, token);
}
