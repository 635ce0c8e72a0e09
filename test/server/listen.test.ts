import { afterAll, describe, expect, it } from "vitest";
import { Config } from "../../src/config/schema.js";
import { listen } from "../../src/server/listen.js";
import { RESET_MARKER } from "../../src/transport/types.js";

// Any app with a fetch and server limits can be served; this one answers, or resets the connection.
const running = await listen(
  {
    fetch: (request) =>
      new URL(request.url).pathname === "/reset"
        ? new Response(null, { headers: { [RESET_MARKER]: "1" } })
        : new Response("served"),
    config: { server: Config.parse({}).server },
  },
  0,
  "127.0.0.1",
);
afterAll(() => running.close(100));

describe("listen, for any servable app", () => {
  it("answers on a free port it names, and counts nothing in flight once answered", async () => {
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    expect(await (await fetch(`${running.url}/`)).text()).toBe("served");
    expect(running.inFlight()).toBe(0);
  });

  it("drops the connection when the answer asks for a reset", async () => {
    await expect(fetch(`${running.url}/reset`)).rejects.toThrow();
  });
});
