import { setTimeout as sleep } from "node:timers/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { listen } from "../../src/server/listen.js";
import { createSimulator } from "../../src/server/simulator.js";
import { type Chromium, launchChromium } from "../helpers/browser.js";
import { CmoTestClient, deviceIn, withClock } from "../helpers/cmo.js";
import { quietPlatforms, startServer } from "../helpers/server.js";

// A manual clock: a monitor stays in flight on the page until the test moves time on.
const clock = new VirtualClock(Date.UTC(2026, 5, 1, 9));
// IOTA keeps its own eight rate-limit rules, for the card that must not grow with them.
const server = await startServer(
  { platforms: { ...quietPlatforms(), IOTA: { profile: { latency: 0 } } } },
  { clock },
);
const client = new CmoTestClient(server.request);
const pageErrors: string[] = [];
let browser: Chromium;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium(server.url);
  page = await browser.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  await page.goto(`${server.url}/_sim/ui?refreshMs=200`);
}, 60_000);

afterAll(() => browser?.close());

const state = (testId: string) => page.getAttribute(`[data-testid="${testId}"]`, "data-state");

describe("the dashboard at /_sim/ui", () => {
  it("lists the ten platforms, live", async () => {
    await page.waitForSelector('[data-testid="connection"]:text("live")');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid^="platform-"]').length === n,
      PLATFORMS.length,
    );
    const listed = await page.$$eval('[data-testid^="platform-"]', (cards) =>
      cards.map((card) => card.getAttribute("data-testid")),
    );
    expect(listed).toEqual(PLATFORMS.map((p) => `platform-${p.code}`));
  });

  it("shows a monitor from a PATCH through the CMO API in flight, then DONE", async () => {
    const device = await deviceIn(server.sim, "TMSP", "ACTIVE");
    const res = await withClock(clock, client.setStatus(`${device.productId}-simCard`, "SUSPENDED"));
    expect(res.status).toBe(202);
    const testId = `monitor-${res.body.id}`;
    await page.waitForSelector(`[data-testid="${testId}"]`);
    expect(await state(testId)).toBe("IN_PROGRESS");

    // TMSP's timeline and the CMO's background polls run their course.
    await clock.advance(10 * 60_000);
    await page.waitForSelector(`[data-testid="${testId}"][data-state="DONE"]`);
    // The native calls behind it are in the journal and on TMSP's latency chart.
    await page.waitForSelector('[data-testid="latency-TMSP"] rect');
    expect(await page.textContent('[data-testid="journal"] tbody')).toContain(
      `/product/${device.productId}-simCard`,
    );
  });

  it("starts and stops an outage from the page: calls to that platform fail, then succeed", async () => {
    const card = '[data-testid="platform-JASPER"]';
    const suspend = async (skip: number) => {
      const { productId } = await deviceIn(server.sim, "JASPER", "ACTIVE", "eos", skip);
      return withClock(clock, client.setStatus(`${productId}-simCard`, "SUSPENDED"));
    };

    await page.click('[data-testid="outage-toggle-JASPER"]');
    await page.waitForSelector(`${card}[data-outage="true"]`);
    expect(await page.textContent('[data-testid="outage-state-JASPER"]')).toBe("OUTAGE 503");
    const failed = await suspend(0);
    expect(failed.status).toBe(503);

    await page.click('[data-testid="outage-toggle-JASPER"]');
    await page.waitForSelector(`${card}[data-outage="false"]`);
    expect((await suspend(0)).status).toBe(200);
  });

  it("keeps a platform with many rate-limit rules (IOTA) as short as the others: one shown, the rest folded", async () => {
    const visibleLimits = (code: string) =>
      page.$$eval(
        `[data-testid="platform-${code}"] .limit`,
        (lines) => lines.filter((l) => l.checkVisibility()).length,
      );
    expect(await visibleLimits("IOTA")).toBe(1);
    expect(await page.textContent('[data-testid="platform-IOTA"] [data-testid="more-limits"] summary')).toBe(
      "7 more rules",
    );
    await page.click('[data-testid="platform-IOTA"] [data-testid="more-limits"] summary');
    await sleep(600); // a few refreshes: the unfolded list stays unfolded
    expect(await visibleLimits("IOTA")).toBe(8);
  });

  it("shows the CMO's pacing queue on each platform's card", async () => {
    const queue = '[data-testid="queue-JASPER"]';
    await page.waitForSelector(`${queue}:text("CMO queue 0")`);
    await server.request("/_sim/platforms/JASPER/profile", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ maxConcurrent: 1 }),
    });
    // Arranged directly on the queue: one call holds JASPER's one-at-a-time gate, a second waits.
    const pacer = server.sim.world.platform("JASPER")!.pacer;
    const account = server.sim.world.accountsOf("eos", "JASPER")[0]!.id;
    const holding = await pacer.admit(account, "read");
    const waiting = pacer.admit(account, "read");
    await page.waitForSelector(`${queue}:text("CMO queue 1")`);
    expect(await page.getAttribute(queue, "title")).toContain("JASPER_EOS_1: 1 queued, 1 in flight");
    if (holding.admitted) holding.release();
    const admitted = await waiting;
    if (admitted.admitted) admitted.release();
    await page.waitForSelector(`${queue}:text("CMO queue 0")`);
    await server.request("/_sim/platforms/JASPER/profile", { method: "DELETE" });
  });

  it("loaded nothing from anywhere else and raised no error", () => {
    expect(browser.foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe("the dashboard's event stream", () => {
  it("refuses a refresh interval it cannot keep", async () => {
    const res = await server.request("/_sim/ui/events?refreshMs=5");
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toBe("refreshMs must be at least 100");
  });

  it("stops when the server shuts down", async () => {
    const sim = createSimulator({ platforms: quietPlatforms() }, { applyLatency: false });
    const running = await listen(sim, 0, "127.0.0.1");
    const reads = vi.spyOn(sim.cmo.monitors, "all");
    const res = await fetch(`${running.url}/_sim/ui/events?refreshMs=100`);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toMatch(/^event: state\ndata: \{"first":true,/);

    await running.close(100);
    const drained = async () => {
      while (!(await reader.read()).done);
    };
    await drained().catch(() => undefined);
    const after = reads.mock.calls.length;
    // Several refresh intervals later the stream's loop has not read the simulator again.
    await sleep(400);
    expect(reads.mock.calls.length).toBe(after);
  });
});
