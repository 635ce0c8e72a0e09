import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../../simulators/registry.js";
import { expectShipped, PLATFORM_CONTRACTS, pactFor } from "../support/pacts.js";
import { PlatformRecorder, stepsFor } from "../support/platform-recorder.js";

/** What an adapter concluded, without the raw exchanges (the mock server adds its own headers). */
function essence(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(essence);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "exchange")
        .map(([k, v]) => [k, essence(v)]),
    );
  }
  return value;
}

describe.each(PLATFORMS.map((p) => [p.code, p] as const))(
  "platform contract: the %s adapter",
  (code, definition) => {
    const provider = `${code.toLowerCase()}-platform`;
    const { pact, file } = pactFor(PLATFORM_CONTRACTS, code.toLowerCase(), "cmo-adapter", provider);
    const recorder = new PlatformRecorder(definition);

    for (const step of stepsFor(definition, {
      usageApart: recorder.readsUsageApart,
      transferTarget: recorder.other !== undefined,
    })) {
      it(`${step.name}: the adapter sends what the pact records and reads what it promises`, async () => {
        const { recorded, replayed } = await recorder.verifyAgainstMock(pact, step);
        expect(essence(replayed)).toEqual(essence(recorded));
        expect((recorded as { ok?: boolean }).ok ?? true).toBe(true);
      });
    }

    it("ships the pact the tests produce", () => {
      expectShipped(file, join(PLATFORM_CONTRACTS, `${code.toLowerCase()}.json`));
    });
  },
);
