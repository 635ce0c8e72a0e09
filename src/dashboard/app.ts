import { setTimeout as sleep } from "node:timers/promises";
import { type Context, Hono } from "hono";
import { setCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { secretsEqual } from "../../simulators/shared/http.js";
import { ADMIN_COOKIE, presented } from "../admin/guard.js";
import { parseQuery } from "../http/query.js";
import { DASHBOARD_PAGE, loginPage as loginHtml } from "./page.js";
import { type DashboardSources, dashboardState } from "./state.js";

const EventsQuery = z.object({
  refreshMs: z
    .string()
    .regex(/^\d{1,6}$/, "refreshMs must be a whole number of milliseconds")
    .transform(Number)
    .pipe(
      z.number().min(100, "refreshMs must be at least 100").max(60_000, "refreshMs must be at most 60000"),
    )
    .default(1_000),
});

/** Everything the page may load comes from this server; nothing else is allowed, so it works offline. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

const LOGIN_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'";

const dashboardUrl = (c: Context) => c.req.path.replace(/\/login$/, "").replace(/\/?$/, "");

function loginPage(c: Context, status: 401, message?: string): Response {
  return c.html(loginHtml(`${dashboardUrl(c)}/login`, message), status, {
    "content-security-policy": LOGIN_SECURITY_POLICY,
    "www-authenticate": 'Bearer realm="cmo-sim admin"',
  });
}

/**
 * The dashboard under /_sim/ui: one self-contained page, and a Server-Sent Events stream that pushes
 * the simulator's state to it. One long-lived stream per page rather than polling keeps the watcher
 * from filling the request journal it shows. Outages are toggled by the page through the admin API.
 */
export function createDashboardApp(sources: DashboardSources): Hono {
  const app = new Hono();

  const token = () => sources.config.server.adminToken;

  // A locked control plane asks a person for its token once, and keeps it in a cookie only this
  // site's own pages send (SameSite=Strict, HttpOnly), so the page and its stream need nothing more.
  app.get("/", (c) => {
    const locked = token();
    if (locked !== undefined && !presented(c, locked)) return loginPage(c, 401);
    return c.html(DASHBOARD_PAGE, 200, { "content-security-policy": CONTENT_SECURITY_POLICY });
  });
  app.post("/login", async (c) => {
    const locked = token();
    if (locked === undefined) return c.redirect(dashboardUrl(c), 303);
    const given = new URLSearchParams(await c.req.text()).get("token") ?? "";
    if (!secretsEqual(given, locked)) return loginPage(c, 401, "That is not the admin token.");
    setCookie(c, ADMIN_COOKIE, given, { httpOnly: true, sameSite: "Strict", path: "/_sim" });
    return c.redirect(dashboardUrl(c), 303);
  });

  app.get("/events", (c) => {
    const { refreshMs } = parseQuery(c, EventsQuery);
    return streamSSE(c, async (stream) => {
      // A client that goes away, or a server that shuts down and drops its connections, aborts the
      // stream: the pause ends at once and the loop stops.
      const stopped = new AbortController();
      stream.onAbort(() => stopped.abort());
      let journalSince: number | undefined;
      let first = true;
      while (!stopped.signal.aborted) {
        const state = await dashboardState(sources, journalSince);
        journalSince = state.journal.at(-1)?.seq ?? journalSince;
        await stream.writeSSE({ event: "state", data: JSON.stringify({ first, ...state }) });
        first = false;
        await sleep(refreshMs, undefined, { signal: stopped.signal }).catch(() => undefined);
      }
    });
  });

  return app;
}
