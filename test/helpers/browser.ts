import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Debian's Chromium: Playwright's own browser downloads are not reachable from CI. */
export const CHROMIUM = "/usr/bin/chromium";

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
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the browser tests need Debian's Chromium; install it with \`apt-get install -y chromium\` (.ci/run does when it is missing)`,
    );
  const profile = await mkdtemp(join(tmpdir(), "cmo-sim-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
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
