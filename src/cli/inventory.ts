import { unknownPlatforms } from "../config/known-platforms.js";
import { loadFile } from "../config/load.js";
import { Config, type ConfigInput } from "../config/schema.js";
import { createSimulator } from "../server/simulator.js";
import { seedFlag } from "./flags.js";

export interface InventoryOptions {
  config?: string | undefined;
  seed?: string | undefined;
  platform?: string | undefined;
  limit?: number | undefined;
}

/**
 * Streams every generated device as one JSON line, in platform and account order. A reader that
 * stops early (`| head`) ends the stream quietly: a closed pipe is not an error here.
 */
export async function dumpInventory(
  options: InventoryOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  let closed = false;
  out.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  const file: ConfigInput = options.config ? await loadFile(Config, options.config, unknownPlatforms) : {};
  const seed = seedFlag(options.seed) ?? file.seed;
  const sim = createSimulator({ ...file, seed, clock: "manual" });
  for (const [code, slot] of sim.world.platforms) {
    if (options.platform && options.platform.toUpperCase() !== code) continue;
    for (const account of slot.runtime.accounts.values()) {
      const count = Math.min(account.inventory.size, options.limit ?? Number.POSITIVE_INFINITY);
      for (let start = 0; start < count; start += 1000) {
        const page = await slot.runtime.listDevices(account.id, start, Math.min(1000, count - start));
        const lines = page.map((d) =>
          JSON.stringify({
            platform: code,
            account: account.id,
            tenant: account.tenant,
            nativeStatus: d.nativeStatus,
            ...d.record,
          }),
        );
        if (closed) return;
        if (!out.write(`${lines.join("\n")}\n`))
          await new Promise((resolve) => {
            out.once("drain", resolve);
            out.once("error", resolve);
          });
      }
    }
  }
}
