import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type LaunchOptions } from "playwright-core";
import { inject } from "vitest";

/** Headless, and quiet: no GPU, no QUIC, no first-run, update or sync traffic of its own. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** How to start the Chromium the run's set-up found or provided (test/setup/browser.ts). */
function launchOptions(): LaunchOptions {
  const { executablePath, env } = inject("browser");
  return { executablePath, args: CHROMIUM_ARGS, env: { ...process.env, ...env } as Record<string, string> };
}

/** A headless browser; Playwright gives it a fresh user-data directory of its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch(launchOptions());
}

export interface Chromium {
  context: BrowserContext;
  /** Requests the pages tried to send anywhere but `origin` (all were refused). */
  foreign: string[];
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile in a temporary folder. Only `origin` is reachable: every
 * other request is refused and recorded, so a test can prove a page works offline.
 */
export async function launchChromium(origin: string): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), "cmo-sim-chromium-"));
  const context = await chromium.launchPersistentContext(profile, launchOptions());
  const foreign: string[] = [];
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      foreign.push(route.request().url());
      return route.abort();
    },
  );
  return {
    context,
    foreign,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
