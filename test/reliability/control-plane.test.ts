import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { banner, openControlPlane } from "../../src/cli/serve.js";
import { createSimulator, parseConfig } from "../../src/server/simulator.js";
import { quietPlatforms, startServer } from "../helpers/server.js";
import { FIXTURES, runFile } from "../scenario/helpers.js";

const TOKEN = "s3cret-admin-token-for-tests";

/** A raw HTTP request, so that Host and Origin are what the test says (fetch would set its own Host). */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("a locked control plane (--admin-token)", async () => {
  const server = await startServer({ platforms: quietPlatforms(), server: { adminToken: TOKEN } });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it("refuses every /_sim call without the token, in the problem shape, and serves it with the token", async () => {
    for (const [method, path] of [
      ["GET", "/_sim/platforms"],
      ["GET", "/_sim/snapshot"],
      ["POST", "/_sim/reset"],
      ["GET", "/_sim/ui/events"],
    ] as const) {
      const res = await server.request(path, { method, headers: { "content-type": "application/json" } });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="cmo-sim admin"');
      expect(await res.json()).toMatchObject({ status: 401, "@type": "problem" });
    }
    const wrong = await server.request("/_sim/platforms", { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect((await server.request("/_sim/platforms", { headers: bearer })).status).toBe(200);
    // The CMO front and the native fakes are not the control plane.
    expect((await server.request("/health")).status).toBe(200);
  });

  it("lets a person into the dashboard once, with a cookie only this site sends", async () => {
    const page = await server.request("/_sim/ui");
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('<form method="post" action="/_sim/ui/login">');
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const wrong = await server.request("/_sim/ui/login", {
      method: "POST",
      headers: form,
      body: "token=nope",
    });
    expect(wrong.status).toBe(401);
    const login = await server.request("/_sim/ui/login", {
      method: "POST",
      headers: form,
      body: `token=${TOKEN}`,
      redirect: "manual",
    });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/_sim/ui");
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^cmo_sim_admin=.+; Path=\/_sim; HttpOnly; SameSite=Strict$/);
    const session = { cookie: cookie.split(";")[0] as string };
    expect((await server.request("/_sim/ui", { headers: session })).status).toBe(200);
    const events = await server.request("/_sim/ui/events?refreshMs=100", { headers: session });
    expect(events.status).toBe(200);
    await events.body?.cancel();
  });

  it("shows the token signing secret in a snapshot only behind the lock", async () => {
    const locked = await (await server.request("/_sim/snapshot", { headers: bearer })).json();
    expect(locked.signingSecret).toEqual(expect.any(String));
    const open = await startServer({ platforms: quietPlatforms() });
    const snapshot = await (await open.request("/_sim/snapshot")).json();
    expect(snapshot).not.toHaveProperty("signingSecret");
    // A snapshot without it still restores, keeping the secret the simulator has.
    expect((await open.admin("PUT", "/snapshot", snapshot)).status).toBe(204);
  });

  it("is what the scenario runner and verify are given the token for", async () => {
    const file = join(FIXTURES, "tag-once.yaml");
    await expect(runFile(file, { target: { url: server.url } })).rejects.toThrow(
      /admin API is locked: give its admin token \(--admin-token or CMO_SIM_ADMIN_TOKEN\)/,
    );
    const report = await runFile(file, { target: { url: server.url, adminToken: TOKEN } });
    expect(report.verdict).toBe("passed");
  });
});

describe("the control plane against other sites' pages", async () => {
  const server = await startServer({
    platforms: quietPlatforms(),
    server: { allowedHosts: ["sim.internal"] },
  });
  const port = new URL(server.url).port;

  it("changes nothing for a request a foreign page can send without asking (text/plain, a form, no type)", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", undefined]) {
      for (const path of ["/_sim/platforms/TMSP/outage", "/_sim/tokens/revoke", "/_sim/reset"]) {
        const res = await server.request(path, {
          method: "POST",
          headers: type ? { "content-type": type } : {},
          body: type ? "{}" : undefined,
        });
        expect({ path, type, status: res.status }).toEqual({ path, type, status: 415 });
      }
    }
    const tmsp = await (await server.request("/_sim/platforms/TMSP")).json();
    expect(tmsp.outage).toBeNull();
  });

  it("answers only to the names it is reached by: IP addresses, localhost and the configured ones", async () => {
    const platforms = (host: string, extra: Record<string, string> = {}) =>
      raw(server.url, "GET", "/_sim/platforms", { host, ...extra });
    expect((await platforms(`127.0.0.1:${port}`)).status).toBe(200);
    expect((await platforms(`localhost:${port}`)).status).toBe(200);
    expect((await platforms(`sim.internal:${port}`)).status).toBe(200);
    // A DNS name rebound to this address is not one of them.
    const rebound = await platforms(`attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).detail).toContain("server.allowedHosts");
    // A page from elsewhere may not drive it, even through an allowed name.
    const foreign = await platforms(`127.0.0.1:${port}`, { origin: "http://attacker.example" });
    expect(foreign.status).toBe(403);
    const own = await platforms(`127.0.0.1:${port}`, { origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
  });
});

describe("start-up", () => {
  it("says so loudly when the control plane is open beyond this machine", async () => {
    expect(openControlPlane(parseConfig({ server: { host: "0.0.0.0" } }))).toBe(true);
    expect(openControlPlane(parseConfig({ server: { host: "0.0.0.0", adminToken: TOKEN } }))).toBe(false);
    expect(openControlPlane(parseConfig({ server: { host: "127.0.0.1" } }))).toBe(false);
    // Not listening: the tests bind to loopback only.
    const sim = createSimulator({ platforms: quietPlatforms(), server: { host: "0.0.0.0" } });
    expect(banner(sim, "http://0.0.0.0:8080")).toContain(
      "WARNING: bound to 0.0.0.0 with the admin API unlocked",
    );
    const locked = createSimulator({ server: { host: "0.0.0.0", adminToken: TOKEN } });
    expect(banner(locked, "http://0.0.0.0:8080")).not.toContain("WARNING");
  });
});
