import { loadFile } from "../config/load.js";
import { Config, type ConfigInput } from "../config/schema.js";
import { createSimulator } from "../server/simulator.js";

export interface InventoryOptions {
  config?: string | undefined;
  seed?: string | undefined;
  platform?: string | undefined;
  limit?: number | undefined;
}

/** Streams every generated device as one JSON line, in platform and account order. */
export async function dumpInventory(
  options: InventoryOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const file: ConfigInput = options.config ? await loadFile(Config, options.config) : {};
  const seed =
    options.seed === undefined
      ? file.seed
      : /^-?\d+$/.test(options.seed)
        ? Number(options.seed)
        : options.seed;
  const sim = createSimulator({ ...file, seed, clock: "manual" });
  for (const [code, slot] of sim.world.platforms) {
    if (options.platform && options.platform.toUpperCase() !== code) continue;
    for (const account of slot.runtime.accounts.values()) {
      const count = Math.min(account.inventory.size, options.limit ?? Number.POSITIVE_INFINITY);
      for (let start = 0; start < count; start += 1000) {
        const lines = slot.runtime.listDevices(account.id, start, Math.min(1000, count - start)).map((d) =>
          JSON.stringify({
            platform: code,
            account: account.id,
            tenant: account.tenant,
            nativeStatus: d.nativeStatus,
            ...d.record,
          }),
        );
        if (!out.write(`${lines.join("\n")}\n`)) await new Promise((resolve) => out.once("drain", resolve));
      }
    }
  }
}
