import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../simulators/registry.js";
import { pacingLimits } from "../../simulators/shared/profile.js";
import { VirtualClock } from "../../src/engine/clock.js";
import { Pacer } from "../../src/engine/pacing.js";
import { createSimulator } from "../../src/server/simulator.js";
import { InProcessTransport } from "../../src/transport/in-process.js";
import type { Transport } from "../../src/transport/types.js";
import { accountOf } from "../helpers/parity.js";
import { quietPlatforms } from "../helpers/server.js";

/**
 * A carrier that starts answering with a status its documentation never had (a new one, a typo in
 * its release) must not be read as some other status: every adapter fails loudly instead.
 */
describe.each(PLATFORMS.map((p) => p.code))("%s adapter, given a native status it does not know", (code) => {
  it("fails the read and the list with a protocol error that names the status", async () => {
    const sim = createSimulator(
      { platforms: quietPlatforms() },
      { clock: new VirtualClock(Date.UTC(2026, 3, 1)) },
    );
    const slot = sim.world.platform(code)!;
    const definition = slot.runtime.definition;
    const known = Object.keys(definition.vocabulary.toCmo).sort((a, b) => b.length - a.length);
    const statusValue = new RegExp(`(":\\s*")(${known.join("|")})(")`, "g");
    const real = new InProcessTransport((request) => slot.app.fetch(request));
    // The fake's own answers, every status value in them replaced by one nobody documented.
    const renamed: Transport = {
      kind: "in-process",
      async send(request) {
        const answer = await real.send(request);
        return request.path.includes("token")
          ? answer
          : { ...answer, body: answer.body.replace(statusValue, "$1WARP_DRIVE$3") };
      },
    };
    const adapter = definition.adapter({
      code,
      transport: renamed,
      clock: sim.clock,
      vocabulary: definition.vocabulary,
      profile: () => slot.runtime.profile,
      pacer: new Pacer(sim.clock, () => pacingLimits(slot.runtime.profile, false, 0)),
    });
    const account = accountOf(sim, code, "eos", 0);
    const nativeId = (await slot.runtime.listDevices(account.id, 0, 1))[0]!.record.nativeId;
    for (const outcome of [await adapter.get(account, nativeId), await adapter.list(account, 0, 5)]) {
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.failure.kind).toBe("protocol");
        expect(outcome.failure.message).toContain("WARP_DRIVE");
      }
    }
  });
});
