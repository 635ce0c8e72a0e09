import type { TestProject } from "vitest/node";
import { type BrowserSetup, findBrowser } from "./browser.js";
import { findRedisServer } from "./redis.js";

declare module "vitest" {
  export interface ProvidedContext {
    browser: BrowserSetup;
  }
}

/**
 * Once per run, before any test file: what the tests need beyond npm packages is found or provided
 * here, so `npm ci && npm test` passes on a machine with nothing but Node and npm.
 */
export default async function setup(project: TestProject): Promise<void> {
  project.provide("browser", await findBrowser());
  // Installed here, once, rather than by test files running side by side that would race for apt's
  // lock; where it cannot be provided, each test that starts Redis fails saying what to install.
  await findRedisServer().catch(() => undefined);
}
