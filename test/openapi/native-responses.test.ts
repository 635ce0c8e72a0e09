import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import type { CmoAdapter } from "../../simulators/shared/adapter.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { createSimulator } from "../../src/server/simulator.js";
import { DocumentChecker } from "../helpers/openapi.js";
import { accountOf } from "../helpers/parity.js";
import { quietPlatforms, startServer } from "../helpers/server.js";
import { driveUntilSettled } from "../helpers/virtual-time.js";

interface Seen {
  code: string;
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: string;
}

// One clock for the fakes and for the adapters calling them, as in the transport parity tests.
const clock = new VirtualClock(Date.UTC(2026, 7, 3, 9));
const fakes = await startServer({ platforms: quietPlatforms() }, { clock });

/** A pass-through between the adapters and the fakes that keeps every native answer it forwards. */
const seen: Seen[] = [];
const recorder: Server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const answer = await fetch(fakes.url + req.url, {
    method: req.method,
    headers: Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => name !== "host" && name !== "connection"),
    ) as Record<string, string>,
    ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
  });
  const body = await answer.text();
  const code = /^\/platforms\/([^/]+)/.exec(req.url ?? "")?.[1]?.toUpperCase() ?? "";
  seen.push({
    code,
    method: req.method ?? "GET",
    path: (req.url ?? "").replace(/^\/platforms\/[^/]+/, ""),
    status: answer.status,
    contentType: answer.headers.get("content-type") ?? "",
    body,
  });
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(body);
});
await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => recorder.close(() => resolve())));
const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;

const callers = createSimulator(
  {
    platforms: Object.fromEntries(
      Object.entries(quietPlatforms()).map(([code, settings]) => [
        code,
        { ...settings, baseUrl: `${recorderUrl}/platforms/${code.toLowerCase()}` },
      ]),
    ),
  },
  { clock, applyLatency: false },
);

/** One adapter call to its end; IOTA's adapter waits on the clock for its native request. */
const settled = <T>(call: Promise<T>): Promise<T> => driveUntilSettled(clock, call);

/**
 * Drives one platform's adapter through what the CMO does with it: list, reads, usage, a change and
 * a transfer polled to their end.
 */
async function exercise(code: string): Promise<void> {
  const adapter = callers.world.platform(code)?.adapter as CmoAdapter;
  const account = accountOf(callers, code as never, "eos", 0);
  const page = await settled(adapter.list(account, 0, 20));
  if (!page.ok) throw new Error(`${code} list: ${page.failure.message}`);
  const byStatus = new Map(page.value.items.map((d) => [d.status, d]));
  for (const device of byStatus.values()) await settled(adapter.get(account, device.nativeId));
  if (adapter.getUsage) await settled(adapter.getUsage(account, page.value.items[0]!.nativeId));
  const active = page.value.items.find((d) => d.status === "ACTIVE");
  if (!active) throw new Error(`${code}: no ACTIVE device on the first page`);
  const change = await settled(adapter.changeStatus(account, active, "SUSPENDED"));
  if (change.ok && change.value.mode === "pending") {
    await settled(adapter.poll(account, change.value.ticket));
    await clock.advance(2 * 86_400_000);
    await settled(adapter.poll(account, change.value.ticket));
  }
  const moving = page.value.items.find((d) => d.status === "ACTIVE" && d !== active);
  const canTransfer = callers.world.platform(code)?.runtime.profile.transfer ?? false;
  if (canTransfer && callers.world.accountsOf("eos", code).length > 1 && moving) {
    const moved = await settled(
      adapter.transfer(account, moving, accountOf(callers, code as never, "eos", 1)),
    );
    if (moved.ok && moved.value.mode === "pending") {
      await clock.advance(2 * 86_400_000);
      await settled(adapter.poll(account, moved.value.ticket));
    }
  }
  await settled(adapter.get(account, "0000000000000000000"));
}

const checkers = new Map<string, DocumentChecker>();
async function checkerFor(code: string): Promise<DocumentChecker> {
  let checker = checkers.get(code);
  if (!checker) {
    const res = await fakes.request(`/platforms/${code.toLowerCase()}/openapi.json`);
    checker = new DocumentChecker(await res.json());
    checkers.set(code, checker);
  }
  return checker;
}

async function problemsWith(answer: Seen): Promise<string[]> {
  const checker = await checkerFor(answer.code);
  const template = checker.templateFor(answer.method, answer.path);
  const response = new Response(answer.body, {
    status: answer.status,
    headers: { "content-type": answer.contentType },
  });
  return (await checker.response(answer.method, template, response)).map(
    (p) => `${answer.code} ${answer.method} ${answer.path} ${answer.status}: ${p}`,
  );
}

describe("native fakes' OpenAPI documents against real answers", () => {
  beforeAll(async () => {
    for (const { code } of PLATFORMS) await exercise(code);
  });

  it("fit every answer the adapters get, with a schema for each answer the shipped contracts show", async () => {
    const problems: string[] = [];
    for (const answer of seen) problems.push(...(await problemsWith(answer)));
    expect(problems).toEqual([]);

    // Each platform's documented success bodies were all met by a real answer.
    for (const { code } of PLATFORMS) {
      const checker = await checkerFor(code);
      const withSchema = checker
        .documented()
        .filter((key) => /^\S+ \S+ 2\d\d$/.test(key))
        .filter((key) => {
          const [method, path, status] = key.split(" ") as [string, string, string];
          return checker.operation(method, path)?.responses[status]?.content !== undefined;
        });
      expect(withSchema.length, code).toBeGreaterThanOrEqual(3);
      expect(
        withSchema.filter((key) => !checker.seen.has(key)),
        code,
      ).toEqual([]);
    }
  });

  it("catch a native body that drifts from them, naming the field", async () => {
    const read = seen.find((a) => a.code === "TMSP" && a.method === "GET" && /\/requests\//.test(a.path));
    expect(read).toBeDefined();
    const { requestId: _dropped, ...rest } = JSON.parse(read!.body) as Record<string, unknown>;
    const drifted = { ...read!, body: JSON.stringify({ ...rest, state: 7 }) };
    const problems = (await problemsWith(drifted)).join("\n");
    expect(problems).toMatch(/requestId/);
    expect(problems).toMatch(/\/state must be string/);
  });
});
