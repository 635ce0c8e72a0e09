import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AdapterAccount, AdapterContext } from "../../simulators/shared/adapter.js";
import { type JsonCall, NativeClient } from "../../simulators/shared/native-client.js";
import { clientCredentials, type NativeDialect } from "../../simulators/shared/native-dialect.js";
import { codeKinds, fields } from "../../simulators/shared/native-errors.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { Pacer } from "../../src/engine/pacing.js";
import { InProcessTransport } from "../../src/transport/in-process.js";
import { RESET_MARKER } from "../../src/transport/types.js";
import { driveUntilSettled } from "../helpers/virtual-time.js";

const ACCOUNT: AdapterAccount = {
  id: "acc-1",
  name: "One",
  tenant: "eos",
  username: "client",
  secret: "s3cret",
};
const CALL_TIMEOUT_MS = 5000;
const TOKEN_LIFETIME_S = 60;

/**
 * A small native API of its own: a token endpoint that can revoke what it issued, and routes that
 * answer each way a platform can (success, coded refusals, a slow answer, a dropped connection).
 */
function platform(clock: VirtualClock) {
  const issued: string[] = [];
  const revoked = new Set<string>();
  const app = new Hono();
  app.post("/token", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    if (form.get("client_secret") !== ACCOUNT.secret) return c.json({ message: "bad client" }, 401);
    const token = `token-${issued.length + 1}`;
    issued.push(token);
    return c.json({ access_token: token, expires_in: TOKEN_LIFETIME_S });
  });
  app.use("/api/*", async (c, next) => {
    const token = c.req.header("authorization")?.replace(/^Bearer /, "");
    if (!token || !issued.includes(token) || revoked.has(token))
      return c.json({ message: "who are you" }, 401);
    await next();
  });
  app.get("/api/things/:id", (c) => c.json({ id: c.req.param("id") }));
  app.get("/api/missing", (c) => c.json({ code: "GONE", message: "no such thing" }, 404));
  app.get("/api/refused", (c) => c.json({ code: "BAD_MOVE", message: "not from there" }, 400));
  app.get("/api/busy", (c) => c.json({ message: "slow down" }, 429, { "Retry-After": "5" }));
  app.get("/api/garbled", (c) => c.text("<html>oops</html>"));
  app.put("/api/quiet", (c) => c.body(null, 200));
  app.get("/api/reset", (c) => c.body(null, 200, { [RESET_MARKER]: "1" }));
  app.get("/api/slow", async (c) => {
    await clock.sleep(CALL_TIMEOUT_MS * 2);
    return c.json({ late: true });
  });
  return { app, issued, revoked };
}

function setup(dialect: Partial<NativeDialect> = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 3, 1));
  const native = platform(clock);
  const pacer = new Pacer(clock, () => ({
    rules: [],
    maxConcurrent: null,
    maxWaitMs: 1000,
    gateWaitMs: CALL_TIMEOUT_MS,
    typicalCallMs: 0,
    passThrough: false,
    mayWait: true,
  }));
  const context: AdapterContext = {
    code: "TMSP",
    transport: new InProcessTransport((request) => native.app.fetch(request)),
    clock,
    vocabulary: { toCmo: {}, initial: {}, target: {}, nativeTransitions: {} },
    profile: () => ({
      transitions: {},
      transfer: false,
      syncWaitTimeoutMs: 1000,
      pacing: { maxWaitMs: 1000, passThrough: false },
      callTimeoutMs: CALL_TIMEOUT_MS,
    }),
    pacer,
  };
  const client = new NativeClient(context, {
    auth: clientCredentials("/token"),
    errors: {
      name: "FAKE",
      read: fields("code", "message"),
      kindOf: codeKinds({ BAD_MOVE: "invalid-transition" }),
    },
    ...dialect,
  });
  const get = (path: string, extra: Partial<JsonCall> = {}) =>
    client.json<Record<string, unknown>>(ACCOUNT, {
      operation: "read",
      method: "GET",
      path,
      expect: [200],
      ...extra,
    });
  return { clock, native, client, get };
}

describe("the native client, through a real transport to a real app", () => {
  it("reads the JSON payload of an expected status", async () => {
    const { get } = setup();
    const outcome = await get("/api/things/42");
    expect(outcome).toMatchObject({ ok: true, value: { id: "42" }, exchange: { status: 200 } });
  });

  it("classifies other statuses with the family's table: its code first, then the HTTP status", async () => {
    const { get } = setup();
    const refused = await get("/api/refused");
    const missing = await get("/api/missing");
    const busy = await get("/api/busy");
    expect(refused.ok ? undefined : refused.failure).toMatchObject({
      kind: "invalid-transition",
      status: 400,
      message: "not from there",
    });
    expect(missing.ok ? undefined : missing.failure).toMatchObject({ kind: "not-found", status: 404 });
    expect(busy.ok ? undefined : busy.failure).toMatchObject({ kind: "rate-limited", retryAfterMs: 5000 });
    expect(refused.ok ? undefined : refused.failure.exchange?.body).toBe(
      JSON.stringify({ code: "BAD_MOVE", message: "not from there" }),
    );
  });

  it("fails an expected status without a readable body as a protocol failure, unless told it has none", async () => {
    const { client, get } = setup();
    const garbled = await get("/api/garbled");
    expect(garbled.ok ? undefined : garbled.failure).toMatchObject({
      kind: "protocol",
      message: "FAKE answered 200 without a readable body",
    });
    const quiet = await client.json(ACCOUNT, {
      operation: "changeStatus",
      method: "PUT",
      path: "/api/quiet",
      expect: [200],
      bodiless: true,
    });
    expect(quiet).toMatchObject({ ok: true, value: undefined });
  });

  it("turns a dropped connection into a network failure", async () => {
    const { get } = setup();
    const reset = await get("/api/reset");
    expect(reset.ok ? undefined : reset.failure).toMatchObject({ kind: "network", status: 0 });
  });

  it("gives up after the CMO's per-call timeout with a 504 gateway timeout", async () => {
    const { clock, get } = setup();
    const started = clock.now();
    const slow = await driveUntilSettled(clock, get("/api/slow"));
    expect(slow.ok ? undefined : slow.failure).toMatchObject({
      kind: "gateway-timeout",
      status: 504,
      message: `TMSP: no answer within ${CALL_TIMEOUT_MS} ms (callTimeoutMs)`,
    });
    expect(clock.now() - started).toBe(CALL_TIMEOUT_MS);
  });

  it("reuses one token across calls, including a burst of first calls, and renews it before it expires", async () => {
    const { clock, native, get } = setup();
    const burst = await Promise.all([get("/api/things/1"), get("/api/things/2"), get("/api/things/3")]);
    expect(burst.every((outcome) => outcome.ok)).toBe(true);
    expect(native.issued).toEqual(["token-1"]);
    await clock.advance((TOKEN_LIFETIME_S - 11) * 1000);
    expect((await get("/api/things/4")).ok).toBe(true);
    expect(native.issued).toEqual(["token-1"]);
    await clock.advance(2000);
    expect((await get("/api/things/5")).ok).toBe(true);
    expect(native.issued).toEqual(["token-1", "token-2"]);
  });

  it("renews a token the platform stopped accepting once, and sends the call again", async () => {
    const { native, get } = setup();
    await get("/api/things/1");
    native.revoked.add("token-1");
    const again = await get("/api/things/2");
    expect(again).toMatchObject({ ok: true, value: { id: "2" } });
    expect(native.issued).toEqual(["token-1", "token-2"]);
  });

  it("reports a refused token request as unauthorized", async () => {
    const { get } = setup({
      auth: { ...clientCredentials("/token"), request: () => ({ method: "POST", path: "/token", form: {} }) },
    });
    const refused = await get("/api/things/1");
    expect(refused.ok ? undefined : refused.failure).toMatchObject({
      kind: "unauthorized",
      status: 401,
      message: "token request failed with 401",
    });
  });
});
