import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { CmoTestClient, deviceIn } from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

const server = await startServer({
  platforms: quietPlatforms(),
  server: { bodyLimitBytes: 64 * 1024, requestTimeoutMs: 1_500 },
});
const client = new CmoTestClient(server.request);
const port = new URL(server.url).port;

/** Raw HTTP over a socket: what a misbehaving client sends, byte for byte. */
function raw(text: string, { keepOpen = false } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => {
      answer += d;
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
    socket.write(text);
    if (!keepOpen) socket.end();
  });
}

describe("limits", () => {
  it("refuses a body over the limit with 413, declared or chunked", async () => {
    const id = `${(await deviceIn(server.sim, "1NCE", "ACTIVE")).productId}-simCard`;
    const big = JSON.stringify([
      { op: "add", path: "/customProperty/-", value: { name: "x", value: "y".repeat(70_000) } },
    ]);
    const declared = await client.patch(id, big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ status: 413, "@type": "problem" });
    expect(declared.body.detail).toContain("65536 bytes");
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(5_000)));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}/_sim/platforms/TMSP/profile`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("refuses oversized headers with 431", async () => {
    const answer = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
  });

  it("drops slow-loris clients after the request timeout while serving everyone else", async () => {
    const stalled = Array.from({ length: 50 }, () =>
      raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ", { keepOpen: true }),
    );
    for (let i = 0; i < 5; i++) expect((await server.request("/health")).status).toBe(200);
    const answers = await Promise.all(stalled);
    // Node answers a request whose headers never finished with 408 (or just closes the socket).
    for (const answer of answers) expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
    expect((await server.request("/health")).status).toBe(200);
  }, 20_000);

  it("answers a request line it cannot parse with 400, not a crash", async () => {
    expect(await raw("BREW /pot HTCPCP/1.0\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
    expect((await server.request("/health")).status).toBe(200);
  });
});
