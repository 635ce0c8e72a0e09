import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { PactV4 } from "@pact-foundation/pact";
import { expect } from "vitest";

/**
 * Where consumer tests write their pacts, and the check that the shipped pacts (committed under
 * contracts/) are exactly what the consumer tests produce today.
 */

export const ROOT = join(import.meta.dirname, "..", "..", "..");
export const CMO_CONTRACTS = join(ROOT, "contracts", "cmo");
export const PLATFORM_CONTRACTS = join(ROOT, "contracts", "platforms");
export const UPDATE = process.env.CMO_SIM_UPDATE_CONTRACTS === "1";

/** A PactV4 writing into `generated/<name>/` below `shippedDir`, emptied first. */
export function pactFor(
  shippedDir: string,
  name: string,
  consumer: string,
  provider: string,
): { pact: PactV4; file: string } {
  const dir = join(shippedDir, "generated", name);
  rmSync(dir, { recursive: true, force: true });
  return {
    pact: new PactV4({ consumer, provider, dir, logLevel: "warn" }),
    file: join(dir, `${consumer}-${provider}.json`),
  };
}

/**
 * The generated pact must equal the shipped one. With CMO_SIM_UPDATE_CONTRACTS=1 (`npm run
 * contracts:update`) the generated pact replaces the shipped one instead.
 */
export function expectShipped(generated: string, shipped: string): void {
  const name = relative(ROOT, shipped);
  if (UPDATE) {
    mkdirSync(dirname(shipped), { recursive: true });
    copyFileSync(generated, shipped);
    return;
  }
  const fresh = JSON.parse(readFileSync(generated, "utf8"));
  const committed = existsSync(shipped) ? JSON.parse(readFileSync(shipped, "utf8")) : undefined;
  expect(
    committed,
    `${name} differs from what the consumer tests produce now (${relative(ROOT, generated)}). ` +
      "If the change is intended, run `npm run contracts:update`, review the diff and commit it.",
  ).toEqual(fresh);
}

/**
 * A text request body (a form, plain text). pact-js 16's V4 builder only offers `body()`, which
 * records binary content with a content-type check that text fails; its interaction handle takes text.
 */
export function textBody(builder: unknown, type: string, text: string): void {
  (
    builder as { interaction: { withRequestBody(body: string, type: string): void } }
  ).interaction.withRequestBody(text, type);
}
