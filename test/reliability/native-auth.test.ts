import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { quietPlatforms } from "../helpers/server.js";

const clock = new VirtualClock(Date.UTC(2026, 9, 2));
const sim = createSimulator({ platforms: quietPlatforms() }, { clock, applyLatency: false });

/** A guarded route of the platform with its parameters filled: the guard answers before the handler. */
function guardedPath(code: string): string {
  const route = sim.world
    .platform(code)!
    .app.routes.find((r) => r.method === "GET" && !/token/i.test(r.path) && !r.path.endsWith("*"));
  if (!route) throw new Error(`${code} has no GET route`);
  const account = [...sim.world.platform(code)!.runtime.accounts.values()][0]!;
  return `/platforms/${code.toLowerCase()}${route.path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, account.id)}`;
}

const get = (path: string, authorization?: string) =>
  sim.fetch(new Request(`http://sim${path}`, { headers: authorization ? { authorization } : {} }));

describe.each(PLATFORMS.map((p) => p.code))("%s native authentication", (code) => {
  const slot = sim.world.platform(code)!;
  const [account, second] = [...slot.runtime.accounts.values()];
  const path = guardedPath(code);
  const basic = slot.runtime.definition.family === "cisco";

  async function expectRefused(authorization: string | undefined, why: string) {
    const res = await get(path, authorization);
    expect(res.status, `${why}: ${await res.clone().text()}`).toBe(401);
    const text = await res.text();
    if (text) expect(() => JSON.parse(text), why).not.toThrow();
  }

  it("refuses missing, malformed and forged credentials in its own envelope", async () => {
    await expectRefused(undefined, "no credentials");
    await expectRefused("Bearer", "empty bearer");
    await expectRefused(`Bearer ${"x".repeat(40)}`, "unknown token");
    await expectRefused(
      `Basic ${Buffer.from(`${account!.username}:wrong`).toString("base64")}`,
      "wrong secret",
    );
    await expectRefused(
      `Basic ${Buffer.from(`nobody:${account!.secret}`).toString("base64")}`,
      "unknown user",
    );
    await expectRefused("Basic !!!", "malformed basic");
  });

  it("accepts its own credentials, refuses another platform's, expired and revoked tokens", async () => {
    const good = basic
      ? `Basic ${Buffer.from(`${account!.username}:${account!.secret}`).toString("base64")}`
      : `Bearer ${(await slot.runtime.issueToken(account!)).token}`;
    expect((await get(path, good)).status).not.toBe(401);
    const foreign = PLATFORMS.find((p) => p.code !== code && p.family !== "cisco")!;
    const foreignRuntime = sim.world.platform(foreign.code)!.runtime;
    await expectRefused(
      `Bearer ${(await foreignRuntime.issueToken([...foreignRuntime.accounts.values()][0]!)).token}`,
      "another platform's token",
    );
    if (basic) return;
    const { token, expiresIn } = await slot.runtime.issueToken(second ?? account!);
    expect((await get(path, `Bearer ${token}`)).status).not.toBe(401);
    await clock.advance(expiresIn * 1000);
    await expectRefused(`Bearer ${token}`, "expired token");
    const fresh = (await slot.runtime.issueToken(account!)).token;
    await slot.runtime.revokeTokens();
    await expectRefused(`Bearer ${fresh}`, "revoked token");
  });
});
